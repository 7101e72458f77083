namespace ZmqNative.Patterns.Majordomo;

/// <summary>What a Majordomo broker or worker reports to its <c>Observer</c> (for structured logs and metrics).</summary>
public enum MajordomoEventKind
{
    /// <summary>Broker: a worker registered (<see cref="MajordomoEvent.Worker"/>, <see cref="MajordomoEvent.Service"/>).</summary>
    WorkerRegistered,

    /// <summary>Broker: an idle worker missed its heartbeats for Liveness intervals and was dropped.</summary>
    WorkerExpired,

    /// <summary>
    /// Broker: a worker was dropped because its connection ended, it said DISCONNECT, or it broke the protocol
    /// (<see cref="MajordomoEvent.Reason"/> says which).
    /// </summary>
    WorkerRemoved,

    /// <summary>Broker: a client request was queued for its service (<see cref="MajordomoEvent.Bytes"/>: its size).</summary>
    RequestQueued,

    /// <summary>Broker: a queued request went to a worker.</summary>
    RequestDispatched,

    /// <summary>Broker: a worker's reply went back to its client.</summary>
    ReplyRouted,

    /// <summary>Broker: a waiting request was dropped (<see cref="MajordomoEvent.Reason"/>: a queue bound or its expiry).</summary>
    RequestDropped,

    /// <summary>Broker or worker: a message that fits no MDP command was dropped (<see cref="MajordomoEvent.Reason"/>).</summary>
    InvalidMessage,

    /// <summary>Worker: it opened a new socket to the broker and sent READY (<see cref="MajordomoEvent.Count"/>: connections so far).</summary>
    Connecting,

    /// <summary>Worker: the broker was silent for Liveness heartbeats; the worker reconnects after its reconnect interval.</summary>
    BrokerLost,

    /// <summary>Worker: the broker sent DISCONNECT; the worker registers again on a new socket.</summary>
    DisconnectReceived,
}

/// <summary>
/// One thing a Majordomo broker or worker did or saw. Observers run on the component's own thread, inside
/// its loop: keep them short and do not let them throw. No message body is ever included.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Service">The service it concerns, if any.</param>
/// <param name="Worker">The worker it concerns (its routing id in hex), if any.</param>
/// <param name="Reason">Why, for removals, drops and invalid messages; for <see cref="MajordomoEventKind.Connecting"/>: the broker endpoint.</param>
/// <param name="Bytes">For requests: the size of the request (envelope and body).</param>
/// <param name="Count">For <see cref="MajordomoEventKind.Connecting"/>: the worker's connections so far.</param>
/// <param name="QueueDepth">Broker events about a service: the requests it has waiting after the event (0 once it is forgotten); -1 otherwise.</param>
/// <param name="ServiceWorkers">Broker events about a service: the workers it has after the event; -1 otherwise.</param>
public readonly record struct MajordomoEvent(
    MajordomoEventKind Kind,
    string? Service = null,
    string? Worker = null,
    string? Reason = null,
    long Bytes = 0,
    int Count = 0,
    int QueueDepth = -1,
    int ServiceWorkers = -1);
