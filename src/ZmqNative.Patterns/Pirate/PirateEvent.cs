namespace ZmqNative.Patterns.Pirate;

/// <summary>What a Pirate component reports to its <c>Observer</c> (for logs and for the examples' output).</summary>
public enum PirateEventKind
{
    /// <summary>A client or worker opened a new socket and connected it (<see cref="PirateEvent.Peer"/>: the endpoint).</summary>
    Connecting,

    /// <summary>
    /// Lazy Pirate client: an attempt got no (acceptable) reply in time; the request is sent again on
    /// a new socket (<see cref="PirateEvent.Count"/>: attempts left).
    /// </summary>
    NoResponse,

    /// <summary>Lazy Pirate client: a reply the caller's check refused (<see cref="PirateEvent.Frames"/>); the attempt counts as failed.</summary>
    RejectedReply,

    /// <summary>Lazy Pirate client: every attempt failed; the request is abandoned.</summary>
    Abandoned,

    /// <summary>A worker sent READY (0x01) on a new connection (<see cref="PirateEvent.Peer"/>: its identity).</summary>
    ReadySent,

    /// <summary>A heartbeat (0x02) went out (<see cref="PirateEvent.Peer"/>: the worker's identity, for the queue).</summary>
    HeartbeatSent,

    /// <summary>A heartbeat (0x02) came in (<see cref="PirateEvent.Peer"/>: the worker's identity, for the queue).</summary>
    HeartbeatReceived,

    /// <summary>Queue: a worker said READY (<see cref="PirateEvent.Peer"/>: its identity).</summary>
    WorkerReady,

    /// <summary>Worker: a request arrived (<see cref="PirateEvent.Frames"/>: the whole message, envelope included).</summary>
    RequestReceived,

    /// <summary>Worker: a reply went out (<see cref="PirateEvent.Frames"/>: the whole message, envelope included).</summary>
    ReplySent,

    /// <summary>Queue: a client's request went to a worker (<see cref="PirateEvent.Peer"/>: the worker; <see cref="PirateEvent.Frames"/>: the request as the client sent it).</summary>
    RequestRouted,

    /// <summary>Queue: a worker's reply went back to its client (<see cref="PirateEvent.Peer"/>: the worker; <see cref="PirateEvent.Frames"/>: the reply).</summary>
    ReplyRouted,

    /// <summary>Paranoid Pirate worker: the queue missed its liveness in heartbeats and is considered gone.</summary>
    QueueLost,

    /// <summary>Paranoid Pirate worker: it will reconnect after <see cref="PirateEvent.Delay"/> (exponential back-off).</summary>
    Reconnecting,

    /// <summary>Paranoid Pirate queue: an idle worker went silent for its liveness and was dropped (<see cref="PirateEvent.Peer"/>).</summary>
    IdleWorkerExpired,

    /// <summary>
    /// Paranoid Pirate queue: a worker holding a request went silent for its liveness and was dropped;
    /// that request is lost and its client must retry (<see cref="PirateEvent.Peer"/>).
    /// </summary>
    BusyWorkerExpired,

    /// <summary>Paranoid Pirate queue: a request could not be routed to a worker that has disconnected; it was dropped from the pool (<see cref="PirateEvent.Peer"/>).</summary>
    WorkerUnreachable,

    /// <summary>A message that fits no command of the protocol (<see cref="PirateEvent.Frames"/>); it was dropped.</summary>
    InvalidMessage,
}

/// <summary>
/// One thing a Pirate component did or saw. Observers run on the component's own thread, inside
/// its loop: keep them short and do not let them throw.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Peer">The endpoint or the worker identity it concerns (printable text, or hex for binary identities), if any.</param>
/// <param name="Frames">The message it concerns, if any (do not modify).</param>
/// <param name="Delay">For <see cref="PirateEventKind.Reconnecting"/>: how long the worker waits before it reconnects.</param>
/// <param name="Count">For <see cref="PirateEventKind.NoResponse"/>: the attempts left.</param>
public readonly record struct PirateEvent(
    PirateEventKind Kind,
    string? Peer = null,
    IReadOnlyList<byte[]>? Frames = null,
    TimeSpan Delay = default,
    int Count = 0);
