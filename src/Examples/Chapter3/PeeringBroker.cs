using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ZmqNative.Examples.Chapter3;

/// <summary>What a <see cref="PeeringBroker"/> did, for narration.</summary>
internal enum PeeringStep
{
    /// <summary>A peer said how many workers it has free (<c>Value</c>).</summary>
    PeerState,

    /// <summary>A request went to a local worker; <c>Peer</c> is set when it came from that peer.</summary>
    ServedLocally,

    /// <summary>One of our clients' requests went to <c>Peer</c>, which had workers free.</summary>
    SentToPeer,

    /// <summary>A reply came back from <c>Peer</c> for one of our clients.</summary>
    ReplyFromPeer,
}

/// <summary>
/// The full peering broker of the Guide's chapter 3 ("Putting it All Together"), shared by peering3
/// and <c>zguide demo peering</c>. Seven sockets: local frontend and backend (ROUTERs for our clients
/// and workers), cloud frontend and backend (ROUTERs named after the broker, for peers' requests and
/// for requests to peers), state backend and frontend (PUB and SUB: "NAME", "free workers"), and a
/// monitor (PULL) where clients report. It serves requests with local workers when it has idle ones,
/// and otherwise sends them to a peer that said it has workers free.
/// </summary>
/// <remarks>
/// <para>Three changes to the Guide's broker, each so that no request is lost or stuck: it keeps each
/// peer's capacity apart and sends only to a peer that has some (the Guide keeps the last number heard,
/// from whichever peer, and picks any peer); it re-announces its own capacity every heartbeat, not only
/// when it changes, so a peer that connected late learns it (PUB drops what is sent before a subscriber
/// joins); and its cloud backend has ZMQ_ROUTER_MANDATORY, so a request for a peer that is not connected
/// yet fails at once (EHOSTUNREACH) and waits here until someone can take it.</para>
/// <para>Create and connect it on one thread, then <see cref="Run"/> it (on that thread or a new one);
/// it returns when the context is shut down.</para>
/// </remarks>
internal sealed class PeeringBroker : IDisposable
{
    /// <summary>What a worker sends when it starts.</summary>
    public static readonly byte[] WorkerReady = [0x01];

    private readonly ZmqSocket _localfe;
    private readonly ZmqSocket _localbe;
    private readonly ZmqSocket _cloudfe;
    private readonly ZmqSocket _cloudbe;
    private readonly ZmqSocket _statebe;
    private readonly ZmqSocket _statefe;
    private readonly ZmqSocket? _monitor;
    private readonly byte[] _name;
    private readonly List<byte[]> _peers = [];
    private readonly Dictionary<string, int> _peerCapacity = new(StringComparer.Ordinal);
    private readonly List<ZmqSocket> _sockets = [];

    /// <summary>Creates the sockets and binds each to <paramref name="endpointFor"/>(kind): localfe, localbe, cloud, state, monitor.</summary>
    /// <param name="context">The context.</param>
    /// <param name="name">The broker's name: its cloud sockets' identity and its state messages' first frame.</param>
    /// <param name="endpointFor">The endpoint to bind for a kind, e.g. <c>ipc://NAME-localfe.ipc</c> or <c>tcp://127.0.0.1:*</c>.</param>
    /// <param name="withMonitor">Whether to bind the monitor socket.</param>
    public PeeringBroker(ZmqContext context, string name, Func<string, string> endpointFor, bool withMonitor)
    {
        Name = name;
        _name = Encoding.UTF8.GetBytes(name);
        _localfe = Open(context, ZmqSocketType.Router, endpointFor("localfe"));
        _localbe = Open(context, ZmqSocketType.Router, endpointFor("localbe"));

        _cloudfe = Open(context, ZmqSocketType.Router, null);
        _cloudfe.RoutingId = _name;
        _cloudfe.Bind(endpointFor("cloud"));
        _cloudbe = Open(context, ZmqSocketType.Router, null);
        _cloudbe.RoutingId = _name;
        _cloudbe.RouterMandatory = true;

        _statebe = Open(context, ZmqSocketType.Pub, endpointFor("state"));
        _statefe = Open(context, ZmqSocketType.Sub, null);
        _statefe.Subscribe(string.Empty);
        if (withMonitor)
        {
            _monitor = Open(context, ZmqSocketType.Pull, endpointFor("monitor"));
        }

        // Read once here: the sockets belong to the broker's thread once it runs.
        LocalFrontend = _localfe.LastEndpoint;
        LocalBackend = _localbe.LastEndpoint;
        CloudFrontend = _cloudfe.LastEndpoint;
        StateBackend = _statebe.LastEndpoint;
        Monitor = _monitor?.LastEndpoint;
    }

