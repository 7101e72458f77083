using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Pirate;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Extensions.Hosting;

/// <summary>The Majordomo broker service, bound from <c>"ZmqNative:MajordomoBroker"</c>; see <see cref="MajordomoBrokerOptions"/> for each setting's meaning.</summary>
public sealed class MajordomoBrokerServiceOptions
{
    /// <summary>The default configuration section.</summary>
    public const string SectionName = "ZmqNative:MajordomoBroker";

    /// <summary>Where the broker binds (at least one), e.g. <c>tcp://*:5555</c>, <c>tcp://127.0.0.1:*</c> or <c>inproc://mdp</c>.</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary><see cref="MajordomoBrokerOptions.HeartbeatInterval"/>: 2500 ms.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = MajordomoProtocol.DefaultHeartbeatInterval;

    /// <summary><see cref="MajordomoBrokerOptions.Liveness"/>: 3.</summary>
    public int Liveness { get; set; } = MajordomoProtocol.DefaultLiveness;

    /// <summary><see cref="MajordomoBrokerOptions.MaxQueuedRequestsPerService"/>: 1,000.</summary>
    public int MaxQueuedRequestsPerService { get; set; } = 1_000;

    /// <summary><see cref="MajordomoBrokerOptions.MaxQueuedRequests"/>: 10,000.</summary>
    public int MaxQueuedRequests { get; set; } = 10_000;

