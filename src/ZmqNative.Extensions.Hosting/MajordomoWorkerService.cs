using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Runs <see cref="MajordomoWorkerServiceOptions.Instances"/> Majordomo workers for one service in the host
/// (<see cref="ZmqNativeServiceCollectionExtensions.AddMajordomoWorker{THandler}"/>), each on its own thread and socket,
/// passing each request to an <see cref="IZmqRequestHandler"/> resolved from a new DI scope.
/// </summary>
/// <remarks>
/// When the handler throws, the error is logged (event 1006) and the worker registers again on a new socket: MDP
/// has no error reply, and a worker that never replies would stay "busy" in the broker forever; the broker notices
/// the closed connection and the client's retry gets the request served again.
/// </remarks>
public sealed class MajordomoWorkerService : ZmqServiceBase
{
    private readonly MajordomoWorkerServiceOptions _options;
    private readonly RequestDispatcher _dispatcher;
    private readonly IServiceProvider _services;
    private readonly List<MajordomoWorker> _workers = [];
    private string _broker = string.Empty;
    private long _handled;

    internal MajordomoWorkerService(ZmqContext context, MajordomoWorkerServiceOptions options, RequestDispatcher dispatcher, IServiceProvider services, ILogger logger, IHostApplicationLifetime lifetime)
        : base("Majordomo worker " + dispatcher.Service, context, logger, lifetime)
    {
        _options = options;
        _dispatcher = dispatcher;
        _services = services;
    }

    /// <summary>The service name the workers register.</summary>
    public string ServiceName => _dispatcher.Service;

    /// <summary>Requests answered since start, all instances together.</summary>
    public long RequestsHandled => Interlocked.Read(ref _handled);

    /// <inheritdoc/>
    protected override string Open()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Instances, 1, nameof(MajordomoWorkerServiceOptions.Instances));
        _broker = InHostBroker.Resolve(_options.Broker, _services, Name);
        for (int i = 0; i < _options.Instances; i++)
        {
            _workers.Add(NewWorker());
        }

        return $"{_broker} ({_options.Instances} instance(s))";
    }

    /// <inheritdoc/>
    protected override void Run(CancellationToken cancellation)
    {
        var others = _workers.Skip(1).Select((_, i) => new Thread(() => Serve(i + 1, cancellation)) { IsBackground = true, Name = $"zmq {Name} #{i + 2}" }).ToList();
        others.ForEach(t => t.Start());
        Exception? failure = null;
        try
        {
            Serve(0, cancellation);
        }
        catch (Exception e)
        {
            failure = e;
        }

        others.ForEach(t => t.Join());
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <inheritdoc/>
    protected override void Close()
    {
        foreach (var worker in _workers)
        {
            try
            {
                // Sends DISCONNECT (RFC 7) so the broker forgets the worker at once.
                worker.Dispose();
            }
            catch (Exception e) when (e is ZmqException or ObjectDisposedException)
            {
                // The context is already shut down: the broker notices the closed connection instead.
            }
        }
    }

    private MajordomoWorker NewWorker() => new(Context, _broker, _dispatcher.Service, new MajordomoWorkerOptions
    {
        HeartbeatInterval = _options.HeartbeatInterval,
        Liveness = _options.Liveness,
        ReconnectInterval = _options.ReconnectInterval,
        Observer = OnEvent,
    });

    private void Serve(int index, CancellationToken cancellation)
    {
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                MajordomoWorker worker = _workers[index];
                List<byte[]>? request = worker.Receive(cancellation);
                if (request is null)
                {
                    return;
                }

                IReadOnlyList<byte[]> reply;
                try
                {
                    reply = _dispatcher.Handle(request, cancellation);
                }
                catch (Exception e) when (e is not ContextTerminatedException)
                {
                    Log.HandlerFailed(Logger, Name, e);
                    worker.Dispose();
                    _workers[index] = NewWorker();
                    continue;
                }

                worker.Reply(reply);
                Interlocked.Increment(ref _handled);
            }
        }
        catch (ContextTerminatedException)
        {
            // The host's context was shut down: this instance ends with the others.
        }
    }

    private void OnEvent(MajordomoEvent e)
    {
        switch (e.Kind)
        {
            case MajordomoEventKind.Connecting:
                Log.WorkerConnecting(Logger, e.Service, e.Reason, e.Count);
                break;
            case MajordomoEventKind.BrokerLost:
                Log.BrokerLost(Logger, e.Service);
                break;
            case MajordomoEventKind.DisconnectReceived:
                Log.DisconnectReceived(Logger, e.Service);
                break;
            case MajordomoEventKind.InvalidMessage:
                Log.InvalidMessage(Logger, Name, e.Reason);
                break;
        }
    }
}
