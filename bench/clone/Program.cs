using System.Diagnostics;
using System.Globalization;
using System.Text;
using ZmqNative;
using ZmqNative.Patterns.Clone;

// One round: a CloneServer (PULL collector, so the writer is held back instead of dropped when the server falls
// behind), N whole-map CloneClients synced on an empty map, then one writer PUSHes U updates of distinct keys. The
// clock runs from the first update sent (all made beforehand) until every client has applied update U; then every replica is checked:
// U keys, each with the value written. W warm-up updates go first, untimed (the JIT compiles the paths on them). Prints one line: clients, updates, seconds, updates/s, resyncs.
//   clonebench [--clients N] [--updates U] [--size BYTES] [--warmup W]     (defaults 1, 100000, 64, 2000)
int clients = 1, updates = 100_000, size = 64, warmup = 2000;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--clients": clients = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--updates": updates = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--size": size = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine("usage: clonebench [--clients N] [--updates U] [--size BYTES] [--warmup W]");
            return 2;
    }
}

if (clients < 1 || updates < 1 || size < 8 || warmup < 0)
{
    Console.Error.WriteLine("clonebench: --clients and --updates at least 1, --size at least 8, --warmup at least 0");
    return 2;
}

using var context = new ZmqContext();
var options = new CloneServerOptions { Collector = CloneCollectorType.Pull, HeartbeatInterval = TimeSpan.FromMilliseconds(200) };
var (server, port) = CreateServer(context, options);
using var stop = new CancellationTokenSource();
var serverThread = new Thread(() => server.Run(stop.Token)) { Name = "clone server", IsBackground = true };
serverThread.Start();

int resyncs = 0;
var address = new[] { new CloneServerAddress("tcp://127.0.0.1", port) };
var replicas = new List<CloneClient>();
for (int c = 0; c < clients; c++)
{
    replicas.Add(new CloneClient(context, address, new CloneClientOptions
    {
        ServerTimeout = TimeSpan.FromSeconds(30), // a busy server is not a dead one here
        Observer = e =>
        {
            if (e.Kind == CloneClientEventKind.Gap)
            {
                Interlocked.Increment(ref resyncs);
            }
        },
    }));
}

foreach (var replica in replicas)
{
    if (!replica.WaitForSync(TimeSpan.FromSeconds(30)))
    {
        Console.Error.WriteLine("clonebench: a client got no snapshot within 30 s");
        return 1;
    }
}

using var writer = context.CreateSocket(ZmqSocketType.Push);
writer.Connect($"tcp://127.0.0.1:{port + 2}");
byte[] Value(int n)
{
    var value = new byte[size];
    Encoding.ASCII.GetBytes(n.ToString("D8", CultureInfo.InvariantCulture)).CopyTo(value, 0);
    return value;
}

for (int n = 0; n < warmup; n++)
{
    writer.SendMultipart(KvMessage.Create("/warmup/" + n.ToString(CultureInfo.InvariantCulture), Value(n)).ToFrames());
}

if (!AllReach(warmup, TimeSpan.FromSeconds(60)))
{
    return 1;
}

// The updates are made before the clock starts: what is timed is the server and the clients, not the writer's
// encoding (making them inside the loop took half the process's CPU with one client).
var batch = new List<byte[]>[updates];
for (int n = 0; n < updates; n++)
{
    batch[n] = KvMessage.Create("/bench/" + n.ToString(CultureInfo.InvariantCulture), Value(n)).ToFrames();
}

var clock = Stopwatch.StartNew();
foreach (var frames in batch)
{
    writer.SendMultipart(frames);
}

if (!AllReach(warmup + updates, TimeSpan.FromSeconds(Math.Max(60, updates / 1000.0))))
{
    return 1;
}

double seconds = clock.Elapsed.TotalSeconds;
foreach (var replica in replicas)
{
    var map = replica.Snapshot();
    if (map.Count != warmup + updates)
    {
        Console.Error.WriteLine($"clonebench: a replica holds {map.Count} keys, not {warmup + updates}");
        return 1;
    }

    for (int n = 0; n < updates; n++)
    {
        if (!map.TryGetValue("/bench/" + n.ToString(CultureInfo.InvariantCulture), out var value) || !value.AsSpan().SequenceEqual(Value(n)))
        {
            Console.Error.WriteLine($"clonebench: a replica's /bench/{n} is missing or wrong");
            return 1;
        }
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"clients={clients} updates={updates} size={size} seconds={seconds:F3} rate={updates / seconds:F0} resyncs={resyncs} verified=yes"));
foreach (var replica in replicas)
{
    replica.Dispose();
}

stop.Cancel();
serverThread.Join();
server.Dispose();
return 0;

bool AllReach(long sequence, TimeSpan patience)
{
    var waited = Stopwatch.StartNew();
    while (replicas.Any(r => r.Sequence < sequence))
    {
        if (waited.Elapsed > patience)
        {
            Console.Error.WriteLine($"clonebench: not every client reached update {sequence} within {patience.TotalSeconds:0} s (sequences: {string.Join(' ', replicas.Select(r => r.Sequence))})");
            return false;
        }

        Thread.Sleep(1); // the clients' agents do the work; this only watches
    }

    return true;
}

static (CloneServer Server, int Port) CreateServer(ZmqContext context, CloneServerOptions options)
{
    // Clients find the three sockets at P, P + 1 and P + 2 (RFC 12), so P is picked here, not by the OS.
    for (int attempt = 0; ; attempt++)
    {
        int port = Random.Shared.Next(20000, 40000);
        try
        {
            return (new CloneServer(context, $"tcp://127.0.0.1:{port}", $"tcp://127.0.0.1:{port + 1}", $"tcp://127.0.0.1:{port + 2}", options), port);
        }
        catch (ZmqException e) when (e.Error == ZmqErrorCode.EADDRINUSE && attempt < 50)
        {
        }
    }
}
