using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZmqNative.Patterns.BinaryStar;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Runs one server of a Binary Star pair in the host (<see cref="ZmqNativeServiceCollectionExtensions.AddBinaryStarServer{THandler}"/>):
/// client requests it may serve go to an <see cref="IZmqRequestHandler"/> (from a new DI scope), the reply goes back along
/// the request's envelope. State changes are logged (event 5000) and counted; a dual-active (or dual-primary/backup)
/// conflict is logged as critical (5001) and stops the host, as the Guide's server aborts. A request whose handler
/// throws gets no reply (the client fails over after its timeout).
/// </summary>
public sealed class BinaryStarService : ZmqServiceBase
{
    private readonly BinaryStarServiceOptions _options;
    private readonly RequestDispatcher _dispatcher;
    private readonly ZmqNativeMetrics _metrics;
    private BinaryStarServer? _server;
    private IDisposable? _tracking;
    private CancellationToken _cancellation;

    internal BinaryStarService(ZmqContext context, BinaryStarServiceOptions options, RequestDispatcher dispatcher, ZmqNativeMetrics metrics, ILogger logger, IHostApplicationLifetime lifetime)
        : base("Binary Star " + (options.Primary ? "primary" : "backup"), context, logger, lifetime)
    {
        _options = options;
        _dispatcher = dispatcher;
        _metrics = metrics;
    }

    /// <summary>The server's state (<see cref="BinaryStarState.Primary"/> or <see cref="BinaryStarState.Backup"/> until paired); null before start.</summary>
    public BinaryStarState? State => _server?.State;

    /// <summary>The frontend's bound endpoint, once started.</summary>
    public string? FrontendEndpoint => _server?.FrontendEndpoint;

    /// <inheritdoc/>
    protected override string Open()
    {
        var server = new BinaryStarServer(Context, _options.Primary, _options.LocalState, string.IsNullOrEmpty(_options.RemoteState) ? null : _options.RemoteState, new BinaryStarServerOptions
        {
            Heartbeat = _options.Heartbeat,
            Observer = OnEvent,
        });
        try
        {
            server.RegisterVoter(_options.Frontend, Vote);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        _server = server;
        _tracking = _metrics.Track(() => server.State);
        return $"{server.FrontendEndpoint} (clients), {server.StateEndpoint} (state)";
    }

    /// <inheritdoc/>
    protected override void Run(CancellationToken cancellation)
    {
        _cancellation = cancellation;
        try
        {
            _server!.Run(cancellation);
        }
        catch (BinaryStarConflictException e)
        {
            Log.BinaryStarConflicted(Logger, e.Conflict);
            throw;
        }
    }

    /// <inheritdoc/>
    protected override void Close()
    {
        _tracking?.Dispose();
        _server?.Dispose();
    }

    private void Vote(ZmqSocket frontend, List<byte[]> request)
    {
        // [routing id...][""][body...] from REQ clients (the Guide's); without a delimiter, the first frame is the envelope.
        int delimiter = request.FindIndex(f => f.Length == 0);
        int envelope = delimiter >= 0 ? delimiter + 1 : 1;
        if (request.Count <= envelope)
        {
            Log.InvalidMessage(Logger, Name, "a request without a body");
            return;
        }

        IReadOnlyList<byte[]> reply;
        try
        {
            reply = _dispatcher.Handle(request.GetRange(envelope, request.Count - envelope), _cancellation);
        }
        catch (Exception e) when (e is not ContextTerminatedException)
        {
            Log.HandlerFailed(Logger, Name, e);
            return;
        }

        frontend.TrySendMultipart([.. request.Take(envelope), .. reply]);
    }

    private void OnEvent(BinaryStarServerEvent e)
    {
        switch (e.Kind)
        {
            case BinaryStarServerEventKind.Transition when !e.Transition.IsConflict:
                _metrics.Record(e.Transition);
                Log.BinaryStarChanged(Logger, e.Transition.From, e.Transition.To, e.Transition.Event, e.Transition.Description);
                break;
            case BinaryStarServerEventKind.RequestRefused:
                Log.BinaryStarRefused(Logger, e.Transition.From);
                break;
            case BinaryStarServerEventKind.InvalidStateMessage:
                Log.InvalidMessage(Logger, Name, "not a Binary Star state");
                break;
        }
    }
}
