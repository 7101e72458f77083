using System.Text;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Patterns.Tests.Titanic;

/// <summary>
/// Broker, Titanic and workers in this process over tcp loopback: the TSP frames exactly as RFC 9
/// says, requests that wait for a worker, bad input, and a Titanic restarted on the same directory.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class TitanicServiceTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly List<Thread> _threads = [];
    private ZmqContext _context = null!;
    private CancellationTokenSource _stop = null!;
    private string _directory = string.Empty;
    private string _endpoint = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        _stop = new CancellationTokenSource();
        _directory = Path.Combine(Path.GetTempPath(), "titanic-service-" + Guid.NewGuid().ToString("N"));
        var broker = new MajordomoBroker(_context, new MajordomoBrokerOptions { HeartbeatInterval = Heartbeat });
        broker.Bind("tcp://127.0.0.1:*");
        _endpoint = broker.LastEndpoint;
        Background(() =>
        {
            using (broker)
            {
                broker.Run(_stop.Token);
            }
        });
    }

    [TearDown]
    public void TearDown()
    {
        _stop.Cancel();
        foreach (var thread in _threads)
        {
            Assert.That(thread.Join(TimeSpan.FromSeconds(10)), Is.True, $"{thread.Name} stopped");
        }

        _threads.Clear();
        _context.Dispose();
        _stop.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public void Request_NoWorkerYet_200AndUuidThen300ThenReplyOnceWorkerComes()
    {
        StartTitanic(_stop.Token);
        using var raw = new MajordomoClient(_context, _endpoint, new MajordomoClientOptions { Timeout = Patience, Retries = 1 });

        var stored = raw.Send(TitanicProtocol.RequestService, [Text("echo"), Text("Hello world")]);
        Assert.That(stored, Has.Count.EqualTo(2));
        Assert.That(Str(stored![0]), Is.EqualTo("200"));
        string uuid = Str(stored[1]);
        Assert.That(uuid, Does.Match("^[0-9A-F]{32}$"));
        Assert.That(File.Exists(Path.Combine(_directory, uuid + ".req")), Is.True, "on disk when the 200 comes");

        var pending = raw.Send(TitanicProtocol.ReplyService, [Text(uuid)]);
        Assert.That(pending!.Select(Str), Is.EqualTo(new[] { "300" }));

        StartEchoWorker();
        var reply = PollUntilNot300(raw, uuid);
        Assert.That(reply.Select(Str), Is.EqualTo(new[] { "200", "Hello world" }));
        Assert.That(raw.Send(TitanicProtocol.ReplyService, [Text(uuid)])!.Select(Str), Is.EqualTo(new[] { "200", "Hello world" }), "titanic.reply is idempotent");

        Assert.That(raw.Send(TitanicProtocol.CloseService, [Text(uuid)])!.Select(Str), Is.EqualTo(new[] { "200" }));
        Assert.That(raw.Send(TitanicProtocol.ReplyService, [Text(uuid)])!.Select(Str), Is.EqualTo(new[] { "400" }));
        Assert.That(raw.Send(TitanicProtocol.CloseService, [Text(uuid)])!.Select(Str), Is.EqualTo(new[] { "200" }), "close is idempotent");
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public async Task ClientAsync_SubmitWaitCloseAwaited_ReplyOnceWorkerComesAndUnknownAfterClose()
    {
        StartTitanic(_stop.Token);
        using var client = new TitanicClient(_context, _endpoint, new MajordomoClientOptions { Timeout = Patience, Retries = 1 });

        var (status, uuid) = await client.SubmitAsync("echo", [Text("Hello async")]);
        Assert.That(status, Is.EqualTo(TitanicStatus.Ok));
        Assert.That((await client.GetReplyAsync(uuid!)).Status, Is.EqualTo(TitanicStatus.Pending));

        StartEchoWorker();
        using var patience = new CancellationTokenSource(Patience);
        var (replied, reply) = await client.WaitForReplyAsync(uuid!, TimeSpan.FromMilliseconds(20), patience.Token);
        Assert.That(replied, Is.EqualTo(TitanicStatus.Ok));
        Assert.That(reply!.Select(Str), Is.EqualTo(new[] { "Hello async" }));

        Assert.That(await client.CloseAsync(uuid!), Is.EqualTo(TitanicStatus.Ok));
        Assert.That((await client.GetReplyAsync(uuid!)).Status, Is.EqualTo(TitanicStatus.Unknown));
    }

    [Test]
    public void Services_MalformedInput_400AndNoFileTouched()
    {
        StartTitanic(_stop.Token);
        using var raw = new MajordomoClient(_context, _endpoint, new MajordomoClientOptions { Timeout = Patience, Retries = 1 });

        Assert.That(raw.Send(TitanicProtocol.ReplyService, [Text("../../etc/passwd")])!.Select(Str), Is.EqualTo(new[] { "400" }));
        Assert.That(raw.Send(TitanicProtocol.ReplyService, [Text("not-a-uuid")])!.Select(Str), Is.EqualTo(new[] { "400" }));
        Assert.That(raw.Send(TitanicProtocol.ReplyService, [[0xFF, 0x00]])!.Select(Str), Is.EqualTo(new[] { "400" }));
        Assert.That(raw.Send(TitanicProtocol.ReplyService, [Text(TitanicStore.NewUuid())])!.Select(Str), Is.EqualTo(new[] { "400" }), "well-formed but unknown");
        Assert.That(raw.Send(TitanicProtocol.CloseService, [Text("../x")])!.Select(Str), Is.EqualTo(new[] { "400" }));
        Assert.That(raw.Send(TitanicProtocol.CloseService, [Text(TitanicStore.NewUuid())])!.Select(Str), Is.EqualTo(new[] { "200" }), "RFC 9: unknown UUID closes fine");
        Assert.That(raw.Send(TitanicProtocol.RequestService, [Text("echo")])!.Select(Str), Is.EqualTo(new[] { "400" }), "RFC 9: 2 or more frames");
        Assert.That(raw.Send(TitanicProtocol.RequestService, [Text("titanic.request"), Text("x")])!.Select(Str), Is.EqualTo(new[] { "400" }), "would loop");
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public void Restart_RequestsStoredWithoutWorker_NewTitanicOnSameDirectoryDispatchesThemInOrder()
    {
        using (var first = new CancellationTokenSource())
        {
            var firstRun = StartTitanic(first.Token);
            using var client = NewClient();
            var uuids = new List<string>();
            for (int i = 1; i <= 5; i++)
            {
                Assert.That(client.Submit("echo", $"r{i}", out string? uuid), Is.EqualTo(TitanicStatus.Ok));
                uuids.Add(uuid!);
            }

            first.Cancel();
            Assert.That(firstRun.Join(Patience), Is.True);

            var store = new TitanicStore(_directory);
            Assert.That(store.PendingRequests(), Is.EqualTo(uuids), "the queue survives: every request, in submission order");
        }

        var seen = new List<string>();
        StartTitanic(_stop.Token);
        StartEchoWorker(seen);
        using var again = NewClient();
        var replies = new List<string>();
        using var patience = new CancellationTokenSource(Patience);
        foreach (string uuid in new TitanicStore(_directory).PendingRequests())
        {
            Assert.That(again.WaitForReply(uuid, TimeSpan.FromMilliseconds(20), patience.Token, out var reply), Is.EqualTo(TitanicStatus.Ok));
            replies.Add(Str(reply![0]));
        }

        Assert.That(replies, Is.EqualTo(new[] { "r1", "r2", "r3", "r4", "r5" }));
        lock (seen)
        {
            Assert.That(seen, Is.EqualTo(replies), "dispatched oldest first, each once");
        }
    }

    [Test]
    public void Dispatch_PendingRequestsForServiceWithoutWorker_ReadsNoRequestFile()
    {
        var store = new TitanicStore(_directory);
        for (int i = 0; i < 3; i++)
        {
            store.StoreRequest([Text("nobody"), new byte[100_000]]);
        }

        var service = new TitanicService(_context, _endpoint, store, Options());
        Background(() => service.Run(_stop.Token));

        // Each pass asks the broker about "nobody" (404) and must leave the files alone.
        Assert.That(SpinWait.SpinUntil(() => service.Passes >= 3, Patience), Is.True, "three dispatch passes");
        Assert.That(store.RequestReads, Is.Zero);
        Assert.That(store.PendingCount, Is.EqualTo(3));
    }

    [Test]
    public void Dispatch_PendingOlderThanRetention_RemovedFromDisk()
    {
        var clock = new WallClock();
        var store = new TitanicStore(_directory, timeProvider: clock);
        string uuid = store.StoreRequest([Text("nobody"), Text("x")]);
        clock.Advance(TimeSpan.FromHours(2));

        var options = Options();
        options.PendingRetention = TimeSpan.FromHours(1);
        Background(() => new TitanicService(_context, _endpoint, store, options).Run(_stop.Token));

        Assert.That(SpinWait.SpinUntil(() => store.PendingCount == 0, Patience), Is.True, "the expired request was removed");
        Assert.That(File.Exists(Path.Combine(_directory, uuid + ".req")), Is.False);
    }

    [Test]
    public void Request_StoreFull_500AndNothingStored()
    {
        var options = Options();
        options.MaxStoredRequests = 1;
        Background(() => new TitanicService(_context, _endpoint, new TitanicStore(_directory), options).Run(_stop.Token));
        using var raw = new MajordomoClient(_context, _endpoint, new MajordomoClientOptions { Timeout = Patience, Retries = 1 });

        Assert.That(Str(raw.Send(TitanicProtocol.RequestService, [Text("nobody"), Text("1")])![0]), Is.EqualTo("200"));
        Assert.That(raw.Send(TitanicProtocol.RequestService, [Text("nobody"), Text("2")])!.Select(Str), Is.EqualTo(new[] { "500" }));
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1));
    }

    private static TitanicOptions Options() => new()
    {
        HeartbeatInterval = Heartbeat,
        ReconnectInterval = Heartbeat,
        DispatchTimeout = TimeSpan.FromMilliseconds(500),
        DispatchInterval = TimeSpan.FromMilliseconds(50),
    };

    private TitanicClient NewClient() =>
        new(_context, _endpoint, new MajordomoClientOptions { Timeout = Patience, Retries = 1 });

    private Thread StartTitanic(CancellationToken stop)
    {
        var service = new TitanicService(_context, _endpoint, new TitanicStore(_directory), new TitanicOptions
        {
            HeartbeatInterval = Heartbeat,
            ReconnectInterval = Heartbeat,
            DispatchTimeout = TimeSpan.FromMilliseconds(500),
            DispatchInterval = TimeSpan.FromMilliseconds(50),
        });
        return Background(() => service.Run(stop));
    }

    private void StartEchoWorker(List<string>? seen = null) => Background(() =>
    {
        using var worker = new MajordomoWorker(_context, _endpoint, "echo", new MajordomoWorkerOptions { HeartbeatInterval = Heartbeat });
        while (worker.Receive(_stop.Token) is { } request)
        {
            if (seen is not null)
            {
                lock (seen)
                {
                    seen.Add(Str(request[0]));
                }
            }

            worker.Reply(request);
        }
    });

    private static List<byte[]> PollUntilNot300(MajordomoClient raw, string uuid)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var answer = raw.Send(TitanicProtocol.ReplyService, [Text(uuid)])!;
            if (Str(answer[0]) != "300" || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            Thread.Sleep(20); // polling is the protocol: TSP has no notification
        }
    }

    private Thread Background(Action body)
    {
        var thread = new Thread(() => body()) { IsBackground = true, Name = "titanic-test-" + _threads.Count };
        _threads.Add(thread);
        thread.Start();
        return thread;
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static string Str(byte[] frame) => Encoding.UTF8.GetString(frame);
}
