namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Counts a socket's monitor events (zmq_socket_monitor(3): connects, disconnects, retries, handshake failures...) in
/// <see cref="ZmqNativeMetrics"/>' <c>zmqnative.socket.events</c> counter, tagged with a name the application chooses.
/// Costs nothing per message: libzmq reports connection events only.
/// </summary>
/// <remarks>
/// Start it and dispose it on the thread that uses the socket (starting and stopping a monitor are calls on the socket,
/// zmq_socket_monitor(3)), and dispose it before the socket. The events are read on a thread of its own.
/// </remarks>
public sealed class ZmqSocketMetrics : IDisposable
{
    /// <summary>The events counted by default: connection life cycle and handshakes.</summary>
    public const ZmqMonitorEvents DefaultEvents = ZmqMonitorEvents.Connected | ZmqMonitorEvents.ConnectRetried | ZmqMonitorEvents.Accepted
        | ZmqMonitorEvents.Disconnected | ZmqMonitorEvents.HandshakeSucceeded | ZmqMonitorEvents.HandshakeFailed | ZmqMonitorEvents.BindFailed | ZmqMonitorEvents.AcceptFailed;

    private readonly ZmqMonitor _monitor;
    private readonly Thread _reader;
    private readonly CancellationTokenSource _stop = new();

    private ZmqSocketMetrics(ZmqMonitor monitor, string name, ZmqNativeMetrics metrics)
    {
        _monitor = monitor;
        _reader = new Thread(() => Read(name, metrics)) { IsBackground = true, Name = "zmq monitor " + name };
        _reader.Start();
    }

    /// <summary>Starts counting <paramref name="socket"/>'s events.</summary>
    /// <param name="socket">The socket to monitor.</param>
    /// <param name="name">Its name in the <c>socket</c> tag (keep the set of names small: it is a metric dimension).</param>
    /// <param name="metrics">The host's metrics.</param>
    /// <param name="events">Which events to count; <see cref="DefaultEvents"/> when not given.</param>
    /// <returns>The running counter; dispose it to stop.</returns>
    public static ZmqSocketMetrics Start(ZmqSocket socket, string name, ZmqNativeMetrics metrics, ZmqMonitorEvents events = DefaultEvents)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(metrics);
        return new ZmqSocketMetrics(new ZmqMonitor(socket, events), name, metrics);
    }

    /// <summary>Stops the reader (within 100 ms) and the monitor.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _reader.Join();
        _monitor.Dispose();
        _stop.Dispose();
    }

    private void Read(string name, ZmqNativeMetrics metrics)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (_monitor.TryReceive(TimeSpan.FromMilliseconds(100), out var e))
                {
                    if (e.Kind == ZmqMonitorEvents.MonitorStopped)
                    {
                        return;
                    }

                    metrics.RecordSocketEvent(name, e.Kind);
                }
            }
        }
        catch (Exception e) when (e is ContextTerminatedException or ObjectDisposedException)
        {
            // The context is shutting down: nothing more to count.
        }
    }
}
