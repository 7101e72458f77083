namespace ZmqNative.Tests.Sockets;

/// <summary>
/// Option values outside the ranges of zmq_setsockopt(3) and zmq_ctx_set(3) are refused by the
/// safe layer with an ArgumentException naming the option, before libzmq sees them (issue 16,
/// item 6). This table is written from the man pages, apart from the production table
/// (OptionRules), so that a wrong row there fails here.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class OptionRangeTests
{
    /// <summary>One value just outside each documented range, and the option the error must name.</summary>
    public static IEnumerable<TestCaseData> SocketValuesOutOfRange()
    {
        yield return Socket("RoutingId empty", s => s.RoutingId = [], "ZMQ_ROUTING_ID");
        yield return Socket("RoutingId 256 bytes", s => s.RoutingId = new byte[256], "ZMQ_ROUTING_ID");
        yield return Socket("ConnectRoutingId empty", s => s.ConnectRoutingId = [], "ZMQ_CONNECT_ROUTING_ID");
        yield return Socket("ConnectRoutingId 256 bytes", s => s.ConnectRoutingId = new byte[256], "ZMQ_CONNECT_ROUTING_ID");
        yield return Socket("Rate 0", s => s.Rate = 0, "ZMQ_RATE");
        yield return Socket("RecoveryInterval infinite", s => s.RecoveryInterval = Timeout.InfiniteTimeSpan, "ZMQ_RECOVERY_IVL");
        yield return Socket("SendBuffer -2", s => s.SendBuffer = -2, "ZMQ_SNDBUF");
        yield return Socket("ReceiveBuffer -2", s => s.ReceiveBuffer = -2, "ZMQ_RCVBUF");
        yield return Socket("Backlog -5", s => s.Backlog = -5, "ZMQ_BACKLOG");
        yield return Socket("ReconnectIntervalMax infinite", s => s.ReconnectIntervalMax = Timeout.InfiniteTimeSpan, "ZMQ_RECONNECT_IVL_MAX");
        yield return Socket("MaxMessageSize -5", s => s.MaxMessageSize = -5, "ZMQ_MAXMSGSIZE");
        yield return Socket("SendHighWatermark -1", s => s.SendHighWatermark = -1, "ZMQ_SNDHWM");
        yield return Socket("ReceiveHighWatermark -1", s => s.ReceiveHighWatermark = -1, "ZMQ_RCVHWM");
        yield return Socket("MulticastHops 0", s => s.MulticastHops = 0, "ZMQ_MULTICAST_HOPS");
        yield return Socket("MulticastMaxTransportDataUnit 0", s => s.MulticastMaxTransportDataUnit = 0, "ZMQ_MULTICAST_MAXTPDU");
        yield return Socket("TcpKeepalive 7", s => s.TcpKeepalive = 7, "ZMQ_TCP_KEEPALIVE");
        yield return Socket("TcpKeepalive -2", s => s.TcpKeepalive = -2, "ZMQ_TCP_KEEPALIVE");
        yield return Socket("TcpKeepaliveCount 0", s => s.TcpKeepaliveCount = 0, "ZMQ_TCP_KEEPALIVE_CNT");
        yield return Socket("TcpKeepaliveIdle 0", s => s.TcpKeepaliveIdle = 0, "ZMQ_TCP_KEEPALIVE_IDLE");
        yield return Socket("TcpKeepaliveInterval -2", s => s.TcpKeepaliveInterval = -2, "ZMQ_TCP_KEEPALIVE_INTVL");
        yield return Socket("TypeOfService -1", s => s.TypeOfService = -1, "ZMQ_TOS");
        yield return Socket("PlainUserName 256 bytes", s => s.PlainUserName = new string('u', 256), "ZMQ_PLAIN_USERNAME");
        yield return Socket("PlainPassword 256 bytes", s => s.PlainPassword = new string('p', 256), "ZMQ_PLAIN_PASSWORD");
        yield return Socket("ZapDomain 256 bytes", s => s.ZapDomain = new string('d', 256), "ZMQ_ZAP_DOMAIN");
        yield return Socket("GssApiPrincipal empty", s => s.GssApiPrincipal = "", "ZMQ_GSSAPI_PRINCIPAL");
        yield return Socket("GssApiServicePrincipal 256 bytes", s => s.GssApiServicePrincipal = new string('s', 256), "ZMQ_GSSAPI_SERVICE_PRINCIPAL");
        yield return Socket("GssApiPrincipalNameType 3", s => s.GssApiPrincipalNameType = 3, "ZMQ_GSSAPI_PRINCIPAL_NAMETYPE");
        yield return Socket("GssApiServicePrincipalNameType -1", s => s.GssApiServicePrincipalNameType = -1, "ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE");
        yield return Socket("HandshakeInterval infinite", s => s.HandshakeInterval = Timeout.InfiniteTimeSpan, "ZMQ_HANDSHAKE_IVL");
        yield return Socket("HeartbeatInterval infinite", s => s.HeartbeatInterval = Timeout.InfiniteTimeSpan, "ZMQ_HEARTBEAT_IVL");
        yield return Socket("HeartbeatTimeToLive 6553600 ms", s => s.HeartbeatTimeToLive = TimeSpan.FromMilliseconds(6_553_600), "ZMQ_HEARTBEAT_TTL");
        yield return Socket("HeartbeatTimeout infinite", s => s.HeartbeatTimeout = Timeout.InfiniteTimeSpan, "ZMQ_HEARTBEAT_TIMEOUT");
        yield return Socket("ConnectTimeout infinite", s => s.ConnectTimeout = Timeout.InfiniteTimeSpan, "ZMQ_CONNECT_TIMEOUT");
        yield return Socket("TcpMaxRetransmitTimeout infinite", s => s.TcpMaxRetransmitTimeout = Timeout.InfiniteTimeSpan, "ZMQ_TCP_MAXRT");
        yield return Socket("UseFd -2", s => s.UseFd = -2, "ZMQ_USE_FD");
        yield return Socket("RouterNotify 4", s => s.RouterNotify = 4, "ZMQ_ROUTER_NOTIFY");
        yield return Socket("ReconnectStop 4", s => s.ReconnectStop = 4, "ZMQ_RECONNECT_STOP");
        yield return Socket("SocksUserName 256 bytes", s => s.SocksUserName = new string('u', 256), "ZMQ_SOCKS_USERNAME");
        yield return Socket("SocksPassword 256 bytes", s => s.SocksPassword = new string('p', 256), "ZMQ_SOCKS_PASSWORD");
        yield return Socket("InBatchSize 0", s => s.InBatchSize = 0, "ZMQ_IN_BATCH_SIZE");
        yield return Socket("OutBatchSize 0", s => s.OutBatchSize = 0, "ZMQ_OUT_BATCH_SIZE");
        yield return Socket("SetOption ZMQ_IMMEDIATE 2", s => s.SetOption(39, 2), "ZMQ_IMMEDIATE");
        yield return Socket("SetOption ZMQ_CONFLATE -1", s => s.SetOption(54, -1), "ZMQ_CONFLATE");
        yield return Socket("SetOption ZMQ_LINGER -2", s => s.SetOption(17, -2), "ZMQ_LINGER");
        yield return Socket("SetOption ZMQ_RCVTIMEO -2", s => s.SetOption(27, -2), "ZMQ_RCVTIMEO");
        yield return Socket("SetOption ZMQ_RECONNECT_IVL -2", s => s.SetOption(18, -2), "ZMQ_RECONNECT_IVL");
    }

    /// <summary>The edge values inside each range, which must still be taken.</summary>
    public static IEnumerable<TestCaseData> SocketValuesAtTheEdge()
    {
        yield return Socket("RoutingId 1 byte", s => s.RoutingId = [7], null);
        yield return Socket("RoutingId 255 bytes", s => s.RoutingId = new byte[255], null);
        yield return Socket("Rate 1", s => s.Rate = 1, null);
        yield return Socket("SendBuffer -1", s => s.SendBuffer = -1, null);
        yield return Socket("ReceiveBuffer 0", s => s.ReceiveBuffer = 0, null);
        yield return Socket("Backlog 0", s => s.Backlog = 0, null);
        yield return Socket("MaxMessageSize -1", s => s.MaxMessageSize = -1, null);
        yield return Socket("MaxMessageSize 0", s => s.MaxMessageSize = 0, null);
        yield return Socket("MulticastHops 1", s => s.MulticastHops = 1, null);
        yield return Socket("TcpKeepalive -1", s => s.TcpKeepalive = -1, null);
        yield return Socket("TcpKeepalive 1", s => s.TcpKeepalive = 1, null);
        yield return Socket("TcpKeepaliveCount -1", s => s.TcpKeepaliveCount = -1, null);
        yield return Socket("InBatchSize 1", s => s.InBatchSize = 1, null);
        yield return Socket("Linger infinite", s => s.Linger = Timeout.InfiniteTimeSpan, null);
        yield return Socket("ReceiveTimeout infinite", s => s.ReceiveTimeout = Timeout.InfiniteTimeSpan, null);
        yield return Socket("HeartbeatTimeToLive 6553599 ms", s => s.HeartbeatTimeToLive = TimeSpan.FromMilliseconds(6_553_599), null);
        yield return Socket("PlainUserName empty", s => s.PlainUserName = "", null);
        yield return Socket("RouterNotify 3", s => s.RouterNotify = 3, null);
    }

    [TestCaseSource(nameof(SocketValuesOutOfRange))]
    public void SocketOption_ValueOutOfRange_ThrowsArgumentExceptionNamingTheOption(Action<ZmqSocket> set, string option)
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Router);

        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => set(socket));

        Assert.That(error!.Message, Does.Contain(option));
    }

    [TestCaseSource(nameof(SocketValuesAtTheEdge))]
    public void SocketOption_ValueAtTheEdgeOfItsRange_IsTaken(Action<ZmqSocket> set, string? option)
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Router);

        Assert.That(() => set(socket), Throws.Nothing);
    }

    public static IEnumerable<TestCaseData> ContextValuesOutOfRange()
    {
        yield return Context("IoThreads -1", c => c.IoThreads = -1, "ZMQ_IO_THREADS");
        yield return Context("MaxSockets 0", c => c.MaxSockets = 0, "ZMQ_MAX_SOCKETS");
        yield return Context("MaxMessageSize -1", c => c.MaxMessageSize = -1, "ZMQ_MAX_MSGSZ");
        yield return Context("ThreadPriority -2", c => c.ThreadPriority = -2, "ZMQ_THREAD_PRIORITY");
        yield return Context("ThreadSchedulingPolicy -2", c => c.ThreadSchedulingPolicy = -2, "ZMQ_THREAD_SCHED_POLICY");
        yield return Context("ThreadNamePrefix -1", c => c.ThreadNamePrefix = -1, "ZMQ_THREAD_NAME_PREFIX");
        yield return Context("SetOption ZMQ_BLOCKY 2", c => c.SetOption(70, 2), "ZMQ_BLOCKY");
        yield return Context("DefaultLinger -2 s", c => c.DefaultLinger = TimeSpan.FromSeconds(-2), "ZMQ_LINGER");
    }

    [TestCaseSource(nameof(ContextValuesOutOfRange))]
    public void ContextOption_ValueOutOfRange_ThrowsArgumentExceptionNamingTheOption(Action<ZmqContext> set, string option)
    {
        using var context = new ZmqContext();

        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => set(context));

        Assert.That(error!.Message, Does.Contain(option));
    }

    [Test]
    public void ContextOptions_ValuesAtTheEdge_AreTaken()
    {
        using var context = new ZmqContext();
        Assert.That(() => context.IoThreads = 0, Throws.Nothing);
        Assert.That(() => context.MaxSockets = 1, Throws.Nothing);
        Assert.That(() => context.MaxMessageSize = 0, Throws.Nothing);
        Assert.That(() => context.DefaultLinger = Timeout.InfiniteTimeSpan, Throws.Nothing);
        Assert.That(() => context.DefaultLinger = TimeSpan.Zero, Throws.Nothing);
    }

    private static TestCaseData Socket(string name, Action<ZmqSocket> set, string? option) =>
        new TestCaseData(set, option).SetArgDisplayNames(name);

    private static TestCaseData Context(string name, Action<ZmqContext> set, string option) =>
        new TestCaseData(set, option).SetArgDisplayNames(name);
}
