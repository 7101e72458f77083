using System.Globalization;
using System.Text;
using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;
using ZmqNative.Patterns.BinaryStar;
using ZmqNative.Patterns.Clone;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// clonesrv5 (Guide chapter 5, Clone model five): model four plus ephemeral values (a "ttl" property in seconds; the
/// server deletes the key and publishes the delete when it expires) and HUGZ heartbeats, on the five-frame kvmsg. Built
/// on <see cref="CloneServer"/> with a PULL collector, as the Guide's model five.
/// </summary>
[Example("clonesrv5", 5, "Clone model five: ephemeral values (ttl) and HUGZ, on the CloneServer component",
    "zguide clonesrv5 [--port 5556 (snapshot; publisher port+1, collector port+2)] [--flush-ms 1000] [--hugz-ms 1000]")]
internal static class Clonesrv5Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int port = Chapter5Console.Port(a, "port", CloneServer.DefaultPort);
        var options = new CloneServerOptions
        {
            Collector = CloneCollectorType.Pull,
            FlushInterval = TimeSpan.FromMilliseconds(a.Int("flush-ms", 1000)),
            HeartbeatInterval = TimeSpan.FromMilliseconds(a.Int("hugz-ms", 1000)),
            Observer = CloneConsole.PrintServerEvent,
        };
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var server = new CloneServer(context, $"tcp://*:{port}", $"tcp://*:{port + 1}", $"tcp://*:{port + 2}", options);
        server.Run(cancel);
        Console.WriteLine($" Interrupted\n{server.Sequence} messages handled");
        return 0;
    }
}

/// <summary>
/// clonecli5 (Guide chapter 5, Clone model five): model four's client on the five-frame kvmsg, whose random updates
/// carry a random "ttl" of 0 to 29 seconds (or <c>--ttl</c>), so the server expires them.
/// </summary>
[Example("clonecli5", 5, "Clone model five: the client's updates are ephemeral (random ttl)",
    "zguide clonecli5 [--port 5556] [--subtree /client/] [--interval-ms 1000] [--sets N (default: forever)] [--ttl S (default: random 0-29)] [--updates N: stop after N updates received]")]
internal static class Clonecli5Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int port = Chapter5Console.Port(a, "port", CloneServer.DefaultPort);
        string subtree = a.Text("subtree", "/client/");
        int interval = a.Int("interval-ms", 1000);
        int sets = Chapter5Console.Count(a, "sets");
        int fixedTtl = a.Int("ttl", -1);
        int updates = Chapter5Console.Count(a, "updates");
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var snapshot = context.CreateSocket(ZmqSocketType.Dealer);
        snapshot.Connect($"tcp://localhost:{port}");
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Subscribe(subtree);
        subscriber.Connect($"tcp://localhost:{port + 1}");
        using var publisher = context.CreateSocket(ZmqSocketType.Push);
        publisher.Linger = TimeSpan.FromSeconds(1);
        publisher.Connect($"tcp://localhost:{port + 2}");
        var map = new Dictionary<string, KvMessage>(StringComparer.Ordinal);
        var random = new Random();

        // Get the state snapshot.
        long sequence = 0;
        snapshot.SendMultipart(["ICANHAZ?", subtree]);
        while (!cancel.IsCancellationRequested)
        {
            if (!snapshot.TryReceiveMultipart(TimeSpan.FromMilliseconds(100), out var frames) || !KvMessage.TryParse(frames, out var kvmsg))
            {
                continue;
            }

            if (kvmsg!.Key == KvMessage.SnapshotEndKey)
            {
                sequence = kvmsg.Sequence;
                Console.WriteLine($"I: received snapshot={sequence}");
                break;
            }

            map[kvmsg.Key] = kvmsg;
        }

        long alarm = Environment.TickCount64 + interval;
        int sent = 0;
        int received = 0;
        while (!cancel.IsCancellationRequested && (updates == 0 || received < updates))
        {
            long tickless = Math.Clamp(alarm - Environment.TickCount64, 0, 100);
            if (subscriber.TryReceiveMultipart(TimeSpan.FromMilliseconds(tickless), out var frames) && KvMessage.TryParse(frames, out var kvmsg)
                && kvmsg!.Key != KvMessage.HeartbeatKey && kvmsg.Sequence > sequence)
            {
                // Apply newer updates; an empty value deletes the key (an expired ephemeral value).
                sequence = kvmsg.Sequence;
                if (kvmsg.IsDelete)
                {
                    map.Remove(kvmsg.Key);
                }
                else
                {
                    map[kvmsg.Key] = kvmsg;
                }

                received++;
                Console.WriteLine($"I: received update={sequence}");
            }

            if (Environment.TickCount64 >= alarm && (sets == 0 || sent < sets))
            {
                int ttl = fixedTtl >= 0 ? fixedTtl : random.Next(30);
                var update = KvMessage.Create(subtree + random.Next(10000).ToString(CultureInfo.InvariantCulture),
                    Encoding.UTF8.GetBytes(random.Next(1000000).ToString(CultureInfo.InvariantCulture)), 0, KvMessage.NewUuid(),
                    new Dictionary<string, string> { ["ttl"] = ttl.ToString(CultureInfo.InvariantCulture) });
                publisher.SendMultipart(update.ToFrames());
                sent++;
                alarm = Environment.TickCount64 + interval;
            }
        }

        Console.WriteLine($" Interrupted\n{sequence} messages in");
        return 0;
    }
}

