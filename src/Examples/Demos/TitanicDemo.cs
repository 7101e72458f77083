using System.Text;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Examples.Demos;

/// <summary>
/// Titanic (Guide chapter 4, RFC 9/TSP): a Majordomo broker, the Titanic service with its disk store,
/// a client and an echo worker that starts late, so the requests are seen waiting on disk first.
/// </summary>
internal static class TitanicDemo
{
    private static readonly string[] Requests = ["Hello 1", "Hello 2", "Hello 3"];
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(250);

    public static DemoPattern Pattern { get; } = new(
        "titanic",
        "disconnected reliability (Titanic over Majordomo)",
        "A client hands its requests to Titanic, which writes each to disk (temporary file, fsync,\n" +
        "rename) before it answers 200 and a UUID. There is no echo worker yet: the requests wait on\n" +
        "disk and titanic.reply says 300 (pending). Then a worker registers, Titanic's dispatcher sends\n" +
        "it the stored requests through the broker, stores the replies, and the client collects them.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        string directory = Path.Combine(Path.GetTempPath(), "zguide-titanic-" + Guid.NewGuid().ToString("N"));
        try
        {
            return Play(log, directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static DemoOutcome Play(DemoLog log, string directory)
    {
        using var context = DemoKit.NewContext();
        using var stop = new CancellationTokenSource();
        var threads = new DemoThreads(log);

        var broker = new MajordomoBroker(context, new MajordomoBrokerOptions { HeartbeatInterval = Heartbeat });
        broker.Bind("tcp://127.0.0.1:*");
        string endpoint = broker.LastEndpoint;
        log.Say("broker", $"Majordomo broker bound to {endpoint}");
        threads.Start("broker", () =>
        {
            using (broker)
            {
                broker.Run(stop.Token);
            }
        });

        var store = new TitanicStore(directory);
        var titanic = new TitanicService(context, endpoint, store, new TitanicOptions
        {
            HeartbeatInterval = Heartbeat,
            ReconnectInterval = Heartbeat,
            DispatchTimeout = TimeSpan.FromMilliseconds(500),
            DispatchInterval = TimeSpan.FromMilliseconds(200),
        });
        log.Say("titanic", $"stores requests in {directory}; registers titanic.request, .reply and .close");
        threads.Start("titanic", () => titanic.Run(stop.Token));

        var options = new MajordomoClientOptions { Timeout = DemoKit.Patience };
        using var client = new TitanicClient(context, endpoint, options);
        var uuids = new List<string>();
        foreach (string text in Requests)
        {
            var status = client.Submit("echo", text, out string? uuid);
            if (status != TitanicStatus.Ok)
            {
                throw new DemoFailure($"titanic.request answered {status}");
            }

            log.Say("client", $"titanic.request [echo][{text}] -> 200, UUID {uuid}");
            uuids.Add(uuid!);
        }

        int onDisk = Directory.GetFiles(directory, "*.req").Length;
        log.Say("titanic", $"{onDisk} request files on disk, {store.PendingCount} pending; no echo worker has registered");
        var early = client.TryGetReply(uuids[0], out _);
        log.Say("client", $"titanic.reply {uuids[0][..8]}... -> {(int)early} ({early})");

        log.Say("worker", "echo worker starts and registers with the broker");
        threads.Start("worker", () =>
        {
            using var worker = new MajordomoWorker(context, endpoint, "echo", new MajordomoWorkerOptions { HeartbeatInterval = Heartbeat });
            while (worker.Receive(stop.Token) is { } request)
            {
                log.Say("worker", $"<- {DemoKit.Quote(Encoding.UTF8.GetString(request[0]))}, echoes it");
                worker.Reply(request);
            }
        });

        var replies = new List<string>();
        using (var patience = new CancellationTokenSource(DemoKit.Patience))
        {
            foreach (string uuid in uuids)
            {
                if (client.WaitForReply(uuid, TimeSpan.FromMilliseconds(50), patience.Token, out List<byte[]>? reply) != TitanicStatus.Ok)
                {
                    throw new DemoFailure($"no reply for {uuid} within {DemoKit.Patience.TotalSeconds:0} s");
                }

                string text = Encoding.UTF8.GetString(reply![0]);
                replies.Add(text);
                log.Say("client", $"titanic.reply {uuid[..8]}... -> 200 {DemoKit.Quote(text)}; titanic.close -> {(int)client.Close(uuid)}");
            }
        }

        int left = Directory.GetFiles(directory).Length;
        log.Say("titanic", $"{titanic.RepliesStored} replies stored and handed out; {left} files left after the closes");
        stop.Cancel();
        threads.Join(DemoKit.Patience);

        bool ok = early == TitanicStatus.Pending && onDisk == Requests.Length && replies.SequenceEqual(Requests)
            && left == 0 && threads.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? $"{Requests.Length} requests stored while no worker was there (300 pending), then {replies.Count} echoed replies and closed"
            : $"pending seen: {early == TitanicStatus.Pending}, {replies.Count} of {Requests.Length} replies, {left} files left, {string.Join("; ", threads.Failures)}");
    }
}
