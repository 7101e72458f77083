namespace ZmqNative.Patterns.Freelance;

/// <summary>What a Freelance component reports to its <c>Observer</c>.</summary>
public enum FreelanceEventKind
{
    /// <summary>A client connected to a server (<see cref="FreelanceEvent.Endpoint"/>).</summary>
    Connecting,

    /// <summary>Model one: the request goes to this server now (<see cref="FreelanceEvent.Endpoint"/>).</summary>
    Trying,

    /// <summary>Model one: the server did not answer in time (<see cref="FreelanceEvent.Count"/>: retries left for a single server, 0 otherwise).</summary>
    NoResponse,

    /// <summary>Model three: a ping went to a server.</summary>
    PingSent,

    /// <summary>Model three: a server answered a ping.</summary>
    PongReceived,

    /// <summary>Model three: a server spoke after being silent or unknown: requests may go to it.</summary>
    ServerAlive,

    /// <summary>Model three: a server was silent for its TTL or has disconnected: requests avoid it.</summary>
    ServerDead,

    /// <summary>A request went to a server (<see cref="FreelanceEvent.Frames"/>: as sent, control frame included).</summary>
    RequestSent,

    /// <summary>A reply arrived for the current request (<see cref="FreelanceEvent.Frames"/>: as received).</summary>
    ReplyReceived,

    /// <summary>A reply for an earlier request (a duplicate or a late one) was dropped.</summary>
    StaleReply,

    /// <summary>No server answered within the global timeout: the request failed.</summary>
    RequestFailed,

    /// <summary>Server: a request arrived (<see cref="FreelanceEvent.Frames"/>: with the client's routing frame).</summary>
    RequestReceived,

    /// <summary>Server: a reply or a pong went out (<see cref="FreelanceEvent.Frames"/>: with the client's routing frame).</summary>
    ReplySent,

    /// <summary>A message that fits no FLP command was dropped (<see cref="FreelanceEvent.Frames"/>).</summary>
    InvalidMessage,

    /// <summary>
    /// Model three: the caller cancelled its request, so the agent stopped sending it to servers
    /// (<see cref="FreelanceEvent.Frames"/>: the request's body). Replies that still come are dropped as stale.
    /// </summary>
    RequestCancelled,
}

/// <summary>
/// One thing a Freelance component did or saw. Observers run on the component's own thread (the
/// model-three client's agent thread, the caller's thread otherwise): keep them short and do not let them throw.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Endpoint">The server it concerns, if any.</param>
/// <param name="Frames">The message it concerns, if any (do not modify).</param>
/// <param name="Count">For <see cref="FreelanceEventKind.NoResponse"/>: retries left.</param>
public readonly record struct FreelanceEvent(
    FreelanceEventKind Kind,
    string? Endpoint = null,
    IReadOnlyList<byte[]>? Frames = null,
    int Count = 0);