/// <summary>
/// clonesrv6 (Guide chapter 5, Clone model six, "Reliable Pub-Sub"): one server of a Binary Star pair, on
/// <see cref="CloneServer"/> in pair mode. The Guide's ports: the primary serves snapshots on 5556 (publisher 5557,
/// collector 5558), the backup on 5566 (5567, 5568); their Binary Star state goes over 5003 and 5004. The passive
/// server follows the active's updates and keeps clients' updates on its pending list; on failover it publishes them.
/// </summary>
[Example("clonesrv6", 5, "Clone model six: a Binary Star pair of Clone servers; the backup keeps a pending list and takes over",
    "zguide clonesrv6 { -p | -b } [--port 5556|5566] [--peer 5566|5556] [--peer-address tcp://localhost] [--state-bind tcp://*:5003|5004] [--state-connect tcp://localhost:5004|5003] [--heartbeat-ms 1000] [--hugz-ms 1000] [--flush-ms 1000] [-v]")]
internal static class Clonesrv6Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        bool primary = a.Positional.Contains("-p");
        bool backup = a.Positional.Contains("-b");
        bool verbose = a.Positional.Contains("-v");
        if (primary == backup)
        {
            Console.Error.WriteLine("Usage: clonesrv6 { -p | -b }");
            return 2;
        }

        int port = Chapter5Console.Port(a, "port", primary ? CloneServer.DefaultPort : CloneServer.DefaultBackupPort);
        int peer = Chapter5Console.Port(a, "peer", primary ? CloneServer.DefaultBackupPort : CloneServer.DefaultPort);
        string peerAddress = a.Text("peer-address", "tcp://localhost");
        string stateBind = a.Text("state-bind", primary ? BinaryStarServer.DefaultPrimaryLocalState : BinaryStarServer.DefaultBackupLocalState);
        string stateConnect = a.Text("state-connect", primary ? BinaryStarServer.DefaultPrimaryRemoteState : BinaryStarServer.DefaultBackupRemoteState);
        var options = new CloneServerOptions
        {
            PairHeartbeat = TimeSpan.FromMilliseconds(a.Int("heartbeat-ms", 1000)),
            HeartbeatInterval = TimeSpan.FromMilliseconds(a.Int("hugz-ms", 1000)),
            FlushInterval = TimeSpan.FromMilliseconds(a.Int("flush-ms", 1000)),
            Observer = e =>
            {
                if (verbose || e.Kind is not (CloneServerEventKind.Pending or CloneServerEventKind.ReceivedPeerUpdate))
                {
                    CloneConsole.PrintServerEvent(e);
                }
            },
        };
        a.RejectUnknown();
        var peerServer = new CloneServerAddress(peerAddress, peer);
        var pair = new CloneServerPair(primary, stateBind, stateConnect, peerServer.Snapshot, peerServer.Publisher);
        Console.WriteLine(primary ? "I: primary active, waiting for backup (passive)" : "I: backup passive, waiting for primary (active)");
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var server = new CloneServer(context, $"tcp://*:{port}", $"tcp://*:{port + 1}", $"tcp://*:{port + 2}", pair, options);
        try
        {
            server.Run(cancel);
        }
        catch (BinaryStarConflictException)
        {
            return 1; // the conflict was printed as a transition; the Guide aborts
        }

        Console.WriteLine("W: interrupted");
        return 0;
    }
}

/// <summary>
/// clonecli6 (Guide chapter 5, Clone model six): the clone client API (<see cref="CloneClient"/>) connected to the
/// primary (5556) and the backup (5566), setting a random key in "/client/" with a random ttl once a second. It
/// fails over to the backup when the primary stops giving HUGZ. With <c>--sets N</c> it stops after N sets and
/// <c>--dump</c> prints the replica ("key=value" lines, sorted) before it exits.
/// </summary>
[Example("clonecli6", 5, "Clone model six: the clone client API, failing over between a primary and a backup",
    "zguide clonecli6 [--address tcp://localhost] [--primary 5556] [--backup 5566] [--subtree /client/] [--interval-ms 1000] [--sets N (default: forever)] [--ttl S (default: random 0-29)] [--server-timeout-ms 5000] [--key-range 10000] [--dump]")]
