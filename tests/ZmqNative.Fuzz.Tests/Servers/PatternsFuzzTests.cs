using System.Text;
using ZmqNative.Fuzz.Tests.Generator;
using ZmqNative.Fuzz.Tests.Support;
using ZmqNative.Patterns.BinaryStar;
using ZmqNative.Patterns.Freelance;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Pirate;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Fuzz.Tests.Servers;

/// <summary>
/// The ZmqNative.Patterns servers in-process, under hostile traffic (issue 16, "Servers under
/// malformed input"): after every burst the server's loop still runs, a well-behaved client is
/// served through it, and at the end descriptors and the managed heap (where queued frames live)
/// are within a bound of their warm-up values. Workers are fuzzed from the other side too: a
/// hostile broker or queue they connect to.
/// </summary>
[TestFixture]
[CancelAfter(600_000)]
public class PatternsFuzzTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(250);
    private ZmqContext _context = null!;
    private CancellationTokenSource _stop = null!;
    private List<Task> _loops = null!;

    [SetUp]
    public void SetUp()
    {
        _context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        _stop = new CancellationTokenSource();
        _loops = [];
    }

    [TearDown]
    public void TearDown()
    {
        _stop.Cancel();
        Task.WaitAny([Task.WhenAll(_loops)], TimeSpan.FromSeconds(20));
        _context.Dispose();
        _stop.Dispose();
    }

    [Test]
    public void MajordomoBroker_HostileClientsAndWorkers_KeepsServing()
    {
        var broker = new MajordomoBroker(_context, new MajordomoBrokerOptions { HeartbeatInterval = Heartbeat });
        broker.Bind("tcp://127.0.0.1:*");
        string endpoint = broker.LastEndpoint;
        var loop = Start(() =>
        {
            using (broker)
            {
                broker.Run(_stop.Token);
            }
        });
        StartEchoWorker(endpoint, "echo");

        FuzzRun.Run(_context, new FuzzTarget
        {
            Name = "MajordomoBroker",
            Endpoints = [new(endpoint, ZmqSocketType.Dealer, FuzzProtocol.MajordomoClient), new(endpoint, ZmqSocketType.Dealer, FuzzProtocol.MajordomoWorker)],
            Flood = new(endpoint, ZmqSocketType.Dealer, FuzzProtocol.MajordomoClient),
            CheckUp = () => Loops.Status(loop, "the broker"),
            RoundTrip = () => RoundTrips.Majordomo(_context, endpoint),
            Sample = ResourceSample.OfThisProcess,
        });
    }

    [Test]
    public void ParanoidPirateQueue_HostileClientsAndWorkers_KeepsServing()
    {
        var queue = new ParanoidPirateQueue(_context, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", new ParanoidPirateQueueOptions { HeartbeatInterval = Heartbeat });
        var loop = Start(() =>
        {
            using (queue)
            {
                queue.Run(_stop.Token);
            }
        });
        Start(() => new ParanoidPirateWorker(_context, queue.BackendEndpoint, new ParanoidPirateWorkerOptions { HeartbeatInterval = Heartbeat })
            .Run(body => [.. body], _stop.Token));

        FuzzRun.Run(_context, new FuzzTarget
        {
            Name = "ParanoidPirateQueue",
            Endpoints = [new(queue.FrontendEndpoint, ZmqSocketType.Dealer, FuzzProtocol.Generic), new(queue.BackendEndpoint, ZmqSocketType.Dealer, FuzzProtocol.PirateWorker)],
            Flood = new(queue.FrontendEndpoint, ZmqSocketType.Dealer, FuzzProtocol.Generic),
            CheckUp = () => Loops.Status(loop, "the queue"),
            RoundTrip = () => RoundTrips.Echo(_context, queue.FrontendEndpoint),
            Sample = ResourceSample.OfThisProcess,
        });
    }

    [Test]
    public void SimplePirateQueue_HostileClientsAndWorkers_KeepsServing()
    {
        var queue = new SimplePirateQueue(_context, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
        var loop = Start(() =>
        {
            using (queue)
            {
                queue.Run(_stop.Token);
            }
        });
        Start(() => new SimplePirateWorker(_context, queue.BackendEndpoint).Run(body => [.. body], _stop.Token));

        FuzzRun.Run(_context, new FuzzTarget
        {
            Name = "SimplePirateQueue",
            Endpoints = [new(queue.FrontendEndpoint, ZmqSocketType.Dealer, FuzzProtocol.Generic), new(queue.BackendEndpoint, ZmqSocketType.Dealer, FuzzProtocol.PirateWorker)],
            Flood = new(queue.FrontendEndpoint, ZmqSocketType.Dealer, FuzzProtocol.Generic),
            CheckUp = () => Loops.Status(loop, "the queue"),
            RoundTrip = () => RoundTrips.Echo(_context, queue.FrontendEndpoint),
            Sample = ResourceSample.OfThisProcess,
        });
    }

    [Test]
    public void TitanicService_HostileClientsAndBadUuids_KeepsServingAndStaysInItsDirectory()
    {
        using var sandbox = new TitanicSandbox();
        var broker = new MajordomoBroker(_context, new MajordomoBrokerOptions { HeartbeatInterval = Heartbeat });
        broker.Bind("tcp://127.0.0.1:*");
        string endpoint = broker.LastEndpoint;
        var brokerLoop = Start(() =>
        {
            using (broker)
            {
                broker.Run(_stop.Token);
            }
        });
        StartEchoWorker(endpoint, "echo");
        var titanic = new TitanicService(_context, endpoint, new TitanicStore(sandbox.Store), new TitanicOptions
        {
            HeartbeatInterval = Heartbeat,
            ReconnectInterval = Heartbeat,
            DispatchInterval = TimeSpan.FromMilliseconds(200),
        });
        var loop = Start(() => titanic.Run(_stop.Token));

        FuzzRun.Run(_context, new FuzzTarget
        {
            Name = "TitanicService",
            Endpoints = [new(endpoint, ZmqSocketType.Dealer, FuzzProtocol.Titanic)],
            CheckUp = () => Loops.Status(loop, "Titanic") ?? Loops.Status(brokerLoop, "the broker"),
            RoundTrip = () => RoundTrips.Titanic(_context, endpoint),
            Sample = ResourceSample.OfThisProcess,
            CheckFiles = sandbox.Check,
        });
    }

    [Test]
    public void BinaryStarServer_HostileClientsAndPeerStates_KeepsServing()
    {
        using var peer = _context.CreateSocket(ZmqSocketType.Pub);
        peer.Bind("tcp://127.0.0.1:*");
        var star = new BinaryStarServer(_context, primary: true, "tcp://127.0.0.1:*", peer.LastEndpoint, new BinaryStarServerOptions { Heartbeat = TimeSpan.FromMilliseconds(100) });
        star.RegisterVoter("tcp://127.0.0.1:*", (frontend, request) => frontend.SendMultipart(request));
        string frontend = star.FrontendEndpoint!;
        var loop = Start(() =>
        {
            using (star)
            {
                star.Run(_stop.Token);
            }
        });

        FuzzRun.Run(_context, new FuzzTarget
        {
            Name = "BinaryStarServer",
            Endpoints = [new(frontend, ZmqSocketType.Dealer, FuzzProtocol.Generic), new(star.StateEndpoint, ZmqSocketType.XSub, FuzzProtocol.Generic)],
            Flood = new(frontend, ZmqSocketType.Dealer, FuzzProtocol.Generic),
            // The peer's state channel: only states the protocol does not define (a real "active"
            // from a peer rightly changes what the server does; garbage must not).
            Extra = (attacker, generator, cancel) =>
            {
                for (int i = 0; i < 200 && !cancel.IsCancellationRequested; i++)
                {
                    attacker.Sent();
                    peer.TrySendMultipart(generator.NextBadState(), TimeSpan.Zero); // PUB never blocks: it drops (zmq_socket(3))
                }
            },
            CheckUp = () => Loops.Status(loop, "the Binary Star server"),
            RoundTrip = () => RoundTrips.Echo(_context, frontend),
            Sample = ResourceSample.OfThisProcess,
        });
    }

    [Test]
    public void FreelanceServer_HostileClients_KeepsServing()
    {
        var server = new FreelanceServer(_context, "tcp://127.0.0.1:*", "fuzz-freelance-server");
        string endpoint = server.BoundEndpoint;
        var loop = Start(() =>
        {
            using (server)
            {
                server.Run(body => [Encoding.UTF8.GetBytes("OK")], _stop.Token);
            }
        });

        FuzzRun.Run(_context, new FuzzTarget
        {
            Name = "FreelanceServer",
            Endpoints = [new(endpoint, ZmqSocketType.Dealer, FuzzProtocol.Freelance)],
            Flood = new(endpoint, ZmqSocketType.Dealer, FuzzProtocol.Freelance),
            CheckUp = () => Loops.Status(loop, "the Freelance server"),
            RoundTrip = () => RoundTrips.Freelance(_context, endpoint),
            Sample = ResourceSample.OfThisProcess,
        });
    }

    [Test]
    public void MajordomoWorker_HostileBroker_KeepsServing()
    {
        using var broker = _context.CreateSocket(ZmqSocketType.Router);
        broker.Bind("tcp://127.0.0.1:*");
        string endpoint = broker.LastEndpoint;
        var loop = Start(() =>
        {
            using var worker = new MajordomoWorker(_context, endpoint, "echo", new MajordomoWorkerOptions { HeartbeatInterval = Heartbeat, ReconnectInterval = Heartbeat });
            while (worker.Receive(_stop.Token) is { } request)
            {
                worker.Reply(request);
            }
        });
        var workers = new WorkerIdentities();

        FuzzRun.Run(_context, new FuzzTarget
        {
            Name = "MajordomoWorker",
            Endpoints = [],
            Extra = (attacker, generator, cancel) => HostileBroker(broker, workers, attacker, generator, FuzzProtocol.MajordomoBroker, cancel),
            CheckUp = () => Loops.Status(loop, "the worker"),
            RoundTrip = () => Loops.Retry(() => BrokerRequest(broker, workers, mdp: true)),
            Sample = ResourceSample.OfThisProcess,
        });
    }

    [Test]
    public void ParanoidPirateWorker_HostileQueue_KeepsServing()
    {
        using var queue = _context.CreateSocket(ZmqSocketType.Router);
        queue.Bind("tcp://127.0.0.1:*");
        string endpoint = queue.LastEndpoint;
        var loop = Start(() => new ParanoidPirateWorker(_context, endpoint, new ParanoidPirateWorkerOptions { HeartbeatInterval = Heartbeat, ReconnectInterval = Heartbeat })
            .Run(body => [.. body], _stop.Token));
        var workers = new WorkerIdentities();

        FuzzRun.Run(_context, new FuzzTarget
        {
            Name = "ParanoidPirateWorker",
            Endpoints = [],
            Extra = (attacker, generator, cancel) => HostileBroker(queue, workers, attacker, generator, FuzzProtocol.PirateQueue, cancel),
            CheckUp = () => Loops.Status(loop, "the worker"),
            RoundTrip = () => Loops.Retry(() => BrokerRequest(queue, workers, mdp: false)),
            Sample = ResourceSample.OfThisProcess,
        });
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    private Task Start(Action body)
    {
        var task = Loops.Start(body);
        _loops.Add(task);
        return task;
    }

    private void StartEchoWorker(string broker, string service) => Start(() =>
    {
        using var worker = new MajordomoWorker(_context, broker, service, new MajordomoWorkerOptions { HeartbeatInterval = Heartbeat, ReconnectInterval = Heartbeat });
        while (worker.Receive(_stop.Token) is { } request)
        {
            worker.Reply(request);
        }
    });

    /// <summary>A hostile broker's burst: malformed messages to every worker that has spoken, interleaved with what the worker sends.</summary>
    private static void HostileBroker(ZmqSocket broker, WorkerIdentities workers, FuzzAttacker attacker, TrafficGenerator generator, FuzzProtocol protocol, CancellationToken cancel)
    {
        workers.Listen(broker, TimeSpan.FromSeconds(2));
        int blocked = 0;
        for (int i = 0; i < 300 && !cancel.IsCancellationRequested && workers.Latest is { } worker; i++)
        {
            var message = generator.NextMessage(protocol);
            message.Insert(0, worker);
            attacker.Sent();
            if (!attacker.Send(broker, message, ref blocked))
            {
                break;
            }

            workers.Listen(broker, TimeSpan.Zero);
        }
    }

    /// <summary>A well-formed request from the broker's side to the latest worker, and its reply back.</summary>
    private static string? BrokerRequest(ZmqSocket broker, WorkerIdentities workers, bool mdp)
    {
        workers.Listen(broker, TimeSpan.FromSeconds(1));
        if (workers.Latest is not { } worker)
        {
            return "no worker has connected";
        }

        byte[] token = Bytes(Guid.NewGuid().ToString("N"));
        byte[] client = Bytes("well-behaved-client");
        List<byte[]> request = mdp
            ? [worker, [], Bytes(MajordomoProtocol.WorkerHeader), [MajordomoProtocol.Request], client, [], token]
            : [worker, client, [], token];
        if (!broker.TrySendMultipart(request, TimeSpan.FromSeconds(1)))
        {
            return "could not send";
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < deadline)
        {
            if (!broker.TryReceiveMultipart(TimeSpan.FromMilliseconds(100), out var frames))
            {
                continue;
            }

            workers.Saw(frames);
            if (frames[^1].AsSpan().SequenceEqual(token))
            {
                bool wellFormed = mdp
                    ? frames.Count == 7 && frames[3].AsSpan().SequenceEqual([MajordomoProtocol.Reply]) && frames[4].AsSpan().SequenceEqual(client)
                    : frames.Count == 4 && frames[1].AsSpan().SequenceEqual(client);
                return wellFormed ? null : $"the reply came back in {frames.Count} frames";
            }
        }

        return "no reply within 2 s";
    }

    /// <summary>The workers a hostile broker has heard from (a worker that reconnects comes back under a new identity).</summary>
    private sealed class WorkerIdentities
    {
        public byte[]? Latest { get; private set; }

        public void Listen(ZmqSocket broker, TimeSpan wait)
        {
            while (broker.TryReceiveMultipart(wait, out var frames))
            {
                Saw(frames);
                wait = TimeSpan.Zero;
            }
        }

        public void Saw(List<byte[]> frames)
        {
            // Any message carries the sender's identity; READY (MDP 0x01, PPP 0x01) marks a new connection.
            if (frames.Count > 0 && frames[0].Length > 0)
            {
                Latest = frames[0];
            }
        }
    }
}
