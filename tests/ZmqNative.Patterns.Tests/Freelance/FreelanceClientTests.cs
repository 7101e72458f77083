using ZmqNative.Patterns.Freelance;
using static ZmqNative.Patterns.Tests.Freelance.FreelanceTesting;

namespace ZmqNative.Patterns.Tests.Freelance;

/// <summary>
/// FreelanceClient (model three, the agent) against in-process FreelanceServers; each test runs against
/// TryRequest with servers on Run, and RequestAsync with servers on RunAsync.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
[CancelAfter(60_000)]
public class FreelanceClientTests(bool awaitable)
{
    private static FreelanceClientOptions Options(FreelanceEvents? events = null) => new()
    {
        GlobalTimeout = TimeSpan.FromSeconds(10),
        PingInterval = TimeSpan.FromMilliseconds(200),
        ServerTtl = TimeSpan.FromMilliseconds(600),
        RetryInterval = TimeSpan.FromMilliseconds(200),
        Observer = events?.Observer,
    };

    private static void WaitUntilAlive(FreelanceEvents events, params string[] endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            events.WaitFor(e => e.Kind == FreelanceEventKind.ServerAlive && e.Endpoint == endpoint);
        }
    }

    [Test]
    public void Request_AllServersUp_PrefersTheFirstConnected()
    {
        using var context = new ZmqContext();
        var events = new FreelanceEvents();
        using var a = new NamedServer(context, "A", awaitable: awaitable);
        using var b = new NamedServer(context, "B", awaitable: awaitable);
        using var client = new FreelanceClient(context, Options(events));
        client.Connect(a.Endpoint);
        client.Connect(b.Endpoint);
        // Until both have answered a ping, whichever answered first is the only live server.
        WaitUntilAlive(events, a.Endpoint, b.Endpoint);

        var replies = Enumerable.Range(1, 5).Select(i => Request(client, i.ToString())).ToList();

        Assert.That(replies, Is.EqualTo(new[] { "A:1", "A:2", "A:3", "A:4", "A:5" }));
    }

    [Test]
    public void Request_PreferredServerGone_FailsOverToTheNextWithoutFailing()
    {
        using var context = new ZmqContext();
        var events = new FreelanceEvents();
        var a = new NamedServer(context, "A", awaitable: awaitable);
        using var b = new NamedServer(context, "B", awaitable: awaitable);
        using var client = new FreelanceClient(context, Options(events));
        client.Connect(a.Endpoint);
        client.Connect(b.Endpoint);
        WaitUntilAlive(events, a.Endpoint, b.Endpoint);
        var first = Request(client, "1");

        a.Dispose();
        var after = Enumerable.Range(2, 5).Select(i => Request(client, i.ToString())).ToList();

        Assert.That(first, Is.EqualTo("A:1"));
        Assert.That(after, Is.EqualTo(new[] { "B:2", "B:3", "B:4", "B:5", "B:6" }));
        events.WaitFor(e => e.Kind == FreelanceEventKind.ServerDead && e.Endpoint == a.Endpoint);
    }

    [Test]
    public void Request_ServerHangsHoldingTheRequest_IsRetriedOnTheNextServer()
    {
        using var context = new ZmqContext();
        using var release = new ManualResetEventSlim();
        var events = new FreelanceEvents();
        using var hung = new NamedServer(
            context,
            "HUNG",
            body =>
            {
                release.Wait(Wait);
                return [Bytes("HUNG:" + Text(body[0]))];
            },
            awaitable);
        using var b = new NamedServer(context, "B", awaitable: awaitable);
        using var client = new FreelanceClient(context, Options(events));
        client.Connect(hung.Endpoint);
        client.Connect(b.Endpoint);
        // Both alive first: a retry skips a server whose first pong has not come yet (B), and would go
        // to HUNG again (seen once in CI).
        WaitUntilAlive(events, hung.Endpoint, b.Endpoint);

        var reply = Request(client, "x");
        release.Set();

        Assert.That(reply, Is.EqualTo("B:x"));
        Assert.That(events.All.Where(e => e.Kind == FreelanceEventKind.RequestSent).Select(e => e.Endpoint).Take(2), Is.EqualTo(new[] { hung.Endpoint, b.Endpoint }));
    }

    [Test]
    public void Request_LateReplyToAnEarlierRequestArrivesFirst_IsDroppedAsStale()
    {
        using var context = new ZmqContext();
        using var release = new ManualResetEventSlim();
        int calls = 0;
        // SLOW sits on its first request until the client has moved on to the next one.
        NamedServer? slow = null;
        slow = new NamedServer(
            context,
            "SLOW",
            body =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    release.Wait(Wait);
                }

                return [Bytes("SLOW:" + Text(body[0]))];
            },
            awaitable);
        using var b = new NamedServer(context, "B", awaitable: awaitable);
        var events = new FreelanceEvents();
        var options = Options(events);
        options.Observer = e =>
        {
            events.Observer(e);
            // Request 2 is on its way (to SLOW, which still holds request 1, or to B when SLOW has missed
            // its pings on a loaded machine): let SLOW answer request 1 now, late.
            if (e.Kind == FreelanceEventKind.RequestSent && Text(e.Frames![1]) == "2")
            {
                release.Set();
            }
        };
        string? first, second;
        try
        {
            using var client = new FreelanceClient(context, options);
            client.Connect(slow.Endpoint);
            client.Connect(b.Endpoint);
            WaitUntilAlive(events, slow.Endpoint, b.Endpoint);

            first = Request(client, "1");
            second = Request(client, "2");

            // Request 2 may be answered before SLOW's late answer to request 1 comes (by B, or a retry),
            // and B may answer request 1 twice (a retry): wait for SLOW's, which must be dropped.
            events.WaitFor(IsSlowsLateAnswer);
        }
        finally
        {
            release.Set();
            slow.Dispose();
        }

        Assert.That(first, Is.EqualTo("B:1"));
        Assert.That(second, Does.EndWith(":2"));
        Assert.That(events.All.Where(e => e.Kind == FreelanceEventKind.ReplyReceived).Select(e => Text(e.Frames![^1])), Has.None.EqualTo("SLOW:1"));

        static bool IsSlowsLateAnswer(FreelanceEvent e) => e.Kind == FreelanceEventKind.StaleReply && Text(e.Frames![^1]) == "SLOW:1";
    }

    [Test]
    public void Request_NoServerAnswers_FailsAfterTheGlobalTimeout()
    {
        using var context = new ZmqContext();
        var options = Options();
        options.GlobalTimeout = TimeSpan.FromMilliseconds(300);
        using var client = new FreelanceClient(context, options);
        client.Connect(Inproc("nobody"));

        var reply = Request(client, "x");

        Assert.That(reply, Is.Null);
        Assert.That(Request(client, [Bytes("y")]), Is.Null);
    }

    [Test]
    public void Request_AfterACancelledCallWhoseAnswerWasAlreadyOnItsWay_GetsItsOwnAnswer()
    {
        using var context = new ZmqContext();
        using var a = new NamedServer(context, "A", awaitable: awaitable);
        var events = new FreelanceEvents();
        using var cancel = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        Task<string?>? abandoned = null;
        var options = Options(events);
        options.Observer = e =>
        {
            events.Observer(e);
            // On the agent's thread, just before it sends the answer to request 1 down the pipe: the
            // caller gives up now, so that answer reaches the pipe after the call has ended.
            if (e.Kind == FreelanceEventKind.ReplyReceived && Text(e.Frames![2]) == "A:1")
            {
                started.Wait(Wait); // the answer can come before RequestAsync has returned its task
                cancel.Cancel();
                ((IAsyncResult)abandoned!).AsyncWaitHandle.WaitOne(Wait);
            }
        };
        using var client = new FreelanceClient(context, options);
        client.Connect(a.Endpoint);
        WaitUntilAlive(events, a.Endpoint);

        abandoned = client.RequestAsync("1", cancel.Token).AsTask();
        started.Set();
        Assert.That(() => abandoned.GetAwaiter().GetResult(), Throws.InstanceOf<OperationCanceledException>());
        var second = Request(client, "2");

        Assert.That(second, Is.EqualTo("A:2"), "the answer owed to the cancelled call must not be taken by the next one");
        Assert.That(client.DroppedAnswers, Is.EqualTo(1));
    }

    [Test]
    public void Request_ClientDisposedWhileItWaits_EndsWithObjectDisposed()
    {
        using var context = new ZmqContext();
        var options = Options();
        options.GlobalTimeout = TimeSpan.FromHours(1);
        var client = new FreelanceClient(context, options);
        client.Connect(Inproc("nobody"));
        using var started = new ManualResetEventSlim();
        Exception? error = null;
        var pending = Background(() =>
        {
            try
            {
                started.Set();
                Request(client, "x");
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        started.Wait(Wait);

        var disposing = Background(client.Dispose);

        Join(disposing);
        Join(pending);
        Assert.That(error, Is.InstanceOf<ObjectDisposedException>());
        Assert.That(() => Request(client, "y"), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void Connect_MalformedEndpoint_Throws()
    {
        using var client = new FreelanceClient(Options());

        Assert.That(() => client.Connect("nonsense"), Throws.InstanceOf<ZmqException>());
    }

    /// <summary>A text request in the form this fixture tests.</summary>
    private string? Request(FreelanceClient client, string request) =>
        awaitable ? client.RequestAsync(request).AsTask().GetAwaiter().GetResult() : client.TryRequest(request, out var reply) ? reply : null;

    /// <summary>A multi-frame request in the form this fixture tests.</summary>
    private List<byte[]>? Request(FreelanceClient client, IReadOnlyList<byte[]> request) =>
        awaitable ? client.RequestAsync(request).AsTask().GetAwaiter().GetResult() : client.TryRequest(request, out var reply) ? reply : null;
}

/// <summary>What only the awaitable form has: a caller's cancellation, and what it must never break.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class FreelanceClientAsyncTests
{
    private static FreelanceClientOptions Options(FreelanceEvents events) => new()
    {
        GlobalTimeout = TimeSpan.FromHours(1),
        PingInterval = TimeSpan.FromMilliseconds(200),
        ServerTtl = TimeSpan.FromMilliseconds(600),
        RetryInterval = TimeSpan.FromMilliseconds(200),
        Observer = events.Observer,
    };

    /// <summary>
    /// 2,000 requests, each cancelled after a random delay around the measured round trip, so that the
    /// cancellation races with the answer: sometimes before the request reaches the agent, sometimes while
    /// it is pending, sometimes after the agent sent the answer but before the call took it. Every call
    /// either ends cancelled or gets its own reply, never an earlier call's.
    /// </summary>
    [Test]
    public async Task RequestAsync_CancelRacingWithTheAnswer_EveryCallGetsItsOwnAnswerOrNone()
    {
        using var context = new ZmqContext();
        using var a = new NamedServer(context, "A");
        var events = new FreelanceEvents();
        using var client = new FreelanceClient(context, Options(events));
        client.Connect(a.Endpoint);
        events.WaitFor(e => e.Kind == FreelanceEventKind.ServerAlive);

        var roundTrips = new List<double>();
        for (int i = 0; i < 50; i++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            Assert.That(await client.RequestAsync("warm" + i), Is.EqualTo("A:warm" + i));
            roundTrips.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        roundTrips.Sort();
        double median = roundTrips[roundTrips.Count / 2];
        var random = new Random(19);
        int answered = 0, cancelled = 0;
        var wrong = new List<string>();

        // The cancellations come from a thread of their own: a call can complete before RequestAsync
        // even returns (the engine retries a receive briefly before parking it, and an inproc round trip
        // fits in that), so a cancel made by this thread after the call returned would never race.
        using var canceller = new Canceller();
        for (int i = 0; i < 2000; i++)
        {
            using var cancel = new CancellationTokenSource();
            bool racing = i % 10 != 9;
            if (racing)
            {
                // 0 to 1.5 round trips after the call starts (spun: sleep is far coarser than a round trip).
                canceller.CancelAfter(cancel, random.NextDouble() * 1.5 * median);
            }

            var call = client.RequestAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture), cancel.Token);
            try
            {
                string? reply = await call;
                answered++;
                if (reply != "A:" + i)
                {
                    wrong.Add($"call {i} got {reply ?? "(failed)"}");
                }
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }

            if (racing)
            {
                canceller.WaitDone();
            }
        }

        TestContext.Out.WriteLine($"median round trip {median:F0} us; {answered} answered, {cancelled} cancelled, {client.DroppedAnswers} late answers dropped, {events.All.Count(e => e.Kind == FreelanceEventKind.RequestCancelled)} requests cancelled in the agent");
        Assert.That(wrong, Is.Empty);
        Assert.That(answered, Is.GreaterThan(0));
        Assert.That(cancelled, Is.GreaterThan(0));
    }

    [Test]
    public void RequestAsync_CancelledWhileEveryServerIsDead_EndsAndTheAgentStopsSendingIt()
    {
        using var context = new ZmqContext();
        var events = new FreelanceEvents();
        using var client = new FreelanceClient(context, Options(events));
        client.Connect(Inproc("dead1"));
        client.Connect(Inproc("dead2"));
        using var cancel = new CancellationTokenSource();

        var pending = client.RequestAsync("x", cancel.Token).AsTask();
        Assert.That(pending.IsCompleted, Is.False, "nobody can answer before the one-hour global timeout");
        cancel.Cancel();

        Assert.That(() => pending.Wait(Wait), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<TaskCanceledException>().Or.InnerException.InstanceOf<OperationCanceledException>());
        events.WaitFor(e => e.Kind == FreelanceEventKind.RequestCancelled);

        // The client is still good: a server that comes up answers the next request.
        using var late = new NamedServer(context, "LATE");
        client.Connect(late.Endpoint);
        Assert.That(client.RequestAsync("y").AsTask().Wait(Wait), Is.True);
        Assert.That(client.TryRequest("z", out var reply), Is.True);
        Assert.That(reply, Is.EqualTo("LATE:z"));
    }

    [Test]
    public void RequestAsync_ManyTasksAtOnce_AreServedOneAtATimeEachWithItsOwnReply()
    {
        using var context = new ZmqContext();
        using var a = new NamedServer(context, "A");
        var events = new FreelanceEvents();
        using var client = new FreelanceClient(context, Options(events));
        client.Connect(a.Endpoint);
        events.WaitFor(e => e.Kind == FreelanceEventKind.ServerAlive);

        // The blocking callers get threads of their own: blocked pool threads would starve the
        // awaitable calls' continuations (the pool adds threads only slowly).
        var calls = Enumerable.Range(0, 100).Select(i => i % 3 == 0
            ? Task.Factory.StartNew(() => client.TryRequest(i.ToString(), out var reply) ? reply : null, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : client.RequestAsync(i.ToString()).AsTask()).ToArray();

        Assert.That(Task.WaitAll(calls, Wait), Is.True);
        Assert.That(calls.Select(c => c.Result), Is.EqualTo(Enumerable.Range(0, 100).Select(i => "A:" + i)));
    }
}

/// <summary>Cancels a token source a given number of microseconds after being asked, from its own thread.</summary>
internal sealed class Canceller : IDisposable
{
    private readonly SemaphoreSlim _go = new(0);
    private readonly SemaphoreSlim _done = new(0);
    private readonly Thread _thread;
    private CancellationTokenSource? _source;
    private double _delayMicroseconds;
    private volatile bool _stopping;

    public Canceller()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "test canceller" };
        _thread.Start();
    }

    /// <summary>Cancels <paramref name="source"/> about <paramref name="microseconds"/> from now, spinning on the canceller's thread.</summary>
    public void CancelAfter(CancellationTokenSource source, double microseconds)
    {
        _source = source;
        _delayMicroseconds = microseconds;
        _go.Release();
    }

    /// <summary>Waits until the last <see cref="CancelAfter"/> has cancelled its source.</summary>
    public void WaitDone() => Assert.That(_done.Wait(TimeSpan.FromSeconds(30)), Is.True, "the canceller did not cancel");

    public void Dispose()
    {
        _stopping = true;
        _go.Release();
        _thread.Join();
        _go.Dispose();
        _done.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            _go.Wait();
            if (_stopping)
            {
                return;
            }

            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            while (System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds < _delayMicroseconds)
            {
                Thread.SpinWait(20);
            }

            _source!.Cancel();
            _done.Release();
        }
    }
}
