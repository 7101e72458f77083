using System.Text;

namespace ZmqNative.Patterns.Majordomo;

/// <summary>
/// Wire constants of the Majordomo Protocol (RFC 7/MDP 0.1) and its service discovery extension
/// (RFC 8/MMI), byte for byte as the RFCs and the Guide's mdp.h define them, plus the Guide's timing
/// defaults (chapter 4, "Service-Oriented Reliable Queuing").
/// </summary>
public static class MajordomoProtocol
{
    /// <summary>RFC 7: the client header frame, "MDPC01" (six bytes, MDP/Client v0.1).</summary>
    public const string ClientHeader = "MDPC01";

    /// <summary>RFC 7: the worker header frame, "MDPW01" (six bytes, MDP/Worker v0.1).</summary>
    public const string WorkerHeader = "MDPW01";

    /// <summary>RFC 7 READY command byte (worker to broker, carries the service name).</summary>
    public const byte Ready = 0x01;

    /// <summary>RFC 7 REQUEST command byte (broker to worker, carries client address and body).</summary>
    public const byte Request = 0x02;

    /// <summary>RFC 7 REPLY command byte (worker to broker, carries client address and body).</summary>
    public const byte Reply = 0x03;

    /// <summary>RFC 7 HEARTBEAT command byte (both ways).</summary>
    public const byte Heartbeat = 0x04;

    /// <summary>RFC 7 DISCONNECT command byte (both ways).</summary>
    public const byte Disconnect = 0x05;

    /// <summary>RFC 8: service names starting with this prefix are answered by the broker itself.</summary>
    public const string MmiPrefix = "mmi.";

    /// <summary>RFC 8: the service lookup: the body is a service name, the reply "200" or "404".</summary>
    public const string MmiService = "mmi.service";

    /// <summary>The Guide's default broker endpoint (mdbroker binds it, the APIs connect to it).</summary>
    public const string DefaultEndpoint = "tcp://localhost:5555";

    /// <summary>The Guide's HEARTBEAT_LIVENESS: 3 silent intervals mean the peer is dead (RFC 7 says 3-5).</summary>
    public const int DefaultLiveness = 3;

    /// <summary>The Guide's HEARTBEAT_INTERVAL, 2500 ms (mdbroker.c and mdwrkapi.c).</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromMilliseconds(2500);

    /// <summary>The Guide's worker reconnect delay, 2500 ms (mdwrkapi.c).</summary>
    public static readonly TimeSpan DefaultReconnectInterval = TimeSpan.FromMilliseconds(2500);

    /// <summary>The Guide's client request timeout, 2500 ms (mdcliapi.c).</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromMilliseconds(2500);

    /// <summary>The Guide's client retries, 3 (mdcliapi.c).</summary>
    public const int DefaultRetries = 3;

    internal static readonly byte[] ClientHeaderBytes = Encoding.ASCII.GetBytes(ClientHeader);
    internal static readonly byte[] WorkerHeaderBytes = Encoding.ASCII.GetBytes(WorkerHeader);

    /// <summary>
    /// Renders a multipart message the way the Guide's zmsg_dump does, one line per frame:
    /// "[size] text" for printable frames, hex otherwise (used by the components' -v traces).
    /// </summary>
    /// <param name="frames">The frames to render.</param>
    /// <returns>The rendered lines joined with newlines.</returns>
    public static string Dump(IEnumerable<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var text = new StringBuilder();
        foreach (byte[] frame in frames)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append('[').Append(frame.Length.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).Append("] ");
            bool printable = frame.All(b => b >= 32 && b < 127);
            text.Append(printable ? Encoding.ASCII.GetString(frame) : Convert.ToHexString(frame));
        }

        return text.ToString();
    }

    internal static bool Is(byte[] frame, byte[] expected) => frame.AsSpan().SequenceEqual(expected);

    /// <summary>
    /// The body of a broker's reply to a client, <c>[MDPC01][service][body...]</c> from frame
    /// <paramref name="first"/> on (after any envelope); null, logged and dropped, for anything else
    /// or for another service's reply (RFC 7 MDP/Client).
    /// </summary>
    internal static List<byte[]>? UnwrapClientReply(List<byte[]> frames, int first, string service, Action<string>? log)
    {
        if (frames.Count < first + 2 || !Is(frames[first], ClientHeaderBytes)
            || Encoding.UTF8.GetString(frames[first + 1]) != service)
        {
            log?.Invoke("E: invalid reply from broker, dropped");
            return null;
        }

        return frames.GetRange(first + 2, frames.Count - first - 2);
    }
}
