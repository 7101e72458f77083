namespace ZmqNative.Patterns.Freelance;

/// <summary>
/// The Freelance Protocol's commands (RFC 10/FLP, rfc.zeromq.org/spec:10) and the Guide's timing
/// constants for its three Freelance clients (chapter 4, "Brokerless Reliability").
/// </summary>
/// <remarks>
/// FLP, model three: clients and servers both use ROUTER sockets; a server sets its identity to its
/// public endpoint (the address clients connect to) before it binds, so a client can address it by
/// the endpoint it connected. A client sends either a ping, one frame <c>"PING"</c>, answered with one
/// frame <c>"PONG"</c>, or a request, a client control frame (CCF, here the request's sequence number
/// as decimal text) and one or more body frames, answered with the CCF unchanged and one or more reply
/// frames. Text frames carry no terminating NUL, as the Guide's C examples send them.
/// </remarks>
public static class FreelanceProtocol
{
    /// <summary>The ping command: one frame, these four characters.</summary>
    public const string Ping = "PING";

    /// <summary>The answer to a ping: one frame, these four characters.</summary>
    public const string Pong = "PONG";

    /// <summary>The Guide's model-one REQUEST_TIMEOUT: 1000 ms per server tried.</summary>
    public static TimeSpan DefaultFailoverTimeout { get; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>The Guide's model-one MAX_RETRIES for a single server: 3.</summary>
    public const int DefaultFailoverRetries = 3;

    /// <summary>The Guide's model-two GLOBAL_TIMEOUT: 2500 ms for any server to answer.</summary>
    public static TimeSpan DefaultShotgunTimeout { get; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>The Guide's model-three GLOBAL_TIMEOUT: 3000 ms for a request to be answered.</summary>
    public static TimeSpan DefaultGlobalTimeout { get; } = TimeSpan.FromMilliseconds(3000);

    /// <summary>The Guide's model-three PING_INTERVAL: 2000 ms between pings to a server.</summary>
    public static TimeSpan DefaultPingInterval { get; } = TimeSpan.FromMilliseconds(2000);

    /// <summary>The Guide's model-three SERVER_TTL: a server silent for 6000 ms is considered dead.</summary>
    public static TimeSpan DefaultServerTtl { get; } = TimeSpan.FromMilliseconds(6000);

    internal static ReadOnlySpan<byte> PingBytes => "PING"u8;

    internal static ReadOnlySpan<byte> PongBytes => "PONG"u8;

    internal static byte[] SequenceFrame(uint sequence) => System.Text.Encoding.ASCII.GetBytes(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal static bool IsSequence(byte[] frame, uint sequence) =>
        uint.TryParse(System.Text.Encoding.ASCII.GetString(frame), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint value)
        && value == sequence;
}
