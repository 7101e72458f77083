using System.Net.Sockets;

namespace ZmqNative.Fuzz.Tests.Generator;

/// <summary>
/// One place a hostile peer talks to a server.
/// </summary>
/// <param name="Endpoint">Where to connect (or, with <paramref name="Bind"/>, where to bind for the server to connect to).</param>
/// <param name="PeerType">The hostile peer's socket type: DEALER facing a ROUTER or REP, XSUB facing an XPUB, PUB or ROUTER bound for a server that connects.</param>
/// <param name="Protocol">What the server expects there, so the traffic is almost right as well as plain wrong.</param>
/// <param name="Bind">The peer binds and the server connects (a hostile broker, a hostile publisher); raw TCP is only aimed at endpoints the server binds.</param>
internal sealed record FuzzEndpoint(string Endpoint, ZmqSocketType PeerType, FuzzProtocol Protocol, bool Bind = false);

/// <summary>What one burst sent, for the log and the failure message.</summary>
internal sealed class FuzzCounts
{
    public int Messages { get; set; }

    public int Blocked { get; set; }

    public int Flood { get; set; }

    public int StormSockets { get; set; }

    public int TcpConnections { get; set; }

    public Dictionary<string, int> TcpKinds { get; } = [];

    public override string ToString() =>
        $"{Messages} malformed messages ({Blocked} not accepted within the send timeout), {Flood} flood requests, {StormSockets} storm sockets, " +
        $"{TcpConnections} raw TCP connections ({string.Join(", ", TcpKinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})";
}