internal static class Clonecli6Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "dump");
        string address = a.Text("address", "tcp://localhost");
        int primary = Chapter5Console.Port(a, "primary", CloneServer.DefaultPort);
        int backup = Chapter5Console.Port(a, "backup", CloneServer.DefaultBackupPort);
        string subtree = a.Text("subtree", "/client/");
        int interval = a.Int("interval-ms", 1000);
        int sets = Chapter5Console.Count(a, "sets");
        int fixedTtl = a.Int("ttl", -1);
        int timeout = a.Int("server-timeout-ms", 5000);
        int keys = a.Int("key-range", 10000);
        bool dump = a.Flag("dump");
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        var servers = new[] { new CloneServerAddress(address, primary), new CloneServerAddress(address, backup) };
        foreach (var server in servers)
        {
            Console.WriteLine($"I: adding server {server}...");
        }

        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var clone = new CloneClient(context, servers, new CloneClientOptions
        {
            Subtree = subtree,
            ServerTimeout = TimeSpan.FromMilliseconds(timeout),
            Observer = CloneConsole.PrintClientEvent,
        });
        var random = new Random();
        for (int sent = 0; !cancel.IsCancellationRequested && (sets == 0 || sent < sets); sent++)
        {
            // Set a random value; ttl 0 means for ever.
            int ttl = fixedTtl >= 0 ? fixedTtl : random.Next(30);
            clone.Set(subtree + random.Next(keys).ToString(CultureInfo.InvariantCulture), random.Next(1000000).ToString(CultureInfo.InvariantCulture),
                ttl > 0 ? TimeSpan.FromSeconds(ttl) : null);
            if (cancel.WaitHandle.WaitOne(interval))
            {
                break;
            }
        }

        if (dump)
        {
            foreach (var (key, value) in clone.Snapshot().OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"{key}={Encoding.UTF8.GetString(value)}");
            }
        }

        return 0;
    }
}

/// <summary>The Guide's log lines for the Clone components' events.</summary>
internal static class CloneConsole
{
    public static void PrintServerEvent(CloneServerEvent e)
    {
        string? line = e.Kind switch
        {
            CloneServerEventKind.SnapshotSent => $"I: sending shapshot={e.Sequence}",
            CloneServerEventKind.SnapshotRefused => $"W: snapshot request dropped: {e.Detail}",
            CloneServerEventKind.Published => $"I: publishing update={e.Sequence}",
            CloneServerEventKind.Expired => $"I: publishing delete={e.Sequence}",
            CloneServerEventKind.PublishedPending => $"I: publishing pending={e.Sequence}",
            CloneServerEventKind.Dropped => $"W: dropped: {e.Detail}",
            CloneServerEventKind.PendingDropped => $"W: pending list full, dropped the oldest ({e.Key})",
            CloneServerEventKind.Pending => $"I: holding update {e.Key} as pending ({e.Count})",
            CloneServerEventKind.AskingPeerSnapshot => $"I: asking for snapshot from: {e.Detail}",
            CloneServerEventKind.ReceivedPeerSnapshot => e.Count < 0 ? $"W: {e.Detail}" : $"I: received snapshot={e.Sequence}",
            CloneServerEventKind.ReceivedPeerUpdate => $"I: received update={e.Sequence}",
            CloneServerEventKind.Transition => (e.Detail!.StartsWith("fatal", StringComparison.Ordinal) ? "E: " : "I: ") + e.Detail,
            _ => null,
        };
        if (line is not null)
        {
            Console.WriteLine(line);
        }
    }

    public static void PrintClientEvent(CloneClientEvent e)
    {
        string? line = e.Kind switch
        {
            CloneClientEventKind.Connecting => $"I: waiting for server at {e.Server}...",
            CloneClientEventKind.Synced => $"I: received from {e.Server} snapshot={e.Sequence}",
            CloneClientEventKind.Updated => $"I: received from {e.Server} update={e.Sequence}",
            CloneClientEventKind.Gap => $"W: missed updates before {e.Sequence}, asking {e.Server} for a new snapshot",
            CloneClientEventKind.FailingOver => $"I: server at {e.Server} didn't give HUGZ",
            CloneClientEventKind.Dropped => $"W: malformed message from {e.Server} dropped",
            _ => null,
        };
        if (line is not null)
        {
            Console.WriteLine(line);
        }
    }
}