    /// <summary><see cref="MajordomoBrokerOptions.MaxQueuedBytes"/>: 64 MiB.</summary>
    public long MaxQueuedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary><see cref="MajordomoBrokerOptions.RequestExpiry"/>: 30 s.</summary>
    public TimeSpan RequestExpiry { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// A Majordomo worker service, bound from <c>"ZmqNative:MajordomoWorkers:&lt;service&gt;"</c>; see
/// <see cref="MajordomoWorkerOptions"/> for the heartbeat settings.
/// </summary>
public sealed class MajordomoWorkerServiceOptions
{
    /// <summary>The parent of each worker's configuration section (one child per service name).</summary>
    public const string SectionName = "ZmqNative:MajordomoWorkers";

    /// <summary>The broker's endpoint; empty to use the broker this host runs (<see cref="MajordomoBrokerService"/>, its first endpoint).</summary>
    public string? Broker { get; set; }

    /// <summary>How many workers (each with its own socket and thread) serve the service: 1.</summary>
    public int Instances { get; set; } = 1;

    /// <summary><see cref="MajordomoWorkerOptions.HeartbeatInterval"/>: 2500 ms (must match the broker's).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = MajordomoProtocol.DefaultHeartbeatInterval;

    /// <summary><see cref="MajordomoWorkerOptions.Liveness"/>: 3.</summary>
    public int Liveness { get; set; } = MajordomoProtocol.DefaultLiveness;

    /// <summary><see cref="MajordomoWorkerOptions.ReconnectInterval"/>: 2500 ms.</summary>
    public TimeSpan ReconnectInterval { get; set; } = MajordomoProtocol.DefaultReconnectInterval;
}

/// <summary>The Majordomo client pool (<see cref="MajordomoRequester"/>), bound from <c>"ZmqNative:MajordomoClient"</c>.</summary>
public sealed class MajordomoRequesterOptions
{
    /// <summary>The default configuration section.</summary>
    public const string SectionName = "ZmqNative:MajordomoClient";

    /// <summary>The broker's endpoint; empty to use the broker this host runs.</summary>
    public string? Broker { get; set; }

    /// <summary>How long one attempt waits for the reply: 2500 ms (<see cref="MajordomoClientOptions.Timeout"/>).</summary>
    public TimeSpan Timeout { get; set; } = MajordomoProtocol.DefaultRequestTimeout;

    /// <summary>Attempts per request: 3 (<see cref="MajordomoClientOptions.Retries"/>).</summary>
    public int Retries { get; set; } = MajordomoProtocol.DefaultRetries;

    /// <summary>The most requests in flight at once (one client socket each); more callers wait for a free one: 64.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;
}

/// <summary>The Titanic service, bound from <c>"ZmqNative:Titanic"</c>; see <see cref="TitanicOptions"/> for each setting.</summary>
public sealed class TitanicServiceOptions
{
    /// <summary>The default configuration section.</summary>
    public const string SectionName = "ZmqNative:Titanic";

    /// <summary>The broker's endpoint; empty to use the broker this host runs.</summary>
    public string? Broker { get; set; }

    /// <summary>The store's directory: <c>.titanic</c> (relative to the working directory).</summary>
    public string Directory { get; set; } = ".titanic";

    /// <summary><see cref="TitanicOptions.HeartbeatInterval"/>.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = MajordomoProtocol.DefaultHeartbeatInterval;

    /// <summary><see cref="TitanicOptions.Liveness"/>.</summary>
    public int Liveness { get; set; } = MajordomoProtocol.DefaultLiveness;

    /// <summary><see cref="TitanicOptions.ReconnectInterval"/>.</summary>
    public TimeSpan ReconnectInterval { get; set; } = MajordomoProtocol.DefaultReconnectInterval;

    /// <summary><see cref="TitanicOptions.DispatchTimeout"/>.</summary>
    public TimeSpan DispatchTimeout { get; set; } = TitanicProtocol.DefaultDispatchTimeout;

    /// <summary><see cref="TitanicOptions.DispatchInterval"/>.</summary>
    public TimeSpan DispatchInterval { get; set; } = TitanicProtocol.DefaultDispatchInterval;

    /// <summary><see cref="TitanicOptions.MaxStoredRequests"/>: 100,000.</summary>
    public int MaxStoredRequests { get; set; } = 100_000;

    /// <summary><see cref="TitanicOptions.PendingRetention"/>: 1 day.</summary>
    public TimeSpan PendingRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary><see cref="TitanicOptions.ReplyRetention"/>: 1 day.</summary>
    public TimeSpan ReplyRetention { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>The Paranoid Pirate queue, bound from <c>"ZmqNative:ParanoidPirateQueue"</c>; see <see cref="ParanoidPirateQueueOptions"/>.</summary>
public sealed class ParanoidPirateQueueServiceOptions
{
    /// <summary>The default configuration section.</summary>
    public const string SectionName = "ZmqNative:ParanoidPirateQueue";

    /// <summary>Where clients connect: <c>tcp://*:5555</c>.</summary>
    public string Frontend { get; set; } = ParanoidPirateQueue.DefaultFrontend;

    /// <summary>Where workers connect: <c>tcp://*:5556</c>.</summary>
    public string Backend { get; set; } = ParanoidPirateQueue.DefaultBackend;

    /// <summary><see cref="ParanoidPirateQueueOptions.HeartbeatInterval"/>: 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = ParanoidPirateProtocol.DefaultHeartbeatInterval;

    /// <summary><see cref="ParanoidPirateQueueOptions.Liveness"/>: 3.</summary>
    public int Liveness { get; set; } = ParanoidPirateProtocol.DefaultLiveness;

    /// <summary><see cref="ParanoidPirateQueueOptions.MaxMessageSize"/>: 1 MiB; null for no limit.</summary>
    public long? MaxMessageSize { get; set; } = ParanoidPirateProtocol.DefaultMaxMessageSize;
}

/// <summary>A Paranoid Pirate worker service, bound from <c>"ZmqNative:ParanoidPirateWorker"</c>; see <see cref="ParanoidPirateWorkerOptions"/>.</summary>
public sealed class ParanoidPirateWorkerServiceOptions
{
    /// <summary>The default configuration section.</summary>
    public const string SectionName = "ZmqNative:ParanoidPirateWorker";

    /// <summary>The queue's backend: <c>tcp://localhost:5556</c>.</summary>
    public string Endpoint { get; set; } = ParanoidPirateWorker.DefaultEndpoint;

    /// <summary><see cref="ParanoidPirateWorkerOptions.HeartbeatInterval"/>: 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = ParanoidPirateProtocol.DefaultHeartbeatInterval;

    /// <summary><see cref="ParanoidPirateWorkerOptions.Liveness"/>: 3.</summary>
    public int Liveness { get; set; } = ParanoidPirateProtocol.DefaultLiveness;

    /// <summary><see cref="ParanoidPirateWorkerOptions.ReconnectInterval"/>: 1 s.</summary>
    public TimeSpan ReconnectInterval { get; set; } = ParanoidPirateProtocol.DefaultReconnectInterval;

    /// <summary><see cref="ParanoidPirateWorkerOptions.ReconnectIntervalMax"/>: 32 s.</summary>
    public TimeSpan ReconnectIntervalMax { get; set; } = ParanoidPirateProtocol.DefaultReconnectIntervalMax;
}

/// <summary>One server of a Binary Star pair, bound from <c>"ZmqNative:BinaryStar"</c>; defaults are the Guide's primary.</summary>
public sealed class BinaryStarServiceOptions
{
    /// <summary>The default configuration section.</summary>
    public const string SectionName = "ZmqNative:BinaryStar";

    /// <summary>True for the primary (default), false for the backup.</summary>
    public bool Primary { get; set; } = true;

    /// <summary>Where clients connect (bind): the Guide's primary <c>tcp://*:5001</c>.</summary>
    public string Frontend { get; set; } = Patterns.BinaryStar.BinaryStarServer.DefaultPrimaryFrontend;

    /// <summary>Where this server publishes its state (bind): <c>tcp://*:5003</c>.</summary>
    public string LocalState { get; set; } = Patterns.BinaryStar.BinaryStarServer.DefaultPrimaryLocalState;

    /// <summary>Where the peer publishes its state (connect): <c>tcp://localhost:5004</c>.</summary>
    public string RemoteState { get; set; } = Patterns.BinaryStar.BinaryStarServer.DefaultPrimaryRemoteState;

    /// <summary><see cref="Patterns.BinaryStar.BinaryStarServerOptions.Heartbeat"/>: 1 s (the same on both servers).</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromMilliseconds(1000);
}

/// <summary>A Freelance server, bound from <c>"ZmqNative:FreelanceServer"</c>.</summary>
public sealed class FreelanceServiceOptions
{
    /// <summary>The default configuration section.</summary>
    public const string SectionName = "ZmqNative:FreelanceServer";

    /// <summary>Where to bind: <c>tcp://*:5555</c>.</summary>
    public string Bind { get; set; } = Patterns.Freelance.FreelanceServer.DefaultBind;

    /// <summary>The endpoint clients connect to (the server's identity); empty to derive it from <see cref="Bind"/>.</summary>
    public string? PublicEndpoint { get; set; }
}