/// <summary>
/// Sends a generator's traffic: malformed messages from ZeroMQ peers, floods, connection storms
/// and raw TCP garbage through <see cref="System.Net.Sockets"/>. Never blocks without bound: every
/// send has a timeout (a server that stops reading must not hang the fuzzer, it must fail the check).
/// </summary>
internal sealed class FuzzAttacker(ZmqContext context, TrafficGenerator generator)
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Counts for the current burst.</summary>
    public FuzzCounts Counts { get; private set; } = new();

    /// <summary>Starts counting a new burst.</summary>
    public FuzzCounts NewBurst() => Counts = new FuzzCounts();

    /// <summary>Sends <paramref name="count"/> malformed messages to <paramref name="target"/>, now and then from a fresh socket.</summary>
    public void Messages(FuzzEndpoint target, int count, CancellationToken cancellation)
    {
        var peer = Open(target);
        try
        {
            var identities = new List<byte[]>();
            int blocked = 0;
            for (int i = 0; i < count && !cancellation.IsCancellationRequested; i++)
            {
                if (generator.Chance(0.03) && !target.Bind)
                {
                    // A new connection mid-stream: the server sees another peer, the old one vanish.
                    peer.Dispose();
                    peer = Open(target);
                }

                var message = generator.NextMessage(target.Protocol);
                if (target.PeerType == ZmqSocketType.Router)
                {
                    // A hostile broker: address whoever connected (learned from what they sent).
                    Learn(peer, identities, TimeSpan.FromMilliseconds(identities.Count == 0 ? 500 : 0));
                    if (identities.Count == 0)
                    {
                        continue;
                    }

                    message.Insert(0, generator.Pick(identities));
                }

                Counts.Messages++;
                if (!Send(peer, message, ref blocked))
                {
                    break;
                }

                Drain(peer, identities);
            }
        }
        finally
        {
            peer.Dispose();
        }
    }

    /// <summary>Sends <paramref name="count"/> requests of <paramref name="bodyBytes"/> each that a server with unbounded queues keeps.</summary>
    public void Flood(FuzzEndpoint target, int count, int bodyBytes, CancellationToken cancellation)
    {
        using var peer = Open(target);
        int blocked = 0;
        for (int i = 0; i < count && !cancellation.IsCancellationRequested; i++)
        {
            if (!Send(peer, generator.NextFloodMessage(target.Protocol, bodyBytes), ref blocked))
            {
                break;
            }

            Counts.Flood++;
            Drain(peer, null);
        }
    }

    /// <summary>Connects many sockets at once to the server's endpoints, has some send one bad message, and closes them all.</summary>
    public void Storm(IReadOnlyList<FuzzEndpoint> targets, int sockets)
    {
        var connectable = targets.Where(t => !t.Bind).ToList();
        if (connectable.Count == 0)
        {
            return;
        }

        var open = new List<ZmqSocket>(sockets);
        try
        {
            for (int i = 0; i < sockets; i++)
            {
                var target = generator.Pick(connectable);
                var socket = Open(target);
                open.Add(socket);
                Counts.StormSockets++;
                if (generator.Chance(0.3))
                {
                    socket.TrySendMultipart(generator.NextMessage(target.Protocol), TimeSpan.Zero);
                }
            }
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Opens <paramref name="connections"/> raw TCP connections to <paramref name="endpoint"/> and writes garbage on each.</summary>
    public void RawTcp(string endpoint, int connections, CancellationToken cancellation)
    {
        if (!TryParseTcp(endpoint, out var host, out int port))
        {
            return;
        }

        for (int i = 0; i < connections && !cancellation.IsCancellationRequested; i++)
        {
            var (kind, payload) = generator.NextTcpGarbage();
            bool reset = generator.Chance(0.3);
            Counts.TcpConnections++;
            Counts.TcpKinds[kind] = Counts.TcpKinds.GetValueOrDefault(kind) + 1;
            try
            {
                using var client = new TcpClient();
                client.SendTimeout = 1000;
                client.ReceiveTimeout = 200;
                if (!client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2)))
                {
                    continue;
                }

                var stream = client.GetStream();
                stream.Write(payload);
                if (generator.Chance(0.5))
                {
                    // Read what the server says (its greeting), so it gets to parse ours.
                    var buffer = new byte[128];
                    try
                    {
                        _ = stream.Read(buffer);
                    }
                    catch (IOException)
                    {
                        // timed out or closed by the server: both fine
                    }
                }

                if (reset)
                {
                    client.LingerState = new LingerOption(true, 0); // close with RST instead of FIN
                }
            }
            catch (Exception e) when (e is SocketException or IOException or AggregateException)
            {
                // the server refused or dropped us: that is its right
            }
        }
    }

    /// <summary>
    /// Sends one message from a hostile peer (a hostile broker passes its socket and learns nothing
    /// here); false once the server has refused three in a row: it stopped reading, which ZeroMQ's
    /// high-water marks allow (zmq_socket(3)), and the round trip after the burst tells whether it
    /// still serves.
    /// </summary>
    public bool Send(ZmqSocket peer, List<byte[]> message, ref int blocked)
    {
        if (peer.TrySendMultipart(message, SendTimeout))
        {
            blocked = 0;
            return true;
        }

        Counts.Blocked++;
        return ++blocked < 3;
    }

    /// <summary>Counts a message a caller sent itself (a hostile broker's burst).</summary>
    public void Sent() => Counts.Messages++;

    /// <summary>Splits tcp://host:port (a server's bind address, * meaning this host).</summary>
    public static bool TryParseTcp(string endpoint, out string host, out int port)
    {
        host = "127.0.0.1";
        port = 0;
        if (!endpoint.StartsWith("tcp://", StringComparison.Ordinal))
        {
            return false;
        }

        int colon = endpoint.LastIndexOf(':');
        string name = endpoint[6..colon];
        host = name is "*" or "localhost" or "" ? "127.0.0.1" : name;
        return int.TryParse(endpoint[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port);
    }

    private ZmqSocket Open(FuzzEndpoint target)
    {
        var socket = context.CreateSocket(target.PeerType);
        socket.Linger = TimeSpan.Zero;
        if (target.Bind)
        {
            socket.Bind(target.Endpoint);
        }
        else
        {
            if (generator.Chance(0.2))
            {
                // Odd routing ids: empty is not allowed by libzmq, but 255 bytes and binary are.
                socket.RoutingId = generator.Chance(0.5) ? generator.Bytes(255) : [0x00, .. generator.Bytes(generator.Next(1, 8))];
            }

            socket.Connect(target.Endpoint);
        }

        return socket;
    }

    private static void Learn(ZmqSocket router, List<byte[]> identities, TimeSpan wait)
    {
        if (router.TryReceiveMultipart(wait, out var frames) && frames[0].Length > 0 && !identities.Any(i => i.AsSpan().SequenceEqual(frames[0])))
        {
            identities.Add(frames[0]);
        }
    }

    private static void Drain(ZmqSocket socket, List<byte[]>? identities)
    {
        if (socket.Type == ZmqSocketType.Pub)
        {
            return;
        }

        for (int i = 0; i < 100 && socket.TryReceiveMultipart(TimeSpan.Zero, out var frames); i++)
        {
            if (identities is not null && socket.Type == ZmqSocketType.Router && frames[0].Length > 0 && !identities.Any(x => x.AsSpan().SequenceEqual(frames[0])))
            {
                identities.Add(frames[0]);
            }
        }
    }
}
