using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ZmqNative.Extensions.Hosting;

/// <summary>What a hosted ZeroMQ service is doing; read by the health checks.</summary>
public enum ZmqServiceStatus
{
    /// <summary>Not started yet.</summary>
    NotStarted,

    /// <summary>Its loop is running.</summary>
    Running,

    /// <summary>Stopped because the host stopped it or the context was shut down.</summary>
    Stopped,

    /// <summary>Its loop ended with an exception (logged); the host was asked to stop.</summary>
    Failed,
}

/// <summary>
/// A hosted service that runs one of the synchronous Patterns loops on a dedicated thread. Sockets are set up in
/// <see cref="StartAsync"/> on the caller's thread (so a bad endpoint fails the host's start with its
/// <see cref="ZmqException"/>), then handed to the loop thread, which alone uses them from then on. Stopping cancels the
/// loop's token (the loops notice within 100 ms), waits at most <see cref="StopTimeout"/>, and logs why it stopped.
/// </summary>
/// <remarks>
/// The loop is synchronous today: the one place an awaitable receive would plug in is <see cref="Run"/>.
/// </remarks>
public abstract class ZmqServiceBase : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IHostApplicationLifetime? _lifetime;
    private volatile ZmqServiceStatus _status;
    private Thread? _thread;
    private string _stopReason = "the host stopped it";

    /// <summary>Creates the service.</summary>
    /// <param name="name">The name used in logs and thread names, e.g. "Majordomo broker".</param>
    /// <param name="context">The host's context.</param>
    /// <param name="logger">Where start, stop and failure are logged.</param>
    /// <param name="lifetime">Asked to stop the host when the loop fails; null to leave the host running.</param>
    protected ZmqServiceBase(string name, ZmqContext context, ILogger logger, IHostApplicationLifetime? lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        Name = name;
        Context = context;
        Logger = logger;
        _lifetime = lifetime;
        StopTimeout = context.DefaultLinger + TimeSpan.FromMilliseconds(500);
    }

    /// <summary>The service's name in logs.</summary>
    public string Name { get; }

    /// <summary>What the service is doing.</summary>
    public ZmqServiceStatus Status => _status;

    /// <summary>How long <see cref="StopAsync"/> waits for the loop: the context's default linger plus 500 ms.</summary>
    public TimeSpan StopTimeout { get; }

    /// <summary>The host's context.</summary>
    protected ZmqContext Context { get; }

    /// <summary>The service's logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>Creates and binds or connects the sockets (on the starting thread); returns the endpoints for the start log line.</summary>
    /// <returns>The endpoints, for the log.</returns>
    protected abstract string Open();

    /// <summary>Runs the loop on the service's thread until <paramref name="cancellation"/> is cancelled.</summary>
    /// <param name="cancellation">Cancelled when the host stops.</param>
    protected abstract void Run(CancellationToken cancellation);

    /// <summary>Closes what <see cref="Open"/> created; called on the loop thread once the loop has ended (or by <see cref="Dispose()"/> if it never ran).</summary>
    protected abstract void Close();

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException($"{Name} is already started: a hosted ZeroMQ service runs once per host");
        }

        string endpoints = Open();
        _thread = new Thread(Loop) { IsBackground = true, Name = "zmq " + Name };
        _status = ZmqServiceStatus.Running;
        _thread.Start();
        Log.ServiceStarted(Logger, Name, endpoints);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_thread is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        var waited = await Task.WhenAny(_ended.Task, Task.Delay(StopTimeout, cancellationToken)).ConfigureAwait(false);
        if (waited != _ended.Task)
        {
            Log.ServiceStopSlow(Logger, Name, StopTimeout);
        }
    }

    /// <summary>Stops the loop if it still runs (without waiting) and releases the token source.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        _stop.Cancel();
        if (_thread is null)
        {
            Close();
        }
    }

    /// <summary>Records a different reason for the stop log line (e.g. "Binary Star conflict").</summary>
    /// <param name="reason">Why the loop ended.</param>
    protected void SetStopReason(string reason) => _stopReason = reason;

    private void Loop()
    {
        try
        {
            Run(_stop.Token);
            if (!_stop.IsCancellationRequested)
            {
                _stopReason = "the context was shut down";
            }

            _status = ZmqServiceStatus.Stopped;
            Log.ServiceStopped(Logger, Name, _stopReason);
        }
        catch (ContextTerminatedException)
        {
            _status = ZmqServiceStatus.Stopped;
            Log.ServiceStopped(Logger, Name, "the context was shut down");
        }
        catch (Exception e)
        {
            _status = ZmqServiceStatus.Failed;
            Log.ServiceFailed(Logger, Name, e);
            _lifetime?.StopApplication();
        }
        finally
        {
            try
            {
                Close();
            }
            catch (Exception e) when (e is ZmqException or ObjectDisposedException)
            {
                // Closing after the context was disposed: nothing left to close.
            }

            _ended.TrySetResult();
        }
    }
}
