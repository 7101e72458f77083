namespace ZmqNative.Tests.Security;

/// <summary>
/// What the security tests share: a server that records how handshakes end (through its monitor),
/// and the check that an intruder got nothing to the application while a good client still does.
/// </summary>
internal static class SecurityKit
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>The handshake outcomes a server's monitor reports.</summary>
    public const ZmqMonitorEvents Outcomes = ZmqMonitorEvents.HandshakeSucceeded | ZmqMonitorEvents.HandshakeFailed;

    /// <summary>A PULL server configured by <paramref name="configure"/>, bound to a free tcp port, with a monitor of its handshakes.</summary>
    public static Guarded BindServer(ZmqContext context, Action<ZmqSocket> configure)
    {
        var server = context.CreateSocket(ZmqSocketType.Pull);
        configure(server);
        var monitor = new ZmqMonitor(server, Outcomes | ZmqMonitorEvents.Disconnected);
        server.Bind("tcp://127.0.0.1:*");
        return new Guarded(server, monitor);
    }

    /// <summary>A PUSH client configured by <paramref name="configure"/>, connected, with one message queued to send.</summary>
    public static ZmqSocket ConnectClient(ZmqContext context, string endpoint, Action<ZmqSocket> configure, string message)
    {
        var client = context.CreateSocket(ZmqSocketType.Push);
        client.Linger = TimeSpan.Zero;
        configure(client);
        client.Connect(endpoint);
        // PUSH queues on a connecting pipe (no ZMQ_IMMEDIATE): the message goes if the handshake succeeds.
        Assert.That(client.TrySend(message), Is.True, "the client queues its message");
        return client;
    }

    /// <summary>Waits for the next handshake outcome on the server (success or one of the failures).</summary>
    public static ZmqMonitorEvent NextOutcome(ZmqMonitor monitor)
    {
        Assert.That(monitor.WaitFor(Outcomes, Wait, out var evt), Is.True, "the server reports how the handshake ended");
        return evt!;
    }

    /// <summary>
    /// Connects an intruder, waits until the server reports its handshake failed, and returns that event;
    /// then proves nothing of the intruder reached the application: a good client connected afterwards
    /// gets its message through, and it is the only message the server has.
    /// </summary>
    public static ZmqMonitorEvent AssertRefused(
        ZmqContext context, Guarded guarded, Action<ZmqSocket> intruder, Action<ZmqSocket> goodClient, string? intruderAddress = null)
    {
        string endpoint = intruderAddress is null ? guarded.Endpoint : From(intruderAddress, guarded.Endpoint);
        using var bad = ConnectClient(context, endpoint, intruder, "from the intruder");
        var failure = NextOutcome(guarded.Monitor);
        Assert.That(failure.Kind, Is.Not.EqualTo(ZmqMonitorEvents.HandshakeSucceeded), $"the intruder was let in: {failure}");

        AssertServes(context, guarded, goodClient);
        return failure;
    }

    /// <summary>
    /// A tcp endpoint to connect to from a chosen local address (libzmq's "source;destination" form,
    /// zmq_tcp(7)). Linux routes all of 127.0.0.0/8 to the loopback interface, so 127.0.0.2 is a
    /// second client address on one machine.
    /// </summary>
    public static string From(string sourceAddress, string endpoint) =>
        "tcp://" + sourceAddress + ":0;" + endpoint["tcp://".Length..];

    /// <summary>Skips the test where the loopback interface has only 127.0.0.1 (macOS, Windows).</summary>
    public static void RequireSecondLoopbackAddress()
    {
        try
        {
            using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("127.0.0.2"), 0));
        }
        catch (System.Net.Sockets.SocketException)
        {
            Assert.Ignore("127.0.0.2 is not a local address here; the address tests need a second loopback address");
        }
    }

    /// <summary>A good client connects and its message is the only one the server receives.</summary>
    public static void AssertServes(ZmqContext context, Guarded guarded, Action<ZmqSocket> goodClient)
    {
        var (server, monitor) = (guarded.Server, guarded.Monitor);
        using var good = ConnectClient(context, guarded.Endpoint, goodClient, "from a good client");
        Assert.That(monitor.WaitFor(ZmqMonitorEvents.HandshakeSucceeded, Wait, out _), Is.True, "the good client's handshake succeeds");
        Assert.That(server.TryReceiveString(Wait, out var text), Is.True, "the server still serves good clients");
        Assert.That(text, Is.EqualTo("from a good client"), "nothing of the intruder reached the application");
        Assert.That(server.TryReceiveString(TimeSpan.Zero, out var extra), Is.False, $"an unexpected message arrived: {extra}");
    }

    /// <summary>Receives one message on the server and returns it with its User-Id property.</summary>
    public static (string Text, string? UserId) ReceiveWithUserId(ZmqSocket server)
    {
        using var message = new ZmqMessage();
        Assert.That(server.TryReceive(message, Wait), Is.True, "a message arrives");
        return (message.ToString(), message.GetProperty("User-Id"));
    }

    /// <summary>A fresh empty directory under the test's work folder.</summary>
    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "zmqnative-security-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>A server under test and the monitor of its handshakes, disposed together.</summary>
internal sealed class Guarded(ZmqSocket server, ZmqMonitor monitor) : IDisposable
{
    public ZmqSocket Server { get; } = server;

    public ZmqMonitor Monitor { get; } = monitor;

    public string Endpoint { get; } = server.LastEndpoint;

    public void Dispose()
    {
        Monitor.Dispose();
        Server.Dispose();
    }
}
