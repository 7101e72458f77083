namespace ZmqNative.Fuzz.Tests.Generator;

/// <summary>
/// What a server expects on one endpoint, so the generator can make traffic that is almost right
/// (the right header with a wrong command, a valid message cut short) as well as plain noise.
/// </summary>
internal enum FuzzProtocol
{
    /// <summary>No protocol above ZeroMQ framing: REQ/REP style [""][body] or anything.</summary>
    Generic,

    /// <summary>A Majordomo client talking to the broker (RFC 7/MDP: [""]["MDPC01"][service][body...]).</summary>
    MajordomoClient,

    /// <summary>A Majordomo worker talking to the broker (RFC 7/MDP: [""]["MDPW01"][command][...]).</summary>
    MajordomoWorker,

    /// <summary>A broker talking to a Majordomo worker (RFC 7/MDP: REQUEST, HEARTBEAT, DISCONNECT, ...).</summary>
    MajordomoBroker,

    /// <summary>A Paranoid Pirate worker talking to the queue (RFC 6/PPP: READY 0x01, HEARTBEAT 0x02, replies).</summary>
    PirateWorker,

    /// <summary>A Paranoid Pirate queue talking to a worker (heartbeats and requests with an envelope).</summary>
    PirateQueue,

    /// <summary>A Titanic client going through the broker (RFC 9/TSP: titanic.request/reply/close over MDP).</summary>
    Titanic,

    /// <summary>A Binary Star peer publishing its state (one frame, a state number as text).</summary>
    BinaryStarState,

    /// <summary>A Freelance client (RFC 10/FLP: [PING] or [sequence][body...]).</summary>
    Freelance,
}