    /// <summary>The broker's name.</summary>
    public string Name { get; }

    /// <summary>Where our clients connect (the bound endpoint, with the port the OS chose).</summary>
    public string LocalFrontend { get; }

    /// <summary>Where our workers connect.</summary>
    public string LocalBackend { get; }

    /// <summary>Where peers send us requests.</summary>
    public string CloudFrontend { get; }

    /// <summary>Where peers subscribe to our state.</summary>
    public string StateBackend { get; }

    /// <summary>Where clients push their reports, or null.</summary>
    public string? Monitor { get; }

    /// <summary>How often the broker announces its capacity even when it did not change.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>What to do with a line a client pushed to the monitor socket (the Guide prints it).</summary>
    public Action<string> MonitorLine { get; init; } = Console.WriteLine;

    /// <summary>Told of each step, for narration; null for none.</summary>
    public Action<PeeringStep, string?, int>? Trace { get; init; }

    /// <summary>Connects the cloud backend to a peer's cloud frontend; requests for it are addressed by <paramref name="peer"/>.</summary>
    public void ConnectCloud(string peer, string endpoint)
    {
        _peers.Add(Encoding.UTF8.GetBytes(peer));
        _cloudbe.Connect(endpoint);
    }

    /// <summary>Subscribes to a peer's state backend.</summary>
    public void ConnectState(string endpoint) => _statefe.Connect(endpoint);

    /// <summary>Runs until the context is shut down.</summary>
    public void Run()
    {
        try
        {
            Loop();
        }
        catch (ContextTerminatedException)
        {
            // Shut down: the normal end.
        }
    }

    /// <summary>Closes the sockets.</summary>
    public void Dispose() => _sockets.ForEach(s => s.Dispose());

    private ZmqSocket Open(ZmqContext context, ZmqSocketType type, string? bind)
    {
        var socket = context.CreateSocket(type);
        _sockets.Add(socket);
        if (bind is not null)
        {
            socket.Bind(bind);
        }

        return socket;
    }

    private int CloudCapacity => _peerCapacity.Values.Sum();

