using System.Globalization;
using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// The server and client of Clone models three and four, which differ only in subtrees: the server collects updates
/// from clients (PULL on port P + 2), gives each the next sequence number, publishes it (PUB, P + 1) and stores it, and
/// answers snapshot requests (ROUTER, P); the client takes a snapshot, applies newer updates, and sends a random update
/// of its own every second (PUSH).
/// </summary>
internal static class CloneModelThreeFour
{
    public const string ServerUsage = "[--port 5556 (snapshot; publisher port+1, collector port+2)]";

    public const string ClientUsage = "[--port 5556] [--interval-ms 1000] [--sets N (default: forever)] [--updates N: stop after N updates received]";

    public static int Server(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int port = Chapter5Console.Port(a, "port", 5556);
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var snapshot = context.CreateSocket(ZmqSocketType.Router);
        snapshot.SendHighWatermark = 0; // a snapshot is the whole map, sent in one go
        snapshot.Bind($"tcp://*:{port}");
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        publisher.Bind($"tcp://*:{port + 1}");
        using var collector = context.CreateSocket(ZmqSocketType.Pull);
        collector.Bind($"tcp://*:{port + 2}");

        long sequence = 0;
        var map = new Dictionary<string, KvSimple>(StringComparer.Ordinal);
        using var poller = new ZmqPoller();
        poller.Add(collector, ZmqPollEvents.In);
        poller.Add(snapshot, ZmqPollEvents.In);
        while (!cancel.IsCancellationRequested)
        {
            poller.Wait(TimeSpan.FromMilliseconds(100));
            // Apply a state update sent by a client.
            if (poller.IsReady(collector) && collector.TryReceiveMultipart(TimeSpan.Zero, out var frames))
            {
                if (KvSimple.TryParse(frames, out var kvmsg))
                {
                    kvmsg = kvmsg with { Sequence = ++sequence };
                    kvmsg.Send(publisher);
                    kvmsg.Store(map);
                    Console.WriteLine($"I: publishing update {sequence,5}");
                }
            }

            // Execute a state snapshot request.
            if (poller.IsReady(snapshot))
            {
                var request = snapshot.ReceiveMultipart();
                if (!CloneSnapshot.TryRead(request, out var identity, out var subtree))
                {
                    Console.WriteLine("E: bad request, aborting");
                    continue;
                }

                Console.WriteLine($"I: sending shapshot={sequence}");
                CloneSnapshot.Send(snapshot, identity, map.Values, sequence, subtree);
            }
        }

        Console.WriteLine($" Interrupted\n{sequence} messages handled");
        return 0;
    }

    public static int Client(string[] args, string? subtree)
    {
        var a = ExampleArgs.Parse(args);
        int port = Chapter5Console.Port(a, "port", 5556);
        int interval = a.Int("interval-ms", 1000);
        int sets = Chapter5Console.Count(a, "sets");
        int updates = Chapter5Console.Count(a, "updates");
        if (subtree is not null)
        {
            subtree = a.Text("subtree", subtree);
        }

        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext();
        using var snapshot = context.CreateSocket(ZmqSocketType.Dealer);
        snapshot.Linger = TimeSpan.Zero;
        snapshot.Connect($"tcp://localhost:{port}");
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Subscribe(subtree ?? string.Empty);
        subscriber.Connect($"tcp://localhost:{port + 1}");
        using var publisher = context.CreateSocket(ZmqSocketType.Push);
        publisher.Connect($"tcp://localhost:{port + 2}");
        var map = new Dictionary<string, KvSimple>(StringComparer.Ordinal);
        var random = new Random();

        // We first request a state snapshot.
        long sequence = CloneSnapshot.Fetch(snapshot, map, subtree, cancel);
        Console.WriteLine($"I: received snapshot={sequence}");

        // Then wait for updates from the server, and every so often send a random update to the server.
        long alarm = Environment.TickCount64 + interval;
        int sent = 0;
        int received = 0;
        while (!cancel.IsCancellationRequested && (updates == 0 || received < updates))
        {
            long tickless = Math.Clamp(alarm - Environment.TickCount64, 0, 100);
            if (subscriber.TryReceiveMultipart(TimeSpan.FromMilliseconds(tickless), out var frames) && KvSimple.TryParse(frames, out var kvmsg))
            {
                // Discard out-of-sequence updates.
                if (kvmsg.Sequence > sequence)
                {
                    sequence = kvmsg.Sequence;
                    kvmsg.Store(map);
                    received++;
                    Console.WriteLine($"I: received update={sequence}");
                }
            }

            // Time for a random update of our own.
            if (Environment.TickCount64 >= alarm && (sets == 0 || sent < sets))
            {
                string key = (subtree ?? string.Empty) + random.Next(10000).ToString(CultureInfo.InvariantCulture);
                KvSimple.Of(key, 0, random.Next(1000000).ToString(CultureInfo.InvariantCulture)).Send(publisher);
                sent++;
                alarm = Environment.TickCount64 + interval;
            }
        }

        Console.WriteLine($" Interrupted\n{sequence} messages in");
        return 0;
    }
}

/// <summary>clonesrv3 (Guide chapter 5, Clone model three): clients send their updates through the server, which sequences and republishes them.</summary>
[Example("clonesrv3", 5, "Clone model three: the server collects clients' updates (PULL), sequences and republishes them",
    "zguide clonesrv3 " + CloneModelThreeFour.ServerUsage)]
internal static class Clonesrv3Example
{
    public static int Run(string[] args) => CloneModelThreeFour.Server(args);
}

/// <summary>clonecli3 (Guide chapter 5, Clone model three): snapshot, updates, and a random update of its own every second (PUSH).</summary>
[Example("clonecli3", 5, "Clone model three: the client sends a random update every second through the server",
    "zguide clonecli3 " + CloneModelThreeFour.ClientUsage)]
internal static class Clonecli3Example
{
    public static int Run(string[] args) => CloneModelThreeFour.Client(args, null);
}

/// <summary>clonesrv4 (Guide chapter 5, Clone model four): model three with subtrees: a snapshot request names the key prefix it wants.</summary>
[Example("clonesrv4", 5, "Clone model four: snapshots filtered by subtree (ICANHAZ? + subtree)",
    "zguide clonesrv4 " + CloneModelThreeFour.ServerUsage)]
internal static class Clonesrv4Example
{
    public static int Run(string[] args) => CloneModelThreeFour.Server(args);
}

/// <summary>clonecli4 (Guide chapter 5, Clone model four): model three's client for the subtree "/client/" only.</summary>
[Example("clonecli4", 5, "Clone model four: the client replicates and updates one subtree (/client/)",
    "zguide clonecli4 " + CloneModelThreeFour.ClientUsage + " [--subtree /client/]")]
internal static class Clonecli4Example
{
    public static int Run(string[] args) => CloneModelThreeFour.Client(args, "/client/");
}
