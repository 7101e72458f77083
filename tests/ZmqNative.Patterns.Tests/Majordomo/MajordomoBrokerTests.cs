using System.Text;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Tests.BinaryStar;

namespace ZmqNative.Patterns.Tests.Majordomo;

/// <summary>In-process tests: client → broker → worker and back, services, MMI, and malformed traffic.</summary>
[TestFixture(false)]
[TestFixture(true)]
[CancelAfter(60_000)]
public class MajordomoBrokerTests(bool awaitable)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private ZmqContext _context = null!;
    private CancellationTokenSource _stop = null!;
    private List<Task> _tasks = null!;
    private string _endpoint = null!;

    [SetUp]
    public void SetUp()
    {
        _context = new ZmqContext();
        _stop = new CancellationTokenSource();
        _tasks = [];
        (_, _endpoint) = StartBroker(new MajordomoBrokerOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200) });
    }

    [TearDown]
    public void TearDown()
    {
        _stop.Cancel();
        Task.WaitAll([.. _tasks], Wait);
        _context.Dispose();
        _stop.Dispose();
    }

    [Test]
    public void Send_RequestToEchoWorker_ReplyComesBack()
    {
        StartWorker("echo", s => s);
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());

        var reply = client.Send("echo", "Hello world");

        Assert.That(Text(reply), Is.EqualTo("Hello world"));
    }

    [Test]
    public void Send_TwoServices_EachRequestReachesItsOwnService()
    {
        StartWorker("upper", s => s.ToUpperInvariant());
        StartWorker("reverse", s => new string(s.Reverse().ToArray()));
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());

        Assert.That(Text(client.Send("upper", "abc")), Is.EqualTo("ABC"));
        Assert.That(Text(client.Send("reverse", "abc")), Is.EqualTo("cba"));
    }

    [Test]
    public void AsyncClient_ManyRequestsBeforeReading_AllRepliesArriveInOrder()
    {
        StartWorker("echo", s => s);
        using var client = new MajordomoAsyncClient(_context, _endpoint, ClientOptions());
        for (int i = 0; i < 20; i++)
        {
            client.Send("echo", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var replies = Enumerable.Range(0, 20).Select(_ => Text(client.Receive("echo"))).ToList();

        Assert.That(replies, Is.EqualTo(Enumerable.Range(0, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Test]
    public async Task SendAsync_EchoWorker_RepliesAndAfterACancelledRequestTheNextIsServed()
    {
        StartWorker("echo", s => s);
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());

        Assert.That(Text(await client.SendAsync("echo", [Encoding.UTF8.GetBytes("first")])), Is.EqualTo("first"));

        // No worker for "nobody": the request waits in the broker; the caller gives up.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.That(async () => await client.SendAsync("nobody", [Encoding.UTF8.GetBytes("x")], cancel.Token), Throws.InstanceOf<OperationCanceledException>());

        // The REQ socket that was waiting is replaced: the next request is sent and answered.
        Assert.That(Text(await client.SendAsync("echo", [Encoding.UTF8.GetBytes("after")])), Is.EqualTo("after"));
    }

    [Test]
    public async Task SendAsync_NoWorker_NullAfterItsRetries()
    {
        using var client = new MajordomoClient(_context, _endpoint, new MajordomoClientOptions { Timeout = TimeSpan.FromMilliseconds(100), Retries = 2 });

        Assert.That(await client.SendAsync("nobody", [Encoding.UTF8.GetBytes("x")]), Is.Null);
    }

    [Test]
    public async Task AsyncClient_SendAsyncThenReceiveAsync_AllRepliesArriveInOrder()
    {
        StartWorker("echo", s => s);
        using var client = new MajordomoAsyncClient(_context, _endpoint, ClientOptions());
        for (int i = 0; i < 20; i++)
        {
            await client.SendAsync("echo", [Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }

        var replies = new List<string?>();
        for (int i = 0; i < 20; i++)
        {
            replies.Add(Text(await client.ReceiveAsync("echo")));
        }

        Assert.That(replies, Is.EqualTo(Enumerable.Range(0, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(await client.ReceiveAsync("echo"), Is.Null, "nothing more: ReceiveAsync times out like Receive");
    }

    [Test]
    public void MmiService_RegisteredAndUnknownService_200And404()
    {
        StartWorker("echo", s => s);
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());
        WaitUntilRegistered(client, "echo");

        Assert.That(Text(client.Send(MajordomoProtocol.MmiService, "echo")), Is.EqualTo("200"));
        Assert.That(Text(client.Send(MajordomoProtocol.MmiService, "nosuch")), Is.EqualTo("404"));
    }

    [Test]
    public void Mmi_UnknownMmiName_501()
    {
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());

        Assert.That(Text(client.Send("mmi.nosuch", "echo")), Is.EqualTo("501"));
    }

    [TestCase(new byte[] { 0x09 }, TestName = "Broker_UnknownCommandByte_DroppedAndBrokerKeepsServing")]
    [TestCase(null, TestName = "Broker_TooFewFrames_DroppedAndBrokerKeepsServing")]
    public void Broker_InvalidWorkerMessage_DroppedAndBrokerKeepsServing(byte[]? command)
    {
        using var raw = RawDealer();
        List<byte[]> frames = [[], Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader)];
        if (command is not null)
        {
            frames.Add(command);
            frames.Add(Encoding.ASCII.GetBytes("echo"));
        }

        raw.SendMultipart(frames);

        // Invalid messages are dropped without an answer (RFC 7); the broker still routes a request.
        StartWorker("echo", s => s);
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());
        Assert.That(Text(client.Send("echo", "still here")), Is.EqualTo("still here"));
        Assert.That(raw.TryReceiveMultipart(TimeSpan.FromMilliseconds(200), out _), Is.False);
    }

    [Test]
    public void Broker_WrongHeader_DroppedAndBrokerKeepsServing()
    {
        using var raw = RawDealer();
        raw.SendMultipart([[], Encoding.ASCII.GetBytes("MDPX01"), Encoding.ASCII.GetBytes("echo"), Encoding.ASCII.GetBytes("x")]);

        StartWorker("echo", s => s);
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());
        Assert.That(Text(client.Send("echo", "still here")), Is.EqualTo("still here"));
        Assert.That(raw.TryReceiveMultipart(TimeSpan.FromMilliseconds(200), out _), Is.False);
    }

    [TestCase(MajordomoProtocol.Reply, TestName = "Broker_ReplyFromUnknownWorker_Disconnect")]
    [TestCase(MajordomoProtocol.Heartbeat, TestName = "Broker_HeartbeatFromUnknownWorker_Disconnect")]
    public void Broker_UnexpectedCommandFromUnknownWorker_Disconnect(byte command)
    {
        using var raw = RawDealer();
        raw.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader), [command], Encoding.ASCII.GetBytes("client"), [], Encoding.ASCII.GetBytes("body")]);

        Assert.That(raw.TryReceiveMultipart(Wait, out var answer), Is.True);
        Assert.That(answer, Is.EqualTo(new List<byte[]> { Array.Empty<byte>(), Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader), new[] { MajordomoProtocol.Disconnect } }));
        StartWorker("echo", s => s);
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());
        Assert.That(Text(client.Send("echo", "still here")), Is.EqualTo("still here"));
    }

    [Test]
    public void Broker_ReadyTwice_DisconnectAndWorkerForgotten()
    {
        using var raw = RawDealer();
        List<byte[]> ready = [[], Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader), [MajordomoProtocol.Ready], Encoding.ASCII.GetBytes("raw")];
        raw.SendMultipart(ready);
        raw.SendMultipart(ready);

        Assert.That(raw.TryReceiveMultipart(Wait, out var answer), Is.True);
        Assert.That(answer![2], Is.EqualTo(new[] { MajordomoProtocol.Disconnect }));
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());
        Assert.That(Text(client.Send(MajordomoProtocol.MmiService, "raw")), Is.EqualTo("404"));
    }

    [Test]
    public void Broker_ReplyFromIdleWorker_DisconnectAndServiceKeepsServing()
    {
        // Found by the fuzz suite: a REPLY from a worker holding no request listed it as waiting
        // twice; its expiry then counted it out of "echo" twice and forgot the service while the
        // real echo worker still waited in it, so no later echo request was ever served.
        StartWorker("echo", s => s);
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());
        WaitUntilRegistered(client, "echo");
        using var raw = RawDealer();
        byte[] header = Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader);
        raw.SendMultipart([[], header, [MajordomoProtocol.Ready], Encoding.ASCII.GetBytes("echo")]);
        raw.SendMultipart([[], header, [MajordomoProtocol.Reply], Encoding.ASCII.GetBytes("nobody"), [], Encoding.ASCII.GetBytes("unasked")]);

        bool disconnected = false;
        var deadline = DateTime.UtcNow + Wait;
        while (!disconnected && raw.TryReceiveMultipart(deadline - DateTime.UtcNow, out var frames))
        {
            disconnected = frames![2].SequenceEqual(new[] { MajordomoProtocol.Disconnect }); // heartbeats come first
        }

        Assert.That(disconnected, Is.True, "an unexpected REPLY is answered with DISCONNECT (RFC 7)");
        Assert.That(Text(client.Send("echo", "still served")), Is.EqualTo("still served"));
    }

    [Test]
    public void Broker_ReadyForMmiService_Disconnect()
    {
        using var raw = RawDealer();
        raw.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader), [MajordomoProtocol.Ready], Encoding.ASCII.GetBytes("mmi.service")]);

        Assert.That(raw.TryReceiveMultipart(Wait, out var answer), Is.True);
        Assert.That(answer![2], Is.EqualTo(new[] { MajordomoProtocol.Disconnect }));
    }

    [Test]
    public void Broker_SilentRawWorker_ExpiredAndRequestGoesToLiveWorker()
    {
        // A worker that registers and then never heartbeats: the broker expires it after liveness × interval.
        using var raw = RawDealer();
        raw.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader), [MajordomoProtocol.Ready], Encoding.ASCII.GetBytes("echo")]);
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());
        WaitUntilRegistered(client, "echo");
        WaitUntil(() => Text(client.Send(MajordomoProtocol.MmiService, "echo")) == "404");

        StartWorker("echo", s => s);
        Assert.That(Text(client.Send("echo", "to the live one")), Is.EqualTo("to the live one"));
    }

    [Test]
    public void Broker_BusyWorkerDisconnects_ForgottenAtOnce()
    {
        // A busy worker sends no heartbeats (RFC 7), so heartbeat expiry never covered it: a worker
        // that died holding a request stayed counted by mmi.service for ever, and a peer repeating
        // register, take a request, disconnect grew the broker's worker table without bound.
        byte[] workerHeader = Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader);
        var worker = RawDealer();
        worker.SendMultipart([[], workerHeader, [MajordomoProtocol.Ready], Encoding.ASCII.GetBytes("busy")]);
        using var client = new MajordomoClient(_context, _endpoint, ClientOptions());
        WaitUntilRegistered(client, "busy");
        using var rawClient = RawDealer();
        rawClient.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.ClientHeader), Encoding.ASCII.GetBytes("busy"), Encoding.ASCII.GetBytes("work")]);

        bool gotRequest = false;
        var deadline = DateTime.UtcNow + Wait;
        while (!gotRequest && worker.TryReceiveMultipart(deadline - DateTime.UtcNow, out var frames))
        {
            gotRequest = frames![2].SequenceEqual(new[] { MajordomoProtocol.Request }); // heartbeats may come first
        }

        Assert.That(gotRequest, Is.True, "the raw worker did not get the request");
        Assert.That(Text(client.Send(MajordomoProtocol.MmiService, "busy")), Is.EqualTo("200"), "busy, still registered");
        worker.Dispose();

        WaitUntil(() => Text(client.Send(MajordomoProtocol.MmiService, "busy")) == "404");
    }

    [Test]
    public void Broker_RequestsForServiceWithoutWorker_QueueBoundedPerServiceOldestDropped()
    {
        var (broker, endpoint) = StartBroker(new MajordomoBrokerOptions { MaxQueuedRequestsPerService = 5, MaxQueuedRequests = 100 });
        using var client = RawDealer(endpoint);
        for (int i = 1; i <= 20; i++)
        {
            client.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.ClientHeader), Encoding.ASCII.GetBytes("nobody"), Encoding.ASCII.GetBytes($"r{i}")]);
        }

        WaitForCounter(() => broker.DroppedRequests == 15);
        Assert.That(broker.QueuedRequests, Is.EqualTo(5));

        // A worker that comes later gets what is left: the five newest (the oldest were dropped).
        using var worker = RawDealer(endpoint);
        worker.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader), [MajordomoProtocol.Ready], Encoding.ASCII.GetBytes("nobody")]);
        var bodies = new List<string>();
        while (bodies.Count < 5 && worker.TryReceiveMultipart(Wait, out var request))
        {
            if (request[2][0] == MajordomoProtocol.Request)
            {
                bodies.Add(Encoding.UTF8.GetString(request[^1]));
                worker.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader), [MajordomoProtocol.Reply], request[3], [], request[^1]]);
            }
        }

        Assert.That(bodies, Is.EqualTo(new[] { "r16", "r17", "r18", "r19", "r20" }));
        Assert.That(broker.QueuedRequests, Is.Zero);
    }

    [Test]
    public void Broker_RequestsForTwoServicesPastTotalBound_OldestOfAnyServiceDropped()
    {
        var (broker, endpoint) = StartBroker(new MajordomoBrokerOptions { MaxQueuedRequestsPerService = 100, MaxQueuedRequests = 8 });
        using var client = RawDealer(endpoint);
        foreach (string service in new[] { "a", "b" })
        {
            for (int i = 1; i <= 5; i++)
            {
                client.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.ClientHeader), Encoding.ASCII.GetBytes(service), new byte[1000]]);
            }
        }

        WaitForCounter(() => broker.DroppedRequests == 2);
        Assert.That(broker.QueuedRequests, Is.EqualTo(8));
        Assert.That(broker.QueuedBytes, Is.EqualTo(8 * (1000 + 5 /* the client's routing id */)));
    }

    [Test]
    public void Broker_QueuedRequestsOlderThanExpiry_DroppedOnTheBrokersClock()
    {
        var clock = new ManualTimeProvider();
        var (broker, endpoint) = StartBroker(new MajordomoBrokerOptions { RequestExpiry = TimeSpan.FromSeconds(10), TimeProvider = clock });
        using var client = RawDealer(endpoint);
        for (int i = 0; i < 3; i++)
        {
            client.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.ClientHeader), Encoding.ASCII.GetBytes("nobody"), Encoding.ASCII.GetBytes("x")]);
        }

        WaitForCounter(() => broker.QueuedRequests == 3);
        clock.Advance(TimeSpan.FromSeconds(11));
        WaitForCounter(() => broker.QueuedRequests == 0);
        Assert.That(broker.DroppedRequests, Is.EqualTo(3));
    }

    [Test]
    public void Broker_MonotonicClockPassesLiveness_ExpiresSilentWorker()
    {
        // An hour-long heartbeat: only the broker's own clock (TimeProvider), never the wall clock, can expire the worker.
        var clock = new ManualTimeProvider();
        var (broker, endpoint) = StartBroker(new MajordomoBrokerOptions { HeartbeatInterval = TimeSpan.FromHours(1), TimeProvider = clock });
        using var worker = RawDealer(endpoint);
        worker.SendMultipart([[], Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader), [MajordomoProtocol.Ready], Encoding.ASCII.GetBytes("echo")]);
        WaitForCounter(() => broker.WorkerCount == 1);

        clock.Advance(TimeSpan.FromHours(4));
        WaitForCounter(() => broker.WorkerCount == 0);
    }

    private (MajordomoBroker Broker, string Endpoint) StartBroker(MajordomoBrokerOptions options)
    {
        var broker = new MajordomoBroker(_context, options);
        broker.Bind("tcp://127.0.0.1:*");
        string endpoint = broker.LastEndpoint;
        // The form this fixture tests: Run on a thread of its own, or RunAsync (awaited, no thread).
        _tasks.Add(awaitable
            ? RunAsyncThenDispose(broker, _stop.Token)
            : Task.Factory.StartNew(
                () =>
                {
                    using (broker)
                    {
                        broker.Run(_stop.Token);
                    }
                },
                TaskCreationOptions.LongRunning));
        return (broker, endpoint);
    }

    private static async Task RunAsyncThenDispose(MajordomoBroker broker, CancellationToken stop)
    {
        using (broker)
        {
            await broker.RunAsync(stop);
        }
    }

    private static string? Text(List<byte[]>? frames) => frames is { Count: > 0 } ? Encoding.UTF8.GetString(frames[0]) : null;

    private static MajordomoClientOptions ClientOptions() => new() { Timeout = TimeSpan.FromSeconds(5), Retries = 1 };

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "condition not met in time");
        }
    }

    /// <summary>Waits (bounded, yielding the CPU) until a counter the broker's thread updates reaches a value.</summary>
    private static void WaitForCounter(Func<bool> condition) =>
        Assert.That(SpinWait.SpinUntil(condition, Wait), Is.True, "the broker's counters did not reach the expected values in time");

    private static void WaitUntilRegistered(MajordomoClient client, string service) =>
        WaitUntil(() => Text(client.Send(MajordomoProtocol.MmiService, service)) == "200");

    private ZmqSocket RawDealer() => RawDealer(_endpoint);

    private ZmqSocket RawDealer(string endpoint)
    {
        var raw = _context.CreateSocket(ZmqSocketType.Dealer);
        raw.Linger = TimeSpan.Zero;
        raw.Connect(endpoint);
        return raw;
    }

    private void StartWorker(string service, Func<string, string> handle)
    {
        var options = new MajordomoWorkerOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200), ReconnectInterval = TimeSpan.FromMilliseconds(100) };
        _tasks.Add(Task.Factory.StartNew(
            () =>
            {
                using var worker = new MajordomoWorker(_context, _endpoint, service, options);
                while (worker.Receive(_stop.Token) is { } request)
                {
                    worker.Reply([Encoding.UTF8.GetBytes(handle(Encoding.UTF8.GetString(request[0])))]);
                }
            },
            TaskCreationOptions.LongRunning));
    }
}
