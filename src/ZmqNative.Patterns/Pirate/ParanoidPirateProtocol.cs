namespace ZmqNative.Patterns.Pirate;

/// <summary>
/// The two commands of the Paranoid Pirate Protocol (RFC 6/PPP, rfc.zeromq.org/spec:6), byte for
/// byte as the Guide's ppqueue and ppworker send them, so our queue and worker talk to the Guide's
/// C and Python versions unchanged. Requests and replies carry no command byte: PPP tells them from
/// the commands by their shape (an address stack, an empty delimiter, then one or more body frames).
/// </summary>
/// <remarks>
/// The Simple Pirate worker (Guide chapter 4, spworker) uses the same READY byte, so the Simple
/// Pirate queue accepts it too.
/// </remarks>
public static class ParanoidPirateProtocol
{
    /// <summary>READY: a one-frame message holding the single byte 0x01; the worker's first message (RFC 6).</summary>
    public const byte Ready = 0x01;

    /// <summary>HEARTBEAT: a one-frame message holding the single byte 0x02, sent both ways at regular intervals (RFC 6).</summary>
    public const byte Heartbeat = 0x02;

    /// <summary>The Guide's HEARTBEAT_INTERVAL: 1000 ms.</summary>
    public static TimeSpan DefaultHeartbeatInterval { get; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>The Guide's HEARTBEAT_LIVENESS: 3 missed heartbeats ("3-5 is reasonable").</summary>
    public const int DefaultLiveness = 3;

    /// <summary>
    /// The largest frame, in bytes, both Pirate queues accept from a peer unless told otherwise: 1 MiB
    /// (not the Guide's: its queues take any size). See <see cref="ParanoidPirateQueueOptions.MaxMessageSize"/>.
    /// </summary>
    public const long DefaultMaxMessageSize = 1 << 20;

    /// <summary>The Guide's INTERVAL_INIT: the first reconnect delay, 1000 ms.</summary>
    public static TimeSpan DefaultReconnectInterval { get; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>The Guide's INTERVAL_MAX: the longest reconnect delay after exponential back-off, 32000 ms.</summary>
    public static TimeSpan DefaultReconnectIntervalMax { get; } = TimeSpan.FromMilliseconds(32000);

    /// <summary>Whether a message is exactly one frame holding one command byte.</summary>
    /// <param name="frames">The message (without any routing envelope).</param>
    /// <param name="command"><see cref="Ready"/> or <see cref="Heartbeat"/>.</param>
    /// <returns>True when it is that command.</returns>
    public static bool IsCommand(IReadOnlyList<byte[]> frames, byte command)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return frames.Count == 1 && frames[0].Length == 1 && frames[0][0] == command;
    }

    /// <summary>
    /// Splits a request or reply into its envelope (the address stack up to and including the first
    /// empty delimiter frame) and its body (the frames after it), as RFC 6 defines REQUEST and REPLY.
    /// </summary>
    /// <param name="frames">The message.</param>
    /// <param name="envelopeLength">The number of envelope frames, delimiter included.</param>
    /// <returns>False when there is no delimiter after at least one address, or no body after it.</returns>
    public static bool TrySplitEnvelope(IReadOnlyList<byte[]> frames, out int envelopeLength)
    {
        ArgumentNullException.ThrowIfNull(frames);
        for (int i = 1; i < frames.Count - 1; i++)
        {
            if (frames[i].Length == 0)
            {
                envelopeLength = i + 1;
                return true;
            }
        }

        envelopeLength = 0;
        return false;
    }

    internal static byte[] ReadyFrame() => [Ready];

    internal static byte[] HeartbeatFrame() => [Heartbeat];
}
