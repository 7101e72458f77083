using System.Globalization;
using System.Text;
using ZmqNative.Examples.Tests.Support;
using ZmqNative.Patterns.Clone;

namespace ZmqNative.Patterns.Tests.Clone;

/// <summary>
/// <see cref="CloneServer"/> and <see cref="CloneClient"/> in one process over loopback tcp: large snapshots while
/// updates flow, ephemeral values, subtrees, late joiners, hostile input and the pair's bounded pending list.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public class CloneServerTests
{
    [Test]
    public void Snapshot_TenThousandKeysWhileUpdatesFlow_ClientSeesEverySequenceOnceWithNoGap()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int port = CloneTesting.FreeTriple();
        using var server = new RunningCloneServer(context, port, new CloneServerOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(100) });
        using var writer = new RecordingClient(context, new CloneClientOptions { MaxQueuedSets = 20_000 }, CloneTesting.Address(port));
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < 10_000; i++)
        {
            string key = "/k/" + i.ToString(CultureInfo.InvariantCulture);
            expected[key] = "v" + i.ToString(CultureInfo.InvariantCulture);
            Assert.That(writer.Client.Set(key, expected[key]), Is.True);
        }

        CloneTesting.Until(() => server.Server.Sequence >= 10_000, "the first 10,000 updates", server.Signal);

        // Updates keep flowing while a new client subscribes and reads the 10,000-key snapshot.
        var more = new Thread(() =>
        {
            for (int i = 0; i < 3_000; i++)
            {
                writer.Client.Set("/k/" + (i % 500).ToString(CultureInfo.InvariantCulture), "w" + i.ToString(CultureInfo.InvariantCulture));
                if (i % 100 == 0)
                {
                    Thread.Sleep(1); // a steady stream rather than one burst
                }
            }
        });
        more.Start();
        using var joiner = new RecordingClient(context, null, CloneTesting.Address(port));
        more.Join();
        for (int i = 0; i < 3_000; i++)
        {
            expected["/k/" + (i % 500).ToString(CultureInfo.InvariantCulture)] = "w" + i.ToString(CultureInfo.InvariantCulture);
        }

        CloneTesting.Until(() => server.Server.Sequence == 13_000 && joiner.Client.Sequence == 13_000, "the joiner to reach sequence 13,000", joiner.Signal);

        var events = joiner.Events;
        var synced = events.Single(e => e.Kind == CloneClientEventKind.Synced);
        var applied = events.Where(e => e.Kind == CloneClientEventKind.Updated).Select(e => e.Sequence).ToList();
        Assert.That(events.Where(e => e.Kind is CloneClientEventKind.Gap or CloneClientEventKind.FailingOver or CloneClientEventKind.Dropped), Is.Empty);
        Assert.That(applied, Is.EqualTo(Enumerable.Range((int)synced.Sequence + 1, 13_000 - (int)synced.Sequence).Select(s => (long)s)), "every sequence after the snapshot, once, in order");
        Assert.That(synced.Count, Is.GreaterThanOrEqualTo(10_000));
        Assert.That(joiner.Map(), Is.EqualTo(expected));
        TestContext.Out.WriteLine($"snapshot at sequence {synced.Sequence} with {synced.Count} keys, then {applied.Count} updates");
    }

    [Test]
    public void Set_WithTtl_ServerDeletesTheKeyWhenItExpiresAndEveryClientSeesTheDelete()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int port = CloneTesting.FreeTriple();
        using var server = new RunningCloneServer(context, port, new CloneServerOptions { FlushInterval = TimeSpan.FromMilliseconds(50) });
        using var client = new RecordingClient(context, null, CloneTesting.Address(port));
        Assert.That(client.Client.WaitForSync(CloneTesting.Wait), Is.True);

        client.Client.Set("ephemeral", "soon gone", TimeSpan.FromMilliseconds(300));
        client.Client.Set("durable", "stays");

        CloneTesting.Until(() => client.Client.Get("ephemeral") is not null, "the ephemeral value", client.Signal);
        CloneTesting.Until(() => client.Client.Get("ephemeral") is null, "the ephemeral value to expire", client.Signal);
        // The server reports the expiry after it has published the delete, so a client can see the delete first.
        CloneTesting.Until(() => server.Events.Any(e => e.Kind == CloneServerEventKind.Expired), "the server's expiry event");
        Assert.That(server.Events.Where(e => e.Kind == CloneServerEventKind.Expired).Select(e => e.Key), Is.EqualTo(new[] { "ephemeral" }));
        Assert.That(client.Map(), Is.EqualTo(new Dictionary<string, string> { ["durable"] = "stays" }));
        using var late = new RecordingClient(context, null, CloneTesting.Address(port));
        Assert.That(late.Client.WaitForSync(CloneTesting.Wait), Is.True);
        Assert.That(late.Map(), Is.EqualTo(new Dictionary<string, string> { ["durable"] = "stays" }), "the expired key is not in later snapshots");
    }

    [Test]
    public void Subtree_ClientForOnePrefix_GetsOnlyThoseKeysInSnapshotAndUpdates()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int port = CloneTesting.FreeTriple();
        using var server = new RunningCloneServer(context, port);
        using var writer = new RecordingClient(context, null, CloneTesting.Address(port));
        writer.Client.Set("/a/1", "a1");
        writer.Client.Set("/b/1", "b1");
        CloneTesting.Until(() => writer.Client.Sequence == 2, "two updates", writer.Signal);

        using var onlyA = new RecordingClient(context, new CloneClientOptions { Subtree = "/a/" }, CloneTesting.Address(port));
        Assert.That(onlyA.Client.WaitForSync(CloneTesting.Wait), Is.True);
        writer.Client.Set("/b/2", "b2");
        writer.Client.Set("/a/2", "a2");
        writer.Client.Set("/ab", "not under /a/");
        CloneTesting.Until(() => onlyA.Client.Get("/a/2") is not null && writer.Client.Sequence == 5, "the updates", onlyA.Signal);

        Assert.That(onlyA.Map(), Is.EqualTo(new Dictionary<string, string> { ["/a/1"] = "a1", ["/a/2"] = "a2" }));
        Assert.That(onlyA.Events.Where(e => e.Kind == CloneClientEventKind.Updated).Select(e => e.Key), Is.EqualTo(new[] { "/a/2" }));
        Assert.That(writer.Map(), Has.Count.EqualTo(5));
    }

    [Test]
    public void LateJoiner_AfterUpdatesAndDeletes_GetsTheSameMapAsAClientThatSawThemAll()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int port = CloneTesting.FreeTriple();
        using var server = new RunningCloneServer(context, port);
        using var early = new RecordingClient(context, null, CloneTesting.Address(port));
        Assert.That(early.Client.WaitForSync(CloneTesting.Wait), Is.True);
        for (int i = 0; i < 200; i++)
        {
            early.Client.Set("key" + (i % 30).ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture));
        }

        for (int i = 0; i < 10; i++)
        {
            early.Client.Delete("key" + i.ToString(CultureInfo.InvariantCulture));
        }

        CloneTesting.Until(() => early.Client.Sequence == 210, "210 updates", early.Signal);

        using var late = new RecordingClient(context, null, CloneTesting.Address(port));
        Assert.That(late.Client.WaitForSync(CloneTesting.Wait), Is.True);

        Assert.That(late.Client.Sequence, Is.EqualTo(210));
        Assert.That(late.Map(), Has.Count.EqualTo(20));
        Assert.That(late.Map(), Is.EqualTo(early.Map()));
    }

    [Test]
    public void Set_WhileNoServerIsUp_WaitsInTheClientAndArrivesWhenTheServerComesBack()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int port = CloneTesting.FreeTriple();
        var first = new RunningCloneServer(context, port);
        using var client = new RecordingClient(context, new CloneClientOptions { ServerTimeout = TimeSpan.FromMilliseconds(500) }, CloneTesting.Address(port));
        try
        {
            client.Client.Set("before", "1");
            CloneTesting.Until(() => client.Client.Get("before") == "1", "the first set", client.Signal);

            first.Dispose();
            CloneTesting.Until(() => client.Events.Any(e => e.Kind == CloneClientEventKind.FailingOver), "the client to notice", client.Signal);
            Assert.That(client.Client.Set("while-down", "2"), Is.True);

            // libzmq closes the first server's listeners in its I/O thread after zmq_close returns:
            // bind again once they are gone (seen: EADDRINUSE when binding at once).
            CloneTesting.Until(() => ZguideProcess.IsFree(port) && ZguideProcess.IsFree(port + 1) && ZguideProcess.IsFree(port + 2), "the first server's ports to close");
            using var second = new RunningCloneServer(context, port);
            CloneTesting.Until(() => client.Client.Get("while-down") == "2", "the set made while the server was down", client.Signal);
            Assert.That(client.Map(), Is.EqualTo(new Dictionary<string, string> { ["while-down"] = "2" }), "the restarted server's map: the old one died with it");
        }
        finally
        {
            first.Dispose();
        }
    }

    [Test]
    public void HostileInput_MalformedUpdatesAndRequests_DroppedAndTheMapAndServiceUnharmed()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int port = CloneTesting.FreeTriple();
        using var server = new RunningCloneServer(context, port, new CloneServerOptions { MaxValueBytes = 1024 });
        using var client = new RecordingClient(context, null, CloneTesting.Address(port));
        Assert.That(client.Client.WaitForSync(CloneTesting.Wait), Is.True);
        client.Client.Set("good", "before");
        CloneTesting.Until(() => client.Client.Get("good") == "before", "the first good update", client.Signal);

        using var hostile = context.CreateSocket(ZmqSocketType.Pub);
        hostile.Connect(CloneTesting.Address(port).Collector);
        using var probe = context.CreateSocket(ZmqSocketType.Dealer);
        probe.Connect(CloneTesting.Address(port).Snapshot);
        byte[] seq = new byte[8];
        var junk = new List<byte[][]>
        {
            new[] { "only one frame"u8.ToArray() },
            new[] { "k"u8.ToArray(), new byte[3], Array.Empty<byte>(), Array.Empty<byte>(), "v"u8.ToArray() },
            new[] { new byte[] { 0xFF, 0xFE }, seq, Array.Empty<byte>(), Array.Empty<byte>(), "v"u8.ToArray() },
            new[] { "HUGZ"u8.ToArray(), seq, Array.Empty<byte>(), Array.Empty<byte>(), "fake heartbeat"u8.ToArray() },
            new[] { "KTHXBAI"u8.ToArray(), seq, Array.Empty<byte>(), Array.Empty<byte>(), "fake end"u8.ToArray() },
            new[] { "big"u8.ToArray(), seq, Array.Empty<byte>(), Array.Empty<byte>(), new byte[2048] },
            new[] { "props"u8.ToArray(), seq, Array.Empty<byte>(), "=\n"u8.ToArray(), "v"u8.ToArray() },
        };

        // The hostile publisher's connection may not be up yet: send the junk until the server has dropped all of it once.
        CloneTesting.Until(() =>
        {
            foreach (var frames in junk)
            {
                hostile.SendMultipart(frames);
            }

            return server.Count(CloneServerEventKind.Dropped) >= junk.Count;
        }, "the junk to reach the server");
        probe.SendMultipart(["GIMME"u8.ToArray()]);
        probe.SendMultipart(["ICANHAZ?"u8.ToArray(), "/"u8.ToArray(), "extra"u8.ToArray()]);
        probe.SendMultipart(["ICANHAZ?"u8.ToArray(), new byte[] { 0xC3, 0x28 }]);
        CloneTesting.Until(() => server.Count(CloneServerEventKind.SnapshotRefused) >= 3, "the bad snapshot requests", server.Signal);
        client.Client.Set("good", "after");

        CloneTesting.Until(() => client.Client.Get("good") == "after", "the good update after the junk", client.Signal);
        Assert.That(client.Map(), Is.EqualTo(new Dictionary<string, string> { ["good"] = "after" }));
        Assert.That(server.Server.Sequence, Is.EqualTo(2), "nothing malformed was sequenced");
        Assert.That(server.Failure, Is.Null);
        Assert.That(server.Events.Where(e => e.Kind == CloneServerEventKind.Dropped).Select(e => e.Detail).Distinct(), Is.EqualTo(new[] { "collector: malformed update" }));
        using var late = new RecordingClient(context, null, CloneTesting.Address(port));
        Assert.That(late.Client.WaitForSync(CloneTesting.Wait), Is.True, "still serving snapshots");
        Assert.That(late.Map(), Is.EqualTo(client.Map()));
    }

    [Test]
    public void Failover_ActiveUpdateWhoseClientCopyNeverReachedTheBackup_IsNotReplayedOverANewerValue()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int primaryPort = CloneTesting.FreeTriple();
        int backupPort = CloneTesting.FreeTriple();
        int primaryState = Examples.Tests.Support.ZguideProcess.FreePort();
        int backupState = Examples.Tests.Support.ZguideProcess.FreePort();
        var heartbeat = TimeSpan.FromMilliseconds(100);
        var primary = new RunningCloneServer(context, primaryPort, new CloneServerOptions { PairHeartbeat = heartbeat },
            new CloneServerPair(true, $"tcp://127.0.0.1:{primaryState}", $"tcp://127.0.0.1:{backupState}", CloneTesting.Address(backupPort).Snapshot, CloneTesting.Address(backupPort).Publisher));
        using var backup = new RunningCloneServer(context, backupPort, new CloneServerOptions { PairHeartbeat = heartbeat },
            new CloneServerPair(false, $"tcp://127.0.0.1:{backupState}", $"tcp://127.0.0.1:{primaryState}", CloneTesting.Address(primaryPort).Snapshot, CloneTesting.Address(primaryPort).Publisher));
        try
        {
            var servers = new[] { CloneTesting.Address(primaryPort), CloneTesting.Address(backupPort) };
            using var client = new RecordingClient(context, new CloneClientOptions { ServerTimeout = TimeSpan.FromSeconds(1) }, servers);
            Assert.That(client.Client.WaitForSync(CloneTesting.Wait), Is.True);
            CloneTesting.Until(() => backup.Count(CloneServerEventKind.ReceivedPeerSnapshot) > 0, "the backup to follow the primary", backup.Signal);

            // An update that reaches only the primary (its sender talks to the primary alone): the backup sees it from the
            // active and keeps it, to recognise a client copy that never comes.
            using var primaryOnly = context.CreateSocket(ZmqSocketType.Pub);
            primaryOnly.Connect(CloneTesting.Address(primaryPort).Collector);
            CloneTesting.Until(() =>
            {
                primaryOnly.SendMultipart(KvMessage.Create("key", "old"u8, 0, KvMessage.NewUuid()).ToFrames());
                return client.Client.Get("key") == "old";
            }, "the old value through the primary");
            client.Client.Set("key", "new");
            CloneTesting.Until(() => client.Client.Get("key") == "new" && backup.Server.Sequence == client.Client.Sequence, "the new value on both servers", client.Signal);

            primary.Dispose();
            CloneTesting.Until(() => backup.Server.IsActive && client.Client.IsSynced && client.Client.CurrentServer.Port == backupPort, "the failover", client.Signal);

            Assert.That(client.Client.Get("key"), Is.EqualTo("new"), "the old value must not come back from the pending list");
            Assert.That(backup.Count(CloneServerEventKind.PublishedPending), Is.EqualTo(0));
        }
        finally
        {
            primary.Dispose();
        }
    }

    [Test]
    public void PendingList_PassiveBackupGetsMoreThanItsBound_KeepsTheNewestAndPublishesThemOnFailover()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int primaryPort = CloneTesting.FreeTriple();
        int backupPort = CloneTesting.FreeTriple();
        int primaryState = Examples.Tests.Support.ZguideProcess.FreePort();
        int backupState = Examples.Tests.Support.ZguideProcess.FreePort();
        var heartbeat = TimeSpan.FromMilliseconds(100);
        var primary = new RunningCloneServer(context, primaryPort, new CloneServerOptions { PairHeartbeat = heartbeat },
            new CloneServerPair(true, $"tcp://127.0.0.1:{primaryState}", $"tcp://127.0.0.1:{backupState}", CloneTesting.Address(backupPort).Snapshot, CloneTesting.Address(backupPort).Publisher));
        using var backup = new RunningCloneServer(context, backupPort, new CloneServerOptions { PairHeartbeat = heartbeat, MaxPending = 10 },
            new CloneServerPair(false, $"tcp://127.0.0.1:{backupState}", $"tcp://127.0.0.1:{primaryState}", CloneTesting.Address(primaryPort).Snapshot, CloneTesting.Address(primaryPort).Publisher));
        try
        {
            CloneTesting.Until(() => primary.Server.IsActive && backup.Events.Any(e => e.Kind == CloneServerEventKind.Transition), "the pair to form", backup.Signal);

            // A client that only reaches the backup's collector: the active never publishes these, so they stay pending.
            using var onlyBackup = context.CreateSocket(ZmqSocketType.Pub);
            onlyBackup.Connect(CloneTesting.Address(backupPort).Collector);
            int sent = 0;
            CloneTesting.Until(() =>
            {
                onlyBackup.SendMultipart(KvMessage.Create("probe", "x"u8, 0, KvMessage.NewUuid()).ToFrames());
                return backup.Count(CloneServerEventKind.Pending) > 0;
            }, "the backup's collector connection");
            for (; sent < 50; sent++)
            {
                onlyBackup.SendMultipart(KvMessage.Create("/p/" + sent.ToString(CultureInfo.InvariantCulture), "v"u8, 0, KvMessage.NewUuid()).ToFrames());
            }

            CloneTesting.Until(() => backup.Events.Any(e => e.Kind == CloneServerEventKind.Pending && e.Key == "/p/49"), "the 50 updates", backup.Signal);
            Assert.That(backup.Events.Where(e => e.Kind == CloneServerEventKind.Pending).Select(e => e.Count), Has.All.LessThanOrEqualTo(10), "never more than MaxPending held");
            Assert.That(backup.Count(CloneServerEventKind.PendingDropped), Is.GreaterThanOrEqualTo(40));

            primary.Dispose(); // the primary stops; a client's vote makes the backup active
            using var client = new RecordingClient(context, new CloneClientOptions { ServerTimeout = TimeSpan.FromSeconds(1) }, CloneTesting.Address(primaryPort), CloneTesting.Address(backupPort));
            CloneTesting.Until(() => backup.Server.IsActive && client.Client.IsSynced && client.Client.CurrentServer.Port == backupPort, "the failover", client.Signal);

            var published = backup.Events.Where(e => e.Kind == CloneServerEventKind.PublishedPending).Select(e => e.Key).ToList();
            Assert.That(published, Is.EqualTo(Enumerable.Range(40, 10).Select(i => "/p/" + i.ToString(CultureInfo.InvariantCulture))), "the newest ten, in the order sent");
            Assert.That(client.Map().Keys.Where(k => k.StartsWith("/p/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), Is.EqualTo(published.Order(StringComparer.Ordinal)));
        }
        finally
        {
            primary.Dispose();
        }
    }
}
