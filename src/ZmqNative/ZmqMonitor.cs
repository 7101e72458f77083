using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// Watches a socket's connection events (zmq_socket_monitor(3)): listening, connecting, accepting,
/// disconnecting, and how each security handshake went. Create it before binding or connecting
/// the socket, then read the events as a stream with <see cref="TryReceive"/>, <see cref="Receive"/>
/// or <see cref="WaitFor"/>.
/// </summary>
/// <remarks>
/// <para>libzmq publishes the events on a PAIR socket bound to an inproc endpoint; the monitor
/// makes that endpoint unique and connects its own PAIR socket, <see cref="EventSocket"/>, to it.
/// Poll <see cref="EventSocket"/> together with other sockets to learn when an event is waiting.</para>
/// <para>Events queue without limit until read, because libzmq's I/O threads block when an event
/// cannot be queued (zmq_socket_monitor(3) sends them blocking): read them, or dispose the monitor.</para>
/// <para>Like a socket, a monitor is read by one thread at a time. Disposing it stops monitoring
/// (zmq_socket_monitor with a null endpoint) and closes <see cref="EventSocket"/>; it may be done
/// from any thread, more than once. Disposing the monitored socket or its context ends the event
/// stream as well (the last event is <see cref="ZmqMonitorEvents.MonitorStopped"/> when requested).</para>
/// <para>Do not dispose <see cref="EventSocket"/> yourself: libzmq would keep sending events to it,
/// and an event it cannot deliver blocks the libzmq thread that emits it. A monitor that is never
/// disposed stops monitoring when it is garbage-collected.</para>
/// <para>Only connection-oriented transports (tcp, ipc, tipc) produce events; inproc does not.</para>
/// </remarks>
public sealed unsafe class ZmqMonitor : IDisposable
{
    private const ZmqMonitorEvents Version1Events = ZmqMonitorEvents.All;
    private static long s_sequence;
    private readonly int _eventVersion;
    private int _disposed;
    private bool _started; // false while the constructor has not reached zmq_socket_monitor (the finalizer still runs)

    /// <summary>Starts monitoring <paramref name="socket"/> for <paramref name="events"/>.</summary>
    /// <param name="socket">The socket to watch. The monitor keeps it reachable; disposing it ends the event stream.</param>
    /// <param name="events">
    /// The events to report; <see cref="ZmqMonitorEvents.All"/> by default. Including
    /// <see cref="ZmqMonitorEvents.PipesStats"/> switches to libzmq's draft event version 2
    /// (zmq_socket_monitor_versioned(3)), which also reports local and remote endpoints.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="events"/> is empty or has bits that are no event.</exception>
    /// <exception cref="NotSupportedException"><see cref="ZmqMonitorEvents.PipesStats"/> and the loaded libzmq has no draft API.</exception>
    /// <exception cref="ObjectDisposedException">The socket is disposed.</exception>
    /// <exception cref="InvalidOperationException">Another thread is inside a call on the socket.</exception>
    /// <exception cref="ZmqException">libzmq refused (ETERM when the context is shut down).</exception>
    public ZmqMonitor(ZmqSocket socket, ZmqMonitorEvents events = ZmqMonitorEvents.All)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (events == ZmqMonitorEvents.None || (events & ~(Version1Events | ZmqMonitorEvents.PipesStats)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(events), events, "monitor at least one event, and only the ZMQ_EVENT_* bits of zmq.h");
        }

        _eventVersion = (events & ZmqMonitorEvents.PipesStats) != 0 ? 2 : 1;
        if (_eventVersion == 2 && !Zmq.Has("draft"))
        {
            throw new NotSupportedException(
                $"{nameof(ZmqMonitorEvents.PipesStats)} needs event version 2 of the draft API, and the loaded libzmq ({ZmqNativeLibrary.LoadedFrom}) was built without it.");
        }

