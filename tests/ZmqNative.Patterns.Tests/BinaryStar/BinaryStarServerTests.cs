using System.Text;
using ZmqNative.Patterns.BinaryStar;
using ZmqNative.Patterns.Tests.Pirate;

namespace ZmqNative.Patterns.Tests.BinaryStar;

/// <summary>
/// The reactor in-process: a real <see cref="BinaryStarServer"/> against a fake peer (a PUB that says what the test
/// wants, a SUB that hears the server) or against a second server, and the client's failover and giving up.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class BinaryStarServerTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    [Test]
    public void Run_PrimaryHearsBackup_BecomesActiveTellsThePeerAtOnceAndEchoes()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var peer = new FakePeer(context);
        var events = new Events<BinaryStarServerEvent>();
        using var server = NewServer(context, primary: true, peer, events);
        using var active = new ManualResetEventSlim();
        server.BecameActive += active.Set;
        using var stop = new CancellationTokenSource();
        var loop = PirateTesting.Background(() => server.Run(stop.Token));

        peer.SayUntil("2", active);

        Assert.That(server.State, Is.EqualTo(BinaryStarState.Active));
        Assert.That(peer.WaitForState("3"), Is.True, "the server announced it is active");
        using var client = Connect(context, server);
        Assert.That(Ask(client, "hello"), Is.EqualTo("hello"));
        var change = events.WaitFor(e => e.Kind == BinaryStarServerEventKind.Transition)[0].Transition;
        Assert.That((change.From, change.To, change.Description), Is.EqualTo((BinaryStarState.Primary, BinaryStarState.Active, "connected to backup (passive), ready as active")));

        stop.Cancel();
        PirateTesting.Join(loop);
    }

    [Test]
    public void Run_PassiveWhilePeerTalks_RefusesThenFailsOverOnTheFirstVoteAfterTwoSilentHeartbeats()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var peer = new FakePeer(context);
        var events = new Events<BinaryStarServerEvent>();
        using var server = NewServer(context, primary: false, peer, events);
        using var passive = new ManualResetEventSlim();
        server.BecamePassive += passive.Set;
        using var stop = new CancellationTokenSource();
        var loop = PirateTesting.Background(() => server.Run(stop.Token));
        peer.SayUntil("3", passive);

        using var refused = new ManualResetEventSlim();
        events.OnAdd = e =>
        {
            if (e.Kind == BinaryStarServerEventKind.RequestRefused)
            {
                refused.Set();
            }
        };
        using var client = Connect(context, server);
        client.SendMultipart([[], Encoding.UTF8.GetBytes("vote 1")]);
        // Keep the peer alive until the vote has been refused: the peer is active, so we must not be.
        peer.SayUntil("3", refused);
        Assert.That(server.State, Is.EqualTo(BinaryStarState.Passive));

        // The peer goes silent: the next votes are refused until two heartbeats have passed, then one is served.
        string? reply = null;
        for (int i = 2; reply is null && i < 100; i++)
        {
            client.SendMultipart([[], Encoding.UTF8.GetBytes($"vote {i}")]);
            if (client.TryReceiveMultipart(TimeSpan.FromMilliseconds(100), out var frames))
            {
                reply = Encoding.UTF8.GetString(frames![^1]);
            }
        }

        Assert.That(reply, Is.Not.Null, "a vote was served once the peer had been silent");
        Assert.That(server.State, Is.EqualTo(BinaryStarState.Active));
        Assert.That(events.All.Where(e => e.Kind == BinaryStarServerEventKind.Transition).Select(e => e.Transition.Description),
            Is.EqualTo(new[] { "connected to primary (active), ready as passive", "failover successful, ready as active" }));
        stop.Cancel();
        PirateTesting.Join(loop);
    }

    [Test]
    public void Run_ActiveHearsAnotherActive_ThrowsDualActivesAndStopsServing()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var peer = new FakePeer(context);
        var events = new Events<BinaryStarServerEvent>();
        using var server = NewServer(context, primary: true, peer, events);
        using var active = new ManualResetEventSlim();
        server.BecameActive += active.Set;
        Exception? thrown = null;
        using var ended = new ManualResetEventSlim();
        var loop = PirateTesting.Background(() =>
        {
            try
            {
                server.Run();
            }
            catch (Exception e)
            {
                thrown = e;
            }
            finally
            {
                ended.Set();
            }
        });
        peer.SayUntil("2", active);

        peer.SayUntil("3", ended);

        PirateTesting.Join(loop);
        Assert.That(thrown, Is.InstanceOf<BinaryStarConflictException>());
        Assert.That(((BinaryStarConflictException)thrown!).Conflict, Is.EqualTo(BinaryStarConflict.DualActive));
        var conflict = events.All.Last(e => e.Kind == BinaryStarServerEventKind.Transition).Transition;
        Assert.That(conflict.Description, Is.EqualTo("fatal error - dual actives, aborting"));
        // The loop is over: nobody answers clients any more.
        using var client = Connect(context, server);
        client.SendMultipart([[], Encoding.UTF8.GetBytes("anyone?")]);
        Assert.That(client.TryReceiveMultipart(TimeSpan.FromMilliseconds(300), out _), Is.False);
    }

    [Test]
    public void Run_TwoPrimaries_DualPrimariesReportedAndNeitherServes()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var a = new BinaryStarServer(context, true, "tcp://127.0.0.1:*", null, new BinaryStarServerOptions { Heartbeat = Heartbeat });
        using var b = new BinaryStarServer(context, true, "tcp://127.0.0.1:*", null, new BinaryStarServerOptions { Heartbeat = Heartbeat });
        a.ConnectPeer(b.StateEndpoint);
        b.ConnectPeer(a.StateEndpoint);
        int served = 0;
        a.RegisterVoter("tcp://127.0.0.1:*", (s, m) => { Interlocked.Increment(ref served); s.SendMultipart(m); });
        b.RegisterVoter("tcp://127.0.0.1:*", (s, m) => { Interlocked.Increment(ref served); s.SendMultipart(m); });

        var conflicts = new BinaryStarConflict?[2];
        using var stop = new CancellationTokenSource();
        var loops = new[] { a, b }.Select((server, i) => PirateTesting.Background(() =>
        {
            try
            {
                server.Run(stop.Token);
            }
            catch (BinaryStarConflictException e)
            {
                conflicts[i] = e.Conflict;
            }
        })).ToArray();

        // The first to hear the other stops; the other usually hears its last word and stops too (PUB may
        // have dropped it if that subscriber was not connected yet: then it stays a lone primary).
        Assert.That(Task.WaitAny(loops, PirateTesting.Wait), Is.Not.EqualTo(-1), "a conflict was reported");
        stop.Cancel();
        foreach (var task in loops)
        {
            PirateTesting.Join(task);
        }

        Assert.That(conflicts.Where(c => c is not null), Is.Not.Empty.And.All.EqualTo(BinaryStarConflict.DualPrimary));
        Assert.That(served, Is.Zero);
        Assert.That((a.State, b.State), Is.EqualTo((BinaryStarState.Primary, BinaryStarState.Primary)));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Client_PrimaryStops_FailsOverToTheBackupWhichServesTheSameRequest(bool awaitable)
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var primary = new BinaryStarServer(context, true, "tcp://127.0.0.1:*", null, new BinaryStarServerOptions { Heartbeat = Heartbeat });
        using var backup = new BinaryStarServer(context, false, "tcp://127.0.0.1:*", null, new BinaryStarServerOptions { Heartbeat = Heartbeat });
        primary.ConnectPeer(backup.StateEndpoint);
        backup.ConnectPeer(primary.StateEndpoint);
        primary.RegisterVoter("tcp://127.0.0.1:*", (s, m) => s.SendMultipart([.. m, "primary"u8.ToArray()]));
        backup.RegisterVoter("tcp://127.0.0.1:*", (s, m) => s.SendMultipart([.. m, "backup"u8.ToArray()]));
        using var backupPassive = new ManualResetEventSlim();
        backup.BecamePassive += backupPassive.Set;
        using var stopPrimary = new CancellationTokenSource();
        using var stopBackup = new CancellationTokenSource();
        var loops = new[] { PirateTesting.Background(() => primary.Run(stopPrimary.Token)), PirateTesting.Background(() => backup.Run(stopBackup.Token)) };
        Assert.That(backupPassive.Wait(PirateTesting.Wait), Is.True);

        var events = new Events<BinaryStarClientEvent>();
        var options = new BinaryStarClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), SettleDelay = TimeSpan.FromMilliseconds(100), Attempts = 20, Observer = events.Add };
        using var client = new BinaryStarClient(context, primary.FrontendEndpoint!, backup.FrontendEndpoint!, options);
        var first = Request(client, ["1"u8.ToArray()], awaitable);
        Assert.That(first.Succeeded, Is.True);
        Assert.That(Encoding.UTF8.GetString(first.Reply[^1]), Is.EqualTo("primary"));
        Assert.That(first.Server, Is.EqualTo(primary.FrontendEndpoint));

        stopPrimary.Cancel();
        PirateTesting.Join(loops[0]);
        var second = Request(client, ["2"u8.ToArray()], awaitable, reply => Encoding.UTF8.GetString(reply[0]) == "2");

        Assert.That(second.Succeeded, Is.True);
        Assert.That(Encoding.UTF8.GetString(second.Reply[^1]), Is.EqualTo("backup"));
        Assert.That(second.Attempts, Is.GreaterThan(1));
        Assert.That(client.CurrentServer, Is.EqualTo(backup.FrontendEndpoint));
        Assert.That(backup.State, Is.EqualTo(BinaryStarState.Active));
        Assert.That(events.All.Select(e => e.Kind), Does.Contain(BinaryStarClientEventKind.FailingOver));
        stopBackup.Cancel();
        PirateTesting.Join(loops[1]);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Client_NoServerAtAll_GivesUpAfterItsAttemptsAlternatingServers(bool awaitable)
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var events = new Events<BinaryStarClientEvent>();
        var options = new BinaryStarClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(50), SettleDelay = TimeSpan.Zero, Attempts = 3, Observer = events.Add };
        using var client = new BinaryStarClient(context, "tcp://127.0.0.1:1", "tcp://127.0.0.1:2", options);

        var result = Request(client, ["1"u8.ToArray()], awaitable);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Attempts, Is.EqualTo(3));
        Assert.That(result.ReplyText, Is.Null);
        Assert.That(events.All.Select(e => (e.Kind, e.Server)), Is.EqualTo(new[]
        {
            (BinaryStarClientEventKind.Connecting, "tcp://127.0.0.1:1"),
            (BinaryStarClientEventKind.FailingOver, "tcp://127.0.0.1:1"),
            (BinaryStarClientEventKind.Connecting, "tcp://127.0.0.1:2"),
            (BinaryStarClientEventKind.FailingOver, "tcp://127.0.0.1:2"),
            (BinaryStarClientEventKind.Connecting, "tcp://127.0.0.1:1"),
            (BinaryStarClientEventKind.Abandoned, "tcp://127.0.0.1:1"),
        }));
    }

    [Test]
    public void Client_Cancelled_AbandonsWithoutWaitingForEver()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var client = new BinaryStarClient(context, "tcp://127.0.0.1:1", "tcp://127.0.0.1:2",
            new BinaryStarClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(50), SettleDelay = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var result = client.Request(["1"u8.ToArray()], cancellation: cancel.Token);

        Assert.That(result.Succeeded, Is.False);
    }

    [Test]
    public void ClientAsync_Cancelled_ThrowsDuringTheSettleDelay()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var events = new Events<BinaryStarClientEvent>();
        using var client = new BinaryStarClient(context, "tcp://127.0.0.1:1", "tcp://127.0.0.1:2",
            new BinaryStarClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(50), SettleDelay = TimeSpan.FromSeconds(30), Observer = events.Add });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var pending = client.RequestAsync(["1"u8.ToArray()], cancellationToken: cancel.Token).AsTask();

        Assert.That(() => pending.GetAwaiter().GetResult(), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(events.All.Select(e => e.Kind), Does.Contain(BinaryStarClientEventKind.FailingOver), "cancelled before the first attempt timed out");
        Assert.That(events.All.Select(e => (e.Kind, e.Server)), Does.Not.Contain((BinaryStarClientEventKind.Connecting, "tcp://127.0.0.1:2")),
            "the settle delay was not cut short by the cancellation");
    }

    [Test]
    public void RegisterVoter_Twice_Throws_AndRunWithoutVoterThrows()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var server = new BinaryStarServer(context, true, "tcp://127.0.0.1:*", "tcp://127.0.0.1:1");
        Assert.That(() => server.Run(), Throws.InvalidOperationException);
        server.RegisterVoter("tcp://127.0.0.1:*", (s, m) => s.SendMultipart(m));
        Assert.That(() => server.RegisterVoter("tcp://127.0.0.1:*", (s, m) => s.SendMultipart(m)), Throws.InvalidOperationException);
        Assert.That(server.FrontendEndpoint, Does.StartWith("tcp://127.0.0.1:"));
    }

    private static BinaryStarServer NewServer(ZmqContext context, bool primary, FakePeer peer, Events<BinaryStarServerEvent> events)
    {
        var server = new BinaryStarServer(context, primary, "tcp://127.0.0.1:*", peer.Endpoint, new BinaryStarServerOptions { Heartbeat = Heartbeat, Observer = events.Add });
        server.RegisterVoter("tcp://127.0.0.1:*", (s, m) => s.SendMultipart(m));
        peer.Listen(server.StateEndpoint);
        return server;
    }

    private static ZmqSocket Connect(ZmqContext context, BinaryStarServer server)
    {
        var client = context.CreateSocket(ZmqSocketType.Dealer);
        client.Connect(server.FrontendEndpoint!);
        return client;
    }

    private static string Ask(ZmqSocket dealer, string text)
    {
        dealer.SendMultipart([[], Encoding.UTF8.GetBytes(text)]);
        Assert.That(dealer.TryReceiveMultipart(PirateTesting.Wait, out var reply), Is.True, "no reply");
        return Encoding.UTF8.GetString(reply![^1]);
    }

    /// <summary>The other server of the pair, played by the test: a PUB it speaks on and a SUB it hears the server on.</summary>
    private sealed class FakePeer : IDisposable
    {
        private readonly ZmqSocket _pub;
        private readonly ZmqSocket _sub;

        public FakePeer(ZmqContext context)
        {
            _pub = context.CreateSocket(ZmqSocketType.Pub);
            _sub = context.CreateSocket(ZmqSocketType.Sub);
            _pub.Bind("tcp://127.0.0.1:*");
            Endpoint = _pub.LastEndpoint;
            _sub.Subscribe(string.Empty);
        }

        public string Endpoint { get; }

        public void Listen(string serverState) => _sub.Connect(serverState);

        /// <summary>Publishes a state every 20 ms (PUB drops what it sends before the server's SUB is connected) until <paramref name="done"/> is set.</summary>
        public void SayUntil(string state, ManualResetEventSlim done)
        {
            var deadline = DateTime.UtcNow + PirateTesting.Wait;
            while (!done.IsSet)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"nothing happened while the peer said {state}");
                _pub.Send(state);
                done.Wait(20);
            }
        }

        /// <summary>Whether the server publishes <paramref name="state"/> (bounded).</summary>
        public bool WaitForState(string state)
        {
            var deadline = DateTime.UtcNow + PirateTesting.Wait;
            while (DateTime.UtcNow < deadline)
            {
                if (_sub.TryReceiveString(TimeSpan.FromMilliseconds(200), out string? said) && said == state)
                {
                    return true;
                }
            }

            return false;
        }

        public void Dispose()
        {
            _pub.Dispose();
            _sub.Dispose();
        }
    }

    /// <summary>A request in the form a test case asks for: <see cref="BinaryStarClient.Request"/> or <see cref="BinaryStarClient.RequestAsync"/>.</summary>
    private static BinaryStarResult Request(BinaryStarClient client, IReadOnlyList<byte[]> request, bool awaitable, Func<IReadOnlyList<byte[]>, bool>? accept = null) =>
        awaitable ? client.RequestAsync(request, accept).AsTask().GetAwaiter().GetResult() : client.Request(request, accept);
}

internal sealed class Events<T>
{
    private readonly List<T> _events = [];
    private readonly object _gate = new();

    public Action<T>? OnAdd { get; set; }

    public List<T> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public void Add(T e)
    {
        lock (_gate)
        {
            _events.Add(e);
            Monitor.PulseAll(_gate);
        }

        OnAdd?.Invoke(e);
    }

    public List<T> WaitFor(Func<T, bool> match, int count = 1)
    {
        var deadline = DateTime.UtcNow + PirateTesting.Wait;
        lock (_gate)
        {
            while (true)
            {
                var found = _events.Where(match).ToList();
                if (found.Count >= count)
                {
                    return found;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    Assert.Fail($"expected {count} matching events, saw {_events.Count}: {string.Join(", ", _events)}");
                }

                Monitor.Wait(_gate, left);
            }
        }
    }
}
