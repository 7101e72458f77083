using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace ZmqNative.Tests.Monitoring;

/// <summary>Socket monitoring (zmq_socket_monitor(3)): the events of binding, connecting, handshakes and disconnecting.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class ZmqMonitorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void Bind_Tcp_ReportsListeningOnTheBoundEndpoint()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        using var monitor = new ZmqMonitor(server);

        server.Bind("tcp://127.0.0.1:*");

        Assert.That(monitor.TryReceive(Wait, out var evt), Is.True, "an event after bind");
        Assert.That(evt!.Kind, Is.EqualTo(ZmqMonitorEvents.Listening));
        Assert.That(evt.Endpoint, Is.EqualTo(server.LastEndpoint));
        Assert.That(evt.FileDescriptor, Is.GreaterThan((nint)0));
        Assert.That(evt.Error, Is.Null);
        Assert.That(evt.LocalEndpoint, Is.Null, "event version 1 has no local/remote pair");
        Assert.That(evt.ToString(), Does.StartWith("Listening " + server.LastEndpoint + " fd="));
    }

    [Test]
    public void Connect_TcpPeers_ReportConnectedAcceptedAndHandshakeSucceeded()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Dealer);
        using var client = context.CreateSocket(ZmqSocketType.Dealer);
        using var serverMonitor = new ZmqMonitor(server);
        using var clientMonitor = new ZmqMonitor(client);
        server.Bind("tcp://127.0.0.1:*");
        string endpoint = server.LastEndpoint;

        client.Connect(endpoint);

        // The client may first report ConnectDelayed (the connect is asynchronous).
        var clientEvents = ReadUntil(clientMonitor, ZmqMonitorEvents.HandshakeSucceeded);
        var serverEvents = ReadUntil(serverMonitor, ZmqMonitorEvents.HandshakeSucceeded);
        Assert.That(clientEvents.Select(e => e.Kind).Where(k => k != ZmqMonitorEvents.ConnectDelayed),
            Is.EqualTo(new[] { ZmqMonitorEvents.Connected, ZmqMonitorEvents.HandshakeSucceeded }));
        Assert.That(serverEvents.Select(e => e.Kind),
            Is.EqualTo(new[] { ZmqMonitorEvents.Listening, ZmqMonitorEvents.Accepted, ZmqMonitorEvents.HandshakeSucceeded }));
        Assert.That(clientEvents.Single(e => e.Kind == ZmqMonitorEvents.Connected).Endpoint, Is.EqualTo(endpoint));
        Assert.That(clientEvents.Single(e => e.Kind == ZmqMonitorEvents.Connected).FileDescriptor, Is.GreaterThan((nint)0));
        Assert.That(serverEvents.Single(e => e.Kind == ZmqMonitorEvents.Accepted).FileDescriptor, Is.GreaterThan((nint)0));
    }

    [Test]
    public void Disconnect_PeerClosedAndListenerUnbound_ReportDisconnectedAndClosed()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Dealer);
        using var serverMonitor = new ZmqMonitor(server);
        server.Bind("tcp://127.0.0.1:*");
        string endpoint = server.LastEndpoint;
        var client = context.CreateSocket(ZmqSocketType.Dealer);
        using var clientMonitor = new ZmqMonitor(client);
        client.Connect(endpoint);
        Assert.That(serverMonitor.WaitFor(ZmqMonitorEvents.HandshakeSucceeded, Wait, out _), Is.True);
        Assert.That(clientMonitor.WaitFor(ZmqMonitorEvents.HandshakeSucceeded, Wait, out _), Is.True);

        client.Dispose();

        Assert.That(clientMonitor.WaitFor(ZmqMonitorEvents.MonitorStopped, Wait, out var stopped), Is.True,
            "closing the monitored socket ends its event stream");
        Assert.That(stopped!.Endpoint, Is.Empty);
        Assert.That(serverMonitor.WaitFor(ZmqMonitorEvents.Disconnected, Wait, out var disconnected), Is.True);
        Assert.That(disconnected!.FileDescriptor, Is.GreaterThan((nint)0));

        server.Unbind(endpoint);

        Assert.That(serverMonitor.WaitFor(ZmqMonitorEvents.Closed, Wait, out var closed), Is.True);
        Assert.That(closed!.Endpoint, Is.EqualTo(endpoint));
    }

    [Test]
    public void Connect_NobodyListening_ReportsConnectRetriedWithTheInterval()
    {
        using var context = new ZmqContext();
        string endpoint = UnusedTcpEndpoint();
        using var client = context.CreateSocket(ZmqSocketType.Dealer);
        client.ReconnectInterval = TimeSpan.FromMilliseconds(50);
        using var monitor = new ZmqMonitor(client, ZmqMonitorEvents.ConnectRetried);

        client.Connect(endpoint);

        Assert.That(monitor.TryReceive(Wait, out var evt), Is.True, "only the requested kind is reported");
        Assert.That(evt!.Kind, Is.EqualTo(ZmqMonitorEvents.ConnectRetried));
        Assert.That(evt.Endpoint, Is.EqualTo(endpoint));
        // libzmq adds a random jitter below the configured interval (stream_connecter_base.cpp).
        Assert.That(evt.ReconnectInterval, Is.InRange(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(99)));
    }

    [Test]
    public void Handshake_GarbageFromRawTcpClient_ReportsHandshakeFailedProtocol()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        using var monitor = new ZmqMonitor(server, ZmqMonitorEvents.All);
        server.Bind("tcp://127.0.0.1:*");
        int port = new Uri(server.LastEndpoint).Port;

        using var raw = new TcpClient();
        raw.Connect("127.0.0.1", port);
        // A ZMTP 3.0 greeting (RFC 23) that names a security mechanism no peer has.
        var greeting = new byte[64];
        greeting[0] = 0xFF;
        greeting[8] = 1;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        "JUNK"u8.CopyTo(greeting.AsSpan(12));
        raw.GetStream().Write(greeting);

        Assert.That(monitor.WaitFor(ZmqMonitorEvents.HandshakeFailed, Wait, out var evt), Is.True);
        Assert.That(evt!.Kind, Is.EqualTo(ZmqMonitorEvents.HandshakeFailedProtocol));
        Assert.That(evt.ProtocolError, Is.EqualTo(ZmqProtocolError.ZmtpMechanismMismatch));
        Assert.That(evt.ToString(), Does.Contain("protocol-error=ZmtpMechanismMismatch"));
    }

    [Test]
    public void Events_ManyLeftUnread_NeverBlockTheThreadThatEmitsThem()
    {
        // libzmq sends events blocking (zmq_socket_monitor(3)); with the default high-water marks
        // (1,000 on each side of the inproc pipe) the 2,001st unread event would block the
        // emitting thread. A failed bind emits BindFailed synchronously in the thread that called
        // zmq_bind, so that thread is the one at risk. (A failed tcp bind costs libzmq about
        // half a millisecond, hence a count just past the limit.)
        const int count = 2_100;
        using var context = new ZmqContext();
        using var owner = context.CreateSocket(ZmqSocketType.Pull);
        owner.Bind("tcp://127.0.0.1:*");
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        using var monitor = new ZmqMonitor(socket, ZmqMonitorEvents.BindFailed);

        string endpoint = owner.LastEndpoint;
        var binds = Task.Run(() =>
        {
            int refused = 0;
            for (int i = 0; i < count; i++)
            {
                try
                {
                    socket.Bind(endpoint);
                }
                catch (ZmqException)
                {
                    // EADDRINUSE, or EAGAIN: libzmq 4.3.4 emits the event after saving errno, and
                    // sending it can leave EAGAIN in errno (socket_base.cpp, bind); the event has the real one.
                    refused++;
                }
            }

            return refused;
        });

        if (!binds.Wait(Wait))
        {
            // Blocked inside libzmq holding the socket's monitor lock: only shutting the context
            // down releases it (and lets the disposals below finish).
            context.Shutdown();
            Assert.Fail("the binding thread was blocked by an unread event");
        }

        Assert.That(binds.Result, Is.EqualTo(count));
        int received = 0;
        while (received < count && monitor.TryReceive(Wait, out var evt) && evt.Error == ZmqErrorCode.EADDRINUSE)
        {
            received++;
        }

        Assert.That(received, Is.EqualTo(count), "every event was kept");
    }

    [Test]
    public void EventSocket_EventWaiting_PollsReadable()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Pull);
        using var monitor = new ZmqMonitor(server);
        Assert.That(monitor.TryReceive(TimeSpan.Zero, out _), Is.False, "no event before bind");

        server.Bind("tcp://127.0.0.1:*");

        Assert.That(monitor.EventSocket.Poll(ZmqPollEvents.In, Wait), Is.EqualTo(ZmqPollEvents.In));
        Assert.That(monitor.TryReceive(TimeSpan.Zero, out var evt), Is.True);
        Assert.That(evt!.Kind, Is.EqualTo(ZmqMonitorEvents.Listening));
    }

    [Test]
    public void Dispose_Twice_IsHarmlessAndStopsMonitoring()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Pair);
        var monitor = new ZmqMonitor(server);
        server.Bind("tcp://127.0.0.1:*");

        monitor.Dispose();
        monitor.Dispose();

        Assert.That(monitor.IsDisposed, Is.True);
        Assert.That(monitor.EventSocket.IsDisposed, Is.True);
        Assert.That(() => monitor.TryReceive(TimeSpan.Zero, out _), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => monitor.Receive(), Throws.TypeOf<ObjectDisposedException>());
        // Were the monitor still on, libzmq would send the next events to the closed PAIR socket,
        // blocking its I/O thread: this connection and message would never go through.
        AssertStillWorks(context, server);
        using var second = new ZmqMonitor(server);
    }

    [Test]
    public void Finalize_MonitorNeverDisposed_StopsMonitoring()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Pair);
        server.Bind("tcp://127.0.0.1:*");
        var monitorRef = AbandonMonitor(server);

        for (int i = 0; i < 3 && monitorRef.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.That(monitorRef.IsAlive, Is.False);
        AssertStillWorks(context, server);
    }

    [Test]
    public void Dispose_FromAnotherThreadWhileTheSocketReceives_Works()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Pair);
        server.Bind("tcp://127.0.0.1:*");
        string endpoint = server.LastEndpoint;
        var monitor = new ZmqMonitor(server);
        server.ReceiveTimeout = Wait;
        var receiver = Task.Run(server.ReceiveString); // one blocking call: busy all along
        Assert.That(SpinWait.SpinUntil(() => server.IsBusy, Wait), Is.True);

        monitor.Dispose(); // stopping does not take the socket's one-thread-at-a-time lock

        using var client = context.CreateSocket(ZmqSocketType.Pair);
        client.Connect(endpoint);
        client.Send("hello");
        Assert.That(receiver.Wait(Wait), Is.True);
        Assert.That(receiver.Result, Is.EqualTo("hello"));
    }

    [Test]
    public void PipesStats_Requested_ReportsQueueCountsAndBothEndpoints()
    {
        Assume.That(Zmq.Has("draft"), "event version 2 is draft API");
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Pull);
        using var monitor = new ZmqMonitor(server, ZmqMonitorEvents.All | ZmqMonitorEvents.PipesStats);
        server.Bind("tcp://127.0.0.1:*");
        using var client = context.CreateSocket(ZmqSocketType.Push);
        client.Connect(server.LastEndpoint);
        client.Send("one");
        Assert.That(server.Poll(ZmqPollEvents.In, Wait), Is.EqualTo(ZmqPollEvents.In), "the message is queued, unread");
        Assert.That(monitor.WaitFor(ZmqMonitorEvents.Listening, Wait, out var listening), Is.True);
        Assert.That(listening!.LocalEndpoint, Is.EqualTo(server.LastEndpoint));
        Assert.That(listening.RemoteEndpoint, Is.Empty);
        Assert.That(listening.Endpoint, Is.EqualTo(server.LastEndpoint));

        Assert.That(monitor.RequestPipesStats(), Is.True);

        // The answer reaches the event stream when the server next processes its commands.
        ZmqMonitorEvent? stats = null;
        var deadline = DateTime.UtcNow + Wait;
        while (stats is null && DateTime.UtcNow < deadline)
        {
            _ = server.Events;
            monitor.WaitFor(ZmqMonitorEvents.PipesStats, TimeSpan.FromMilliseconds(20), out stats);
        }

        Assert.That(stats, Is.Not.Null);
        Assert.That(stats!.Values, Has.Count.EqualTo(2));
        Assert.That(stats.OutboundQueueCount, Is.EqualTo(0UL));
        Assert.That(stats.InboundQueueCount, Is.EqualTo(1UL), "the unread message");
        Assert.That(stats.LocalEndpoint, Is.EqualTo(server.LastEndpoint));
        Assert.That(stats.RemoteEndpoint, Does.StartWith("tcp://127.0.0.1:"));
    }

    [Test]
    public void RequestPipesStats_NotRequested_ThrowsInvalidOperation()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        using var monitor = new ZmqMonitor(socket);

        Assert.That(() => monitor.RequestPipesStats(), Throws.InvalidOperationException.With.Message.Contains("PipesStats"));
    }

    [Test]
    public void Constructor_BadArguments_Throw()
    {
        using var context = new ZmqContext();
        var socket = context.CreateSocket(ZmqSocketType.Pair);

        Assert.That(() => new ZmqMonitor(socket, ZmqMonitorEvents.None), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ZmqMonitor(socket, (ZmqMonitorEvents)0x40000), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ZmqMonitor(null!), Throws.ArgumentNullException);
        socket.Dispose();
        Assert.That(() => new ZmqMonitor(socket), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void TryReceive_ContextShutDown_ThrowsContextTerminated()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pair);
        using var monitor = new ZmqMonitor(socket);

        context.Shutdown();

        Assert.That(() => monitor.TryReceive(Wait, out _), Throws.TypeOf<ContextTerminatedException>());
    }

    [Test]
    public void Event_TypedValues_ReadTheValueForTheirKindsOnly()
    {
        var retried = new ZmqMonitorEvent(ZmqMonitorEvents.ConnectRetried, [200UL], "tcp://a:1");
        var bindFailed = new ZmqMonitorEvent(ZmqMonitorEvents.BindFailed, [(ulong)ZmqNative.Interop.Errno.ToErrno(ZmqErrorCode.EADDRINUSE)], "tcp://a:1");
        var auth = new ZmqMonitorEvent(ZmqMonitorEvents.HandshakeFailedAuth, [400UL], "tcp://a:1");

        Assert.That(retried.ReconnectInterval, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
        Assert.That((retried.FileDescriptor, retried.Error, retried.ProtocolError, retried.AuthStatusCode), Is.EqualTo(((nint?)null, (ZmqErrorCode?)null, (ZmqProtocolError?)null, (int?)null)));
        Assert.That(bindFailed.Error, Is.EqualTo(ZmqErrorCode.EADDRINUSE));
        Assert.That(bindFailed.ToString(), Is.EqualTo("BindFailed tcp://a:1 error=EADDRINUSE"));
        Assert.That(auth.AuthStatusCode, Is.EqualTo(400));
        Assert.That(auth.ReconnectInterval, Is.Null);
    }

    private static List<ZmqMonitorEvent> ReadUntil(ZmqMonitor monitor, ZmqMonitorEvents last)
    {
        var events = new List<ZmqMonitorEvent>();
        while (true)
        {
            Assert.That(monitor.TryReceive(Wait, out var evt), Is.True, $"{last} after {string.Join(", ", events)}");
            events.Add(evt!);
            if (evt!.Kind == last)
            {
                return events;
            }
        }
    }

    private static string UnusedTcpEndpoint()
    {
        // A port the OS just gave out and that is closed again (synchronously): nobody listens there.
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "tcp://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference AbandonMonitor(ZmqSocket socket) => new(new ZmqMonitor(socket));

    private static void AssertStillWorks(ZmqContext context, ZmqSocket server)
    {
        using var client = context.CreateSocket(ZmqSocketType.Pair);
        client.Connect(server.LastEndpoint);
        client.Send("ping");
        Assert.That(server.TryReceiveString(Wait, out var text), Is.True, "the monitored socket still exchanges messages");
        Assert.That(text, Is.EqualTo("ping"));
    }
}