    private void Loop()
    {
        var workers = new Queue<byte[]>(); // idle local workers, longest idle first
        var waiting = new Queue<List<byte[]>>(); // our clients' requests a peer could not take after all

        // Workers, peers' replies, state and monitor are read always; requests only when someone can take them.
        using var primary = new ZmqPoller();
        primary.Add(_localbe, ZmqPollEvents.In);
        primary.Add(_cloudbe, ZmqPollEvents.In);
        primary.Add(_statefe, ZmqPollEvents.In);
        if (_monitor is not null)
        {
            primary.Add(_monitor, ZmqPollEvents.In);
        }

        using var secondary = new ZmqPoller();
        secondary.Add(_localfe, ZmqPollEvents.In);
        secondary.Add(_cloudfe, ZmqPollEvents.In);

        var heartbeat = Stopwatch.StartNew();
        int announced = -1;
        while (true)
        {
            var left = Heartbeat - heartbeat.Elapsed;
            primary.Wait(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            bool fromWorker = primary.IsReady(_localbe);
            bool fromPeer = primary.IsReady(_cloudbe);
            bool state = primary.IsReady(_statefe);
            bool report = _monitor is not null && primary.IsReady(_monitor);

            List<byte[]>? reply = null;
            if (fromWorker)
            {
                reply = _localbe.ReceiveMultipart();
                workers.Enqueue(Unwrap(reply));
                if (reply.Count == 0 || reply[0].AsSpan().SequenceEqual(WorkerReady))
                {
                    reply = null; // a READY goes no further; nor does an envelope with nothing after it
                }
            }
            else if (fromPeer)
            {
                reply = _cloudbe.ReceiveMultipart();
                byte[] peer = Unwrap(reply);
                Trace?.Invoke(PeeringStep.ReplyFromPeer, Encoding.UTF8.GetString(peer), 0);
                if (reply.Count == 0)
                {
                    reply = null; // an envelope with nothing after it: nothing to route
                }
            }

            if (reply is not null)
            {
                // A reply addressed to a peer broker goes back through the cloud; the rest to our clients.
                bool forPeer = _peers.Any(p => reply[0].AsSpan().SequenceEqual(p));
                (forPeer ? _cloudfe : _localfe).SendMultipart(reply);
            }

            if (state)
            {
                var message = _statefe.ReceiveMultipartStrings(); // [peer][free workers]
                int free = int.TryParse(message[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0;
                if (_peers.Any(p => p.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(message[0]))))
                {
                    _peerCapacity[message[0]] = free;
                }

                Trace?.Invoke(PeeringStep.PeerState, message[0], free);
            }

            if (report)
            {
                MonitorLine(_monitor!.ReceiveString());
            }

            Route(workers, waiting, secondary);

            // Announce our capacity when it changed, and every heartbeat anyway.
            if (workers.Count != announced || heartbeat.Elapsed >= Heartbeat)
            {
                _statebe.Send(_name, more: true);
                _statebe.Send(workers.Count.ToString(CultureInfo.InvariantCulture));
                announced = workers.Count;
                heartbeat.Restart();
            }
        }
    }

    /// <summary>
    /// Routes as many requests as someone can take. With idle local workers, requests from our
    /// clients and from peers go to them; with none, only our clients' requests are read, and they
    /// go to a peer that has workers free.
    /// </summary>
    private void Route(Queue<byte[]> workers, Queue<List<byte[]>> waiting, ZmqPoller secondary)
    {
        while (workers.Count + CloudCapacity > 0)
        {
            List<byte[]> request;
            bool fromPeer = false;
            if (waiting.Count > 0)
            {
                request = waiting.Dequeue();
            }
            else
            {
                secondary.Modify(_cloudfe, workers.Count > 0 ? ZmqPollEvents.In : ZmqPollEvents.None);
                if (secondary.Wait(TimeSpan.Zero) == 0)
                {
                    return; // no work; back to the primary poll
                }

                fromPeer = !secondary.IsReady(_localfe);
                request = (fromPeer ? _cloudfe : _localfe).ReceiveMultipart();
            }

            if (workers.Count > 0)
            {
                // [worker][""] + the request's envelope; a peer's request starts with the peer's name.
                Trace?.Invoke(PeeringStep.ServedLocally, fromPeer ? Encoding.UTF8.GetString(request[0]) : null, 0);
                request.InsertRange(0, [workers.Dequeue(), []]);
                _localbe.SendMultipart(request);
                continue;
            }

            var candidates = _peerCapacity.Where(p => p.Value > 0).Select(p => p.Key).ToList();
            string peer = candidates[Random.Shared.Next(candidates.Count)];
            request.Insert(0, Encoding.UTF8.GetBytes(peer));
            if (Peering2Example.TrySendToPeer(_cloudbe, request))
            {
                Trace?.Invoke(PeeringStep.SentToPeer, peer, 0);
            }
            else
            {
                // Not connected (yet): try it again once someone has capacity.
                request.RemoveAt(0);
                _peerCapacity[peer] = 0;
                waiting.Enqueue(request);
                return;
            }
        }
    }

    private static byte[] Unwrap(List<byte[]> message) => Peering2Example.Unwrap(message);
}