        MonitoredSocket = socket;
        Events = events;
        // inproc names are per context; the process id and a counter keep them apart, the GUID
        // keeps them apart from any name an application might choose.
        Endpoint = $"inproc://zmqnative-monitor-{Environment.ProcessId}-{Interlocked.Increment(ref s_sequence)}-{Guid.NewGuid():N}";
        Start();
        _started = true;
        try
        {
            EventSocket = socket.Context.CreateSocket(ZmqSocketType.Pair);
            EventSocket.Linger = TimeSpan.Zero;
            // A receive high-water mark of 0 makes the inproc pipe from libzmq's monitor socket
            // unbounded (pipe_t::set_hwms: either side 0 means no limit), so a slow reader never
            // blocks the I/O thread that emits the event.
            EventSocket.ReceiveHighWatermark = 0;
            // Connect at once: until this PAIR is connected, libzmq's monitor socket has no peer
            // and an event emitted meanwhile would wait in the I/O thread.
            EventSocket.Connect(Endpoint);
        }
        catch
        {
            Stop();
            EventSocket?.Dispose();
            _disposed = 1;
            GC.SuppressFinalize(this);
            throw;
        }
    }

    /// <summary>
    /// Stops monitoring when the monitor was never disposed. Without this, the event socket's
    /// handle would be closed by its own (critical, so later) finalizer while libzmq still sends
    /// events to it, and an event that cannot be sent blocks the libzmq thread emitting it.
    /// </summary>
    ~ZmqMonitor()
    {
        if (_started && Volatile.Read(ref _disposed) == 0)
        {
            Stop();
        }
    }

    /// <summary>The socket being watched.</summary>
    public ZmqSocket MonitoredSocket { get; }

    /// <summary>The events being reported.</summary>
    public ZmqMonitorEvents Events { get; }

    /// <summary>The unique inproc endpoint libzmq publishes the events on.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// The PAIR socket the events arrive on, for polling with other sockets: when it is readable
    /// (<see cref="ZmqPollEvents.In"/>), <c>TryReceive(TimeSpan.Zero, out var e)</c> returns an event.
    /// Receive events through the monitor, not from this socket directly; the monitor disposes it.
    /// </summary>
    public ZmqSocket EventSocket { get; }

    /// <summary>Whether <see cref="Dispose"/> has been called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Receives the next event, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="evt">The event, or null when the timeout passed.</param>
    /// <returns>False when the timeout passed with no event.</returns>
    /// <exception cref="ObjectDisposedException">The monitor is disposed.</exception>
    /// <exception cref="ContextTerminatedException">The context was shut down.</exception>
    public bool TryReceive(TimeSpan timeout, [NotNullWhen(true)] out ZmqMonitorEvent? evt)
    {
        ThrowIfDisposed();
        using var message = new ZmqMessage();
        if (!EventSocket.TryReceive(message, timeout))
        {
            evt = null;
            return false;
        }

        evt = Parse(message);
        return true;
    }

    /// <summary>Receives the next event, blocking until there is one.</summary>
    /// <returns>The event.</returns>
    /// <exception cref="ObjectDisposedException">The monitor is disposed.</exception>
    /// <exception cref="ContextTerminatedException">The context was shut down.</exception>
    public ZmqMonitorEvent Receive()
    {
        ThrowIfDisposed();
        using var message = new ZmqMessage();
        EventSocket.Receive(message);
        return Parse(message);
    }

    /// <summary>
    /// Receives events until one of the kinds in <paramref name="kinds"/> arrives, waiting at most
    /// <paramref name="timeout"/> in all. Events of other kinds are read and dropped.
    /// </summary>
    /// <param name="kinds">The kinds to wait for, e.g. <see cref="ZmqMonitorEvents.HandshakeFailed"/>.</param>
    /// <param name="timeout">How long to wait in all.</param>
    /// <param name="evt">The first matching event, or null when the timeout passed.</param>
    /// <returns>False when the timeout passed first.</returns>
    public bool WaitFor(ZmqMonitorEvents kinds, TimeSpan timeout, [NotNullWhen(true)] out ZmqMonitorEvent? evt)
    {
        if (kinds == ZmqMonitorEvents.None)
        {
            throw new ArgumentOutOfRangeException(nameof(kinds), kinds, "wait for at least one event kind");
        }

        var deadline = Deadline.Start(timeout);
        while (true)
        {
            int left = deadline.RemainingMilliseconds();
            var remaining = left < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(left);
            if (!TryReceive(remaining, out evt))
            {
                return false;
            }

            if ((evt.Kind & kinds) != 0)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Asks libzmq for a <see cref="ZmqMonitorEvents.PipesStats"/> event per connection of the
    /// monitored socket (zmq_socket_monitor_pipes_stats, draft API). Call it from the thread that
    /// uses the monitored socket. The statistics travel through libzmq's I/O thread and back, and
    /// the events are emitted when the monitored socket next processes its commands: on its next
    /// call, for instance a read of <see cref="ZmqSocket.Events"/>.
    /// </summary>
    /// <returns>False when the socket has no connections (EAGAIN), so no event will come.</returns>
    /// <exception cref="InvalidOperationException">The monitor was not created with <see cref="ZmqMonitorEvents.PipesStats"/>.</exception>
    public bool RequestPipesStats()
    {
        ThrowIfDisposed();
        if ((Events & ZmqMonitorEvents.PipesStats) == 0)
        {
            throw new InvalidOperationException($"create the monitor with {nameof(ZmqMonitorEvents)}.{nameof(ZmqMonitorEvents.PipesStats)} to request pipe statistics");
        }

        using var lease = MonitoredSocket.Enter();
        int rc;
        while (ZmqCall.Interrupted(rc = LibZmq.zmq_socket_monitor_pipes_stats(lease.Socket)))
        {
        }

        return ZmqAttempt.Of(rc).ThrowIfFailed("zmq_socket_monitor_pipes_stats");
    }

    /// <summary>Stops monitoring and closes <see cref="EventSocket"/>. Harmless when called again.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Stop();
        EventSocket.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The events as text, and the socket they are from.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"monitor of the {MonitoredSocket.Type} socket for {Events} on {Endpoint}";

    private void Start()
    {
        using var utf8 = new Utf8Z(Endpoint, nameof(Endpoint));
        using var lease = MonitoredSocket.Enter();
        int rc;
        fixed (byte* endpoint = utf8.Bytes)
        {
            rc = _eventVersion == 1
                ? LibZmq.zmq_socket_monitor(lease.Socket, endpoint, (int)Events)
                : LibZmq.zmq_socket_monitor_versioned(lease.Socket, endpoint, (ulong)Events, 2, LibZmq.ZMQ_PAIR);
        }

        if (rc == -1)
        {
            ZmqException.ThrowLast("zmq_socket_monitor(" + Endpoint + ")");
        }
    }

    /// <summary>Stops libzmq's monitoring of the socket (zmq_socket_monitor(3) with a null endpoint).</summary>
    private void Stop()
    {
        // Not through Enter(): Dispose may run on another thread while the monitored socket is in
        // a call. libzmq serialises socket_base_t::monitor with the socket's own _monitor_sync
        // mutex (src/socket_base.cpp), the same lock its I/O threads take to emit events, so
        // stopping from another thread is safe. The reference keeps the native socket open.
        var handle = MonitoredSocket.Handle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            // -1 only with ETERM (the context was shut down, which already stopped the monitor).
            if (_eventVersion == 1)
            {
                _ = LibZmq.zmq_socket_monitor((void*)handle.DangerousGetHandle(), null, 0);
            }
            else
            {
                _ = LibZmq.zmq_socket_monitor_versioned((void*)handle.DangerousGetHandle(), null, 0, 2, LibZmq.ZMQ_PAIR);
            }
        }
        catch (ObjectDisposedException)
        {
            // The socket is closed, and closing it stopped the monitor.
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private ZmqMonitorEvent Parse(ZmqMessage first)
    {
        var frames = new List<byte[]> { first.ToArray() };
        // An event is one multipart message, and libzmq delivers those whole: once the first
        // frame is here, the others are too.
        while (first.More)
        {
            EventSocket.Receive(first);
            frames.Add(first.ToArray());
        }

        return _eventVersion == 1 ? ParseVersion1(frames) : ParseVersion2(frames);
    }

    private static ZmqMonitorEvent ParseVersion1(List<byte[]> frames)
    {
        // zmq_socket_monitor(3): frame 1 is a 16-bit event number and a 32-bit value (native byte
        // order, as libzmq memcpy's them); frame 2 is the endpoint.
        if (frames.Count != 2 || frames[0].Length != 6)
        {
            throw Malformed(frames);
        }

        var head = frames[0].AsSpan();
        ushort kind = BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(head) : BinaryPrimitives.ReadUInt16BigEndian(head);
        uint value = BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(head[2..]) : BinaryPrimitives.ReadUInt32BigEndian(head[2..]);
        return new ZmqMonitorEvent((ZmqMonitorEvents)kind, [value], Encoding.UTF8.GetString(frames[1]));
    }

    private static ZmqMonitorEvent ParseVersion2(List<byte[]> frames)
    {
        // zmq_socket_monitor_versioned(3), version 2: a 64-bit event number, a 64-bit value count,
        // that many 64-bit values, then the local and the remote endpoint.
        if (frames.Count < 4 || frames[0].Length != 8 || frames[1].Length != 8)
        {
            throw Malformed(frames);
        }

        ulong kind = ReadUInt64(frames[0]);
        ulong count = ReadUInt64(frames[1]);
        if ((ulong)frames.Count != 4 + count)
        {
            throw Malformed(frames);
        }

        var values = new ulong[(int)count];
        for (int i = 0; i < values.Length; i++)
        {
            if (frames[2 + i].Length != 8)
            {
                throw Malformed(frames);
            }

            values[i] = ReadUInt64(frames[2 + i]);
        }

        string local = Encoding.UTF8.GetString(frames[^2]);
        string remote = Encoding.UTF8.GetString(frames[^1]);
        return new ZmqMonitorEvent((ZmqMonitorEvents)(int)kind, values, remote.Length > 0 ? remote : local, local, remote);
    }

    private static ulong ReadUInt64(byte[] frame) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(frame) : BinaryPrimitives.ReadUInt64BigEndian(frame);

    private static ZmqException Malformed(List<byte[]> frames) =>
        new($"a monitor event was malformed: {frames.Count} frames of {string.Join(", ", frames.Select(f => f.Length))} bytes");
}
