using System.Text;
using ZmqNative.Patterns.Clone;

namespace ZmqNative.Examples.Demos;

/// <summary>
/// Clone (Guide chapter 5, model six) on <see cref="CloneServer"/> in pair mode and <see cref="CloneClient"/>: two
/// clients share a map through a primary/backup pair; the primary stops mid-way and both clients fail over to the
/// backup with the map intact, then an ephemeral value expires.
/// </summary>
internal static class CloneDemo
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    public static DemoPattern Pattern { get; } = new(
        "clone",
        "reliable state distribution (Clone: a replicated key-value map with failover)",
        "A primary and a backup Clone server run Binary Star; two clients replicate their map. Every\n" +
        "update goes from a client to both servers; the active one numbers it and publishes it to all.\n" +
        "The passive one follows and keeps what it has not seen published yet. Then the primary stops:\n" +
        "the clients miss its HUGZ, ask the backup for a snapshot (their vote), and carry on there.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var backupFollows = new ManualResetEventSlim();
        var (primary, primaryPort, backup, backupPort) = CreatePair(context, log, backupFollows);
        using var primaryServer = primary;
        using var backupServer = backup;
        log.Say("primary", $"snapshots on port {primaryPort}, updates on {primaryPort + 1}, collector on {primaryPort + 2}");
        log.Say("backup", $"snapshots on port {backupPort}, updates on {backupPort + 1}, collector on {backupPort + 2}");
        using var stopPrimary = new CancellationTokenSource();
        using var stopBackup = new CancellationTokenSource();
        var primaryThread = new DemoThreads(log);
        var backupThread = new DemoThreads(log);
        primaryThread.Start("primary", () => primary.Run(stopPrimary.Token));
        backupThread.Start("backup", () => backup.Run(stopBackup.Token));

        var servers = new[] { new CloneServerAddress("tcp://127.0.0.1", primaryPort), new CloneServerAddress("tcp://127.0.0.1", backupPort) };
        using var alice = Client(context, servers, "alice", log);
        using var bob = Client(context, servers, "bob", log);
        if (!alice.WaitForSync(DemoKit.Patience) || !bob.WaitForSync(DemoKit.Patience))
        {
            throw new DemoFailure("the clients got no snapshot from the primary");
        }

        log.Say("alice", "sets /weather/paris = sunny");
        alice.Set("/weather/paris", "sunny");
        log.Say("bob", "sets /weather/oslo = snow, and /news/flash = extra! for 1 s only (ttl)");
        bob.Set("/weather/oslo", "snow");
        bob.Set("/news/flash", "extra!", TimeSpan.FromSeconds(1));
        Until(() => alice.Get("/news/flash") is not null && bob.Get("/weather/paris") is not null && alice.Get("/weather/oslo") is not null, "the first three updates");

        // A backup that has not yet taken the active's map would take over with an empty one (docs/clone.md, the window).
        if (!backupFollows.Wait(DemoKit.Patience))
        {
            throw new DemoFailure("the backup never took the primary's snapshot");
        }

        // Said before it happens, so everything the failure causes is told after this line.
        log.Say("primary", "stops (as if it crashed): no more HUGZ, no more updates");
        stopPrimary.Cancel();
        if (!primaryThread.Join(DemoKit.Patience))
        {
            throw new DemoFailure("the primary did not stop");
        }

        primary.Dispose();
        log.Say("alice", "sets /weather/paris = rain while there is no active server");
        alice.Set("/weather/paris", "rain");
        Until(() => alice.CurrentServer.Port == backupPort && bob.CurrentServer.Port == backupPort && alice.IsSynced && bob.IsSynced, "both clients on the backup");
        Until(() => bob.Get("/weather/paris") == "rain", "alice's update through the backup");
        Until(() => alice.Get("/news/flash") is null && bob.Get("/news/flash") is null, "the ephemeral value to expire");

        stopBackup.Cancel();
        backupThread.Join(DemoKit.Patience);
        var a = Describe(alice.Snapshot());
        var b = Describe(bob.Snapshot());

        // Each replica as its client holds it, so a reader (or a test) can compare them without trusting the verdict.
        log.Say("alice", $"holds up to update {alice.Sequence}: {a}");
        log.Say("bob", $"holds up to update {bob.Sequence}: {b}");
        bool ok = a == b && a == "/weather/oslo=snow, /weather/paris=rain" && backupThread.Failures.Count == 0 && primaryThread.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? "both clients failed over to the backup and hold the same map: " + a
            : $"alice holds {a}; bob holds {b}");
    }

    private static (CloneServer Primary, int PrimaryPort, CloneServer Backup, int BackupPort) CreatePair(ZmqContext context, DemoLog log, ManualResetEventSlim backupFollows)
    {
        // The clients find a server's three sockets at P, P + 1 and P + 2 (RFC 12), so the demo picks P itself.
        for (int attempt = 0; ; attempt++)
        {
            int primaryPort = Random.Shared.Next(20000, 31000);
            int backupPort = primaryPort + 10;
            int primaryState = primaryPort + 20;
            int backupState = primaryPort + 21;
            CloneServer? primary = null;
            try
            {
                primary = Server(context, primaryPort, backupPort, true, primaryState, backupState, "primary", log, backupFollows);
                var backup = Server(context, backupPort, primaryPort, false, backupState, primaryState, "backup", log, backupFollows);
                return (primary, primaryPort, backup, backupPort);
            }
            catch (ZmqException e) when (e.Error == ZmqErrorCode.EADDRINUSE && attempt < 50)
            {
                primary?.Dispose();
            }
        }
    }

    private static CloneServer Server(ZmqContext context, int port, int peer, bool primary, int stateBind, int stateConnect, string name, DemoLog log, ManualResetEventSlim follows) =>
        new(context, $"tcp://127.0.0.1:{port}", $"tcp://127.0.0.1:{port + 1}", $"tcp://127.0.0.1:{port + 2}",
            new CloneServerPair(primary, $"tcp://127.0.0.1:{stateBind}", $"tcp://127.0.0.1:{stateConnect}", $"tcp://127.0.0.1:{peer}", $"tcp://127.0.0.1:{peer + 1}"),
            new CloneServerOptions
            {
                PairHeartbeat = Heartbeat,
                HeartbeatInterval = Heartbeat,
                FlushInterval = Heartbeat,
                PeerSnapshotTimeout = TimeSpan.FromMilliseconds(500),
                Observer = e =>
                {
                    switch (e.Kind)
                    {
                        case CloneServerEventKind.Transition:
                            log.Say(name, e.Detail!);
                            break;
                        case CloneServerEventKind.Published:
                            log.Say(name, $"publishes update {e.Sequence}: {e.Key}");
                            break;
                        case CloneServerEventKind.PublishedPending:
                            log.Say(name, $"publishes update {e.Sequence} from its pending list: {e.Key}");
                            break;
                        case CloneServerEventKind.Expired:
                            log.Say(name, $"{e.Key} expired: publishes its delete as update {e.Sequence}");
                            break;
                        case CloneServerEventKind.SnapshotSent:
                            log.Say(name, $"sends a snapshot of {e.Count} keys up to update {e.Sequence}");
                            break;
                        case CloneServerEventKind.ReceivedPeerSnapshot when e.Count >= 0:
                            log.Say(name, $"takes the active's snapshot ({e.Count} keys, update {e.Sequence}) and follows its updates");
                            follows.Set();
                            break;
                    }
                },
            });

    private static CloneClient Client(ZmqContext context, CloneServerAddress[] servers, string name, DemoLog log) =>
        new(context, servers, new CloneClientOptions
        {
            ServerTimeout = TimeSpan.FromMilliseconds(500),
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case CloneClientEventKind.Synced:
                        log.Say(name, $"has the snapshot from port {e.Server.Port}: {e.Count} keys up to update {e.Sequence}");
                        break;
                    case CloneClientEventKind.Updated:
                        log.Say(name, $"<- update {e.Sequence}: {e.Key}");
                        break;
                    case CloneClientEventKind.FailingOver:
                        log.Say(name, $"no HUGZ from port {e.Server.Port} for 500 ms: fails over");
                        break;
                }
            },
        });

    private static void Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + DemoKit.Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new DemoFailure("timed out waiting for " + what);
            }

            Thread.Sleep(10); // the clients' agents make it true; the demo only watches
        }
    }

    private static string Describe(Dictionary<string, byte[]> map) =>
        string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Encoding.UTF8.GetString(p.Value)}"));
}
