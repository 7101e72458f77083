using System.Text;
using ZmqNative.Examples.Tests.Support;
using ZmqNative.Patterns.BinaryStar;
using ZmqNative.Patterns.Clone;
using ZmqNative.Patterns.Freelance;
using ZmqNative.Patterns.Loop;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Pirate;
using ZmqNative.Patterns.Tests.Clone;
using ZmqNative.Patterns.Tests.Freelance;
using ZmqNative.Patterns.Tests.Pirate;
using ZmqNative.Patterns.Titanic;
using static ZmqNative.Patterns.Tests.Loop.RunAsyncTesting;

namespace ZmqNative.Patterns.Tests.Loop;

/// <summary>The dedicated-thread runner behind the RunAsync of the loops that poll several sockets.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class LoopThreadTests
{
    [Test]
    public void RunAsync_Loop_RunsOnANamedThreadOfItsOwnNotAPoolThread()
    {
        bool? pool = null;
        string? name = null;

        Stopped(LoopThread.RunAsync("test-loop", _ => (pool, name) = (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name), default));

        Assert.That(pool, Is.False);
        Assert.That(name, Is.EqualTo("test-loop"));
    }

    [Test]
    public void RunAsync_LoopThrows_TheTaskFaultsWithThatException()
    {
        var error = Faulted(LoopThread.RunAsync("test-loop", _ => throw new InvalidDataException("from the loop"), default));

        Assert.That(error, Is.InstanceOf<InvalidDataException>().With.Message.EqualTo("from the loop"));
    }

    [Test]
    public void RunAsync_LoopEndsWithItsTokensCancellation_TheTaskCompletesNormally()
    {
        using var stop = new CancellationTokenSource();
        using var running = new ManualResetEventSlim();
        var run = LoopThread.RunAsync("test-loop", token =>
        {
            running.Set();
            token.WaitHandle.WaitOne();
            token.ThrowIfCancellationRequested();
        }, stop.Token);
        Assert.That(running.Wait(Wait), Is.True);

        stop.Cancel();

        Stopped(run);
    }

    [Test]
    public void RunAsync_CancellationOfAnotherToken_IsAFault()
    {
        using var other = new CancellationTokenSource();
        other.Cancel();

        var error = Faulted(LoopThread.RunAsync("test-loop", _ => other.Token.ThrowIfCancellationRequested(), default));

        Assert.That(error, Is.InstanceOf<OperationCanceledException>());
    }
}

/// <summary>FreelanceServer.RunAsync: an awaited loop over the server's one socket.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class FreelanceServerRunAsyncTests
{
    private static FreelanceClientOptions ClientOptions() => new()
    {
        GlobalTimeout = TimeSpan.FromSeconds(15),
        PingInterval = TimeSpan.FromMilliseconds(200),
        ServerTtl = TimeSpan.FromMilliseconds(600),
        RetryInterval = TimeSpan.FromMilliseconds(200),
    };

    [Test]
    public async Task RunAsync_ServesAClient_StopsOnCancelWithNoSocketLeftAndServesAgainAfterARestart()
    {
        using var serverContext = new ZmqContext();
        using var clientContext = new ZmqContext();
        string endpoint = $"tcp://127.0.0.1:{ZguideProcess.FreePort()}";
        using var server = new FreelanceServer(serverContext, endpoint, endpoint);
        using var client = new FreelanceClient(clientContext, ClientOptions());
        client.Connect(endpoint);

        for (int run = 1; run <= 3; run++)
        {
            using var stop = new CancellationTokenSource();
            var serving = server.RunAsync(body => [Encoding.UTF8.GetBytes("S:" + Encoding.UTF8.GetString(body[0]))], stop.Token);

            Assert.That(await client.RequestAsync("run" + run), Is.EqualTo("S:run" + run));

            stop.Cancel();
            Stopped(serving);
            Assert.That(OpenSockets(serverContext), Is.EqualTo(1), "only the server's own socket, kept for the next run");
        }
    }

    [Test]
    public void RunAsync_HandlerThrows_TheTaskFaultsWithItsException()
    {
        using var context = new ZmqContext();
        string endpoint = FreelanceTesting.Inproc("throws");
        using var server = new FreelanceServer(context, endpoint, endpoint);
        var serving = server.RunAsync(_ => throw new InvalidDataException("handler failed"));
        var client = new FreelanceClient(context, ClientOptions());
        client.Connect(endpoint);
        var pending = client.RequestAsync("x").AsTask();

        var error = Faulted(serving);

        Assert.That(error, Is.InstanceOf<InvalidDataException>().With.Message.EqualTo("handler failed"));
        client.Dispose();
        Assert.That(() => pending.Wait(Wait), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
    }
}

/// <summary>Paranoid and Simple Pirate: the queues' RunAsync (a thread of their own) and the Paranoid Pirate worker's (awaited).</summary>
[TestFixture]
[CancelAfter(90_000)]
public class PirateRunAsyncTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    private static LazyPirateClientOptions Patient() => new() { RequestTimeout = TimeSpan.FromMilliseconds(500), Attempts = 20 };

    private static ParanoidPirateWorkerOptions WorkerOptions() => new() { HeartbeatInterval = Heartbeat, ReconnectInterval = Heartbeat, ReconnectIntervalMax = Heartbeat };

    private static Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> Tagged(string name) => body => [PirateTesting.Bytes(name + ":" + PirateTesting.Text(body[0]))];

    [Test]
    public async Task ParanoidPirate_QueueAndWorkerRunAsync_ServeStopOnCancelWithNoSocketLeftAndServeAgainAfterARestart()
    {
        using var queueContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var workerContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var queue = new ParanoidPirateQueue(queueContext, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", new ParanoidPirateQueueOptions { HeartbeatInterval = Heartbeat });
        var worker = new ParanoidPirateWorker(workerContext, queue.BackendEndpoint, WorkerOptions());
        using var client = new LazyPirateClient(queueContext, queue.FrontendEndpoint, Patient());

        for (int run = 1; run <= 2; run++)
        {
            using var stop = new CancellationTokenSource();
            var queueRun = queue.RunAsync(stop.Token);
            var workerRun = worker.RunAsync(Tagged("W"), stop.Token);
            for (int i = 1; i <= 3; i++)
            {
                string request = $"{run}.{i}";
                var result = await client.RequestAsync([PirateTesting.Bytes(request)], reply => PirateTesting.Text(reply[0]) == "W:" + request);
                Assert.That(result.Succeeded, Is.True, request);
            }

            stop.Cancel();
            Stopped(queueRun, "the queue");
            Stopped(workerRun, "the worker");
            Assert.That(OpenSockets(workerContext), Is.Zero, "the worker's socket is closed when its run ends");
        }
    }

    [Test]
    public void ParanoidPirate_WorkerHandlerThrows_ItsRunFaultsWithTheException()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        using var queue = new ParanoidPirateQueue(context, PirateTesting.Inproc("front"), PirateTesting.Inproc("back"), new ParanoidPirateQueueOptions { HeartbeatInterval = Heartbeat });
        var queueRun = queue.RunAsync(stop.Token);
        var workerRun = new ParanoidPirateWorker(context, queue.BackendEndpoint, WorkerOptions()).RunAsync(_ => throw new InvalidDataException("handler failed"), stop.Token);
        using var client = new LazyPirateClient(context, queue.FrontendEndpoint, new LazyPirateClientOptions { RequestTimeout = Wait, Attempts = 1 });
        var pending = client.RequestAsync([PirateTesting.Bytes("x")], cancellationToken: stop.Token).AsTask();

        var error = Faulted(workerRun, "the worker");

        Assert.That(error, Is.InstanceOf<InvalidDataException>().With.Message.EqualTo("handler failed"));
        stop.Cancel();
        Stopped(queueRun, "the queue");
        Assert.That(() => pending.Wait(Wait), Throws.InstanceOf<AggregateException>());
    }

    /// <summary>
    /// The async form of the worker-killed fault test: worker W1 (a context of its own) dies holding a
    /// request (its context is disposed under it, closing its socket without a word, as a kill -9 would);
    /// the queue expires it, the client's retry goes to W2; a new W1 started later serves again.
    /// </summary>
    [Test]
    public async Task ParanoidPirate_WorkerKilledHoldingARequestThenRestarted_EveryRequestAnsweredAndTheNewWorkerServes()
    {
        using var queueContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        var events = new PirateEvents();
        using var queue = new ParanoidPirateQueue(queueContext, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", new ParanoidPirateQueueOptions { HeartbeatInterval = Heartbeat, Observer = events.Observer });
        var queueRun = queue.RunAsync(stop.Token);
        var doomedContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var doomed = new ParanoidPirateWorker(doomedContext, queue.BackendEndpoint, WorkerOptions()).RunAsync(
            body =>
            {
                holding.Set();
                release.Wait(Wait);
                return [PirateTesting.Bytes("W1:" + PirateTesting.Text(body[0]))];
            },
            stop.Token);
        using var survivorContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var survivor = new ParanoidPirateWorker(survivorContext, queue.BackendEndpoint, WorkerOptions()).RunAsync(Tagged("W2"), stop.Token);
        events.WaitFor(e => e.Kind == PirateEventKind.WorkerReady, 2);
        using var client = new LazyPirateClient(queueContext, queue.FrontendEndpoint, Patient());
        var replies = new List<string>();

        async Task Ask(int from, int to)
        {
            for (int i = from; i <= to; i++)
            {
                var result = await client.RequestAsync([PirateTesting.Bytes(i.ToString())], reply => PirateTesting.Text(reply[0]).EndsWith(":" + i, StringComparison.Ordinal));
                Assert.That(result.Succeeded, Is.True, $"request {i}");
                replies.Add(result.ReplyText!);
            }
        }

        var asking = Ask(1, 6);
        Assert.That(holding.Wait(Wait), Is.True, "W1 got a request");
        doomedContext.Dispose();
        release.Set();
        var death = Faulted(doomed, "the killed worker");
        await asking.WaitAsync(Wait);

        var reborn = new ParanoidPirateWorker(survivorContext, queue.BackendEndpoint, WorkerOptions()).RunAsync(Tagged("W1b"), stop.Token);
        events.WaitFor(e => e.Kind == PirateEventKind.WorkerReady, 3);
        await Ask(7, 12).WaitAsync(Wait);

        stop.Cancel();
        Stopped(queueRun, "the queue");
        Stopped(survivor, "W2");
        Stopped(reborn, "the restarted worker");
        Assert.That(death, Is.InstanceOf<ObjectDisposedException>().Or.InstanceOf<ContextTerminatedException>());
        Assert.That(replies.Select(r => r.Split(':')[1]), Is.EqualTo(Enumerable.Range(1, 12).Select(i => i.ToString())));
        Assert.That(replies.Take(6), Has.None.StartsWith("W1:"), "the killed worker answered nothing");
        Assert.That(replies.Skip(6), Has.Some.StartsWith("W1b:"), "the restarted worker serves");
    }

    [Test]
    public async Task SimplePirate_QueueRunAsync_ServesStopsOnCancelAndServesAgainAfterARestart()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var queue = new SimplePirateQueue(context, PirateTesting.Inproc("front"), PirateTesting.Inproc("back"));
        using var client = new LazyPirateClient(context, queue.FrontendEndpoint, Patient());

        for (int run = 1; run <= 2; run++)
        {
            // A Simple Pirate worker says READY once, and a restarted queue knows no worker: each run gets a new one.
            using var stop = new CancellationTokenSource();
            var queueRun = queue.RunAsync(stop.Token);
            var worker = new SimplePirateWorker(context, queue.BackendEndpoint).RunAsync(Tagged("S"), stop.Token);
            var result = await client.RequestAsync([PirateTesting.Bytes("r" + run)]);
            Assert.That(result.ReplyText, Is.EqualTo("S:r" + run));
            stop.Cancel();
            Stopped(queueRun, "the queue");
            Stopped(worker, "the worker");
        }
    }

    [Test]
    public void SimplePirate_WorkerHandlerThrows_ItsRunFaultsWithTheExceptionAndItsSocketIsClosed()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var workerContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        using var queue = new SimplePirateQueue(context, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
        var queueRun = queue.RunAsync(stop.Token);
        var worker = new SimplePirateWorker(workerContext, queue.BackendEndpoint).RunAsync(_ => throw new InvalidDataException("handler failed"), stop.Token);
        using var client = new LazyPirateClient(context, queue.FrontendEndpoint, new LazyPirateClientOptions { RequestTimeout = Wait, Attempts = 1 });
        var pending = client.RequestAsync([PirateTesting.Bytes("x")], cancellationToken: stop.Token).AsTask();

        var error = Faulted(worker, "the worker");

        Assert.That(error, Is.InstanceOf<InvalidDataException>().With.Message.EqualTo("handler failed"));
        Assert.That(OpenSockets(workerContext), Is.Zero);
        stop.Cancel();
        Stopped(queueRun, "the queue");
        Assert.That(() => pending.Wait(Wait), Throws.InstanceOf<AggregateException>());
    }
}

/// <summary>Majordomo: the broker's RunAsync (a thread of its own) and the worker's (awaited).</summary>
[TestFixture]
[CancelAfter(90_000)]
public class MajordomoRunAsyncTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    private static MajordomoWorkerOptions WorkerOptions() => new() { HeartbeatInterval = Heartbeat, ReconnectInterval = Heartbeat };

    private static MajordomoClientOptions Patient() => new() { Timeout = TimeSpan.FromMilliseconds(500), Retries = 20 };

    private static Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>> Tagged(string name) => body => [Encoding.UTF8.GetBytes(name + ":" + Encoding.UTF8.GetString(body[0]))];

    private static string? Text(List<byte[]>? reply) => reply is { Count: > 0 } ? Encoding.UTF8.GetString(reply[0]) : null;

    [Test]
    public async Task BrokerAndWorkerRunAsync_ServeStopOnCancelAndServeAgainAfterARestart()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var workerContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var broker = new MajordomoBroker(context, new MajordomoBrokerOptions { HeartbeatInterval = Heartbeat });
        broker.Bind("tcp://127.0.0.1:*");
        using var worker = new MajordomoWorker(workerContext, broker.LastEndpoint, "echo", WorkerOptions());
        using var client = new MajordomoClient(context, broker.LastEndpoint, Patient());

        for (int run = 1; run <= 2; run++)
        {
            using var stop = new CancellationTokenSource();
            var brokerRun = broker.RunAsync(stop.Token);
            var workerRun = worker.RunAsync(Tagged("W"), stop.Token);

            Assert.That(Text(await client.SendAsync("echo", [Encoding.UTF8.GetBytes("r" + run)])), Is.EqualTo("W:r" + run));

            stop.Cancel();
            Stopped(brokerRun, "the broker");
            Stopped(workerRun, "the worker");
            Assert.That(OpenSockets(workerContext), Is.EqualTo(1), "only the worker's own socket, kept until it is disposed");
        }
    }

    [Test]
    public void WorkerHandlerThrows_ItsRunFaultsWithTheException()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        using var broker = new MajordomoBroker(context, new MajordomoBrokerOptions { HeartbeatInterval = Heartbeat });
        broker.Bind(PirateTesting.Inproc("mdp"));
        string endpoint = broker.LastEndpoint; // read before the run: the loop owns the socket then
        var brokerRun = broker.RunAsync(stop.Token);
        using var worker = new MajordomoWorker(context, endpoint, "echo", WorkerOptions());
        var workerRun = worker.RunAsync(_ => throw new InvalidDataException("handler failed"), stop.Token);
        using var client = new MajordomoAsyncClient(context, endpoint);
        client.Send("echo", "x");

        var error = Faulted(workerRun, "the worker");

        Assert.That(error, Is.InstanceOf<InvalidDataException>().With.Message.EqualTo("handler failed"));
        stop.Cancel();
        Stopped(brokerRun, "the broker");
    }

    /// <summary>
    /// The async form of the worker-killed fault test: of two workers, one dies (its context disposed
    /// under it: the socket closes without DISCONNECT, as with kill -9); the broker forgets it and every
    /// request is answered by the other; a new worker started later serves again.
    /// </summary>
    [Test]
    public async Task OneOfTwoWorkersKilledThenRestarted_EveryRequestAnsweredAndTheNewWorkerServes()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        using var broker = new MajordomoBroker(context, new MajordomoBrokerOptions { HeartbeatInterval = Heartbeat });
        broker.Bind("tcp://127.0.0.1:*");
        string endpoint = broker.LastEndpoint; // read before the run: the loop owns the socket then
        var brokerRun = broker.RunAsync(stop.Token);
        var doomedContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var doomed = new MajordomoWorker(doomedContext, endpoint, "echo", WorkerOptions()).RunAsync(Tagged("W1"), stop.Token);
        using var survivorContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var survivorWorker = new MajordomoWorker(survivorContext, endpoint, "echo", WorkerOptions());
        var survivor = survivorWorker.RunAsync(Tagged("W2"), stop.Token);
        using var client = new MajordomoClient(context, endpoint, Patient());
        var replies = new List<string>();

        async Task Ask(int from, int to)
        {
            for (int i = from; i <= to; i++)
            {
                string? reply = Text(await client.SendAsync("echo", [Encoding.UTF8.GetBytes(i.ToString())]));
                Assert.That(reply, Does.EndWith(":" + i), $"request {i}");
                replies.Add(reply!);
            }
        }

        await Ask(1, 4).WaitAsync(Wait);
        doomedContext.Dispose();
        var death = Faulted(doomed, "the killed worker");
        await Ask(5, 12).WaitAsync(Wait);

        using var rebornContext = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var rebornWorker = new MajordomoWorker(rebornContext, endpoint, "echo", WorkerOptions());
        var reborn = rebornWorker.RunAsync(Tagged("W1b"), stop.Token);
        var afterRestart = new List<string>();
        for (int i = 13; !afterRestart.Any(r => r.StartsWith("W1b:", StringComparison.Ordinal)); i++)
        {
            Assert.That(i, Is.LessThan(200), "the restarted worker never got a request");
            await Ask(i, i).WaitAsync(Wait);
            afterRestart.Add(replies[^1]);
        }

        stop.Cancel();
        Stopped(brokerRun, "the broker");
        Stopped(survivor, "W2");
        Stopped(reborn, "the restarted worker");
        Assert.That(death, Is.InstanceOf<ContextTerminatedException>().Or.InstanceOf<ObjectDisposedException>());
        Assert.That(replies.Select(r => r.Split(':')[1]), Is.EqualTo(Enumerable.Range(1, replies.Count).Select(i => i.ToString())));
        Assert.That(replies.Skip(6), Has.None.StartsWith("W1:"), "once forgotten, the killed worker gets nothing");
    }

    [Test]
    public async Task Titanic_RunAsync_StoresAndAnswersStopsOnCancelAndAnswersAgainAfterARestart()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        using var broker = new MajordomoBroker(context, new MajordomoBrokerOptions { HeartbeatInterval = Heartbeat });
        broker.Bind("tcp://127.0.0.1:*");
        string endpoint = broker.LastEndpoint; // read before the run: the loop owns the socket then
        var brokerRun = broker.RunAsync(stop.Token);
        using var echo = new MajordomoWorker(context, endpoint, "echo", WorkerOptions());
        var echoRun = echo.RunAsync(body => body, stop.Token);
        string directory = Path.Combine(Path.GetTempPath(), "titanic-runasync-" + Guid.NewGuid().ToString("N"));
        try
        {
            var titanic = new TitanicService(context, endpoint, new TitanicStore(directory), new TitanicOptions
            {
                HeartbeatInterval = Heartbeat,
                ReconnectInterval = Heartbeat,
                DispatchTimeout = TimeSpan.FromMilliseconds(500),
                DispatchInterval = TimeSpan.FromMilliseconds(50),
            });
            using var client = new TitanicClient(context, endpoint, new MajordomoClientOptions { Timeout = TimeSpan.FromMilliseconds(500), Retries = 20 });
            for (int run = 1; run <= 2; run++)
            {
                using var stopTitanic = new CancellationTokenSource();
                var titanicRun = titanic.RunAsync(stopTitanic.Token);
                var (status, uuid) = await client.SubmitAsync("echo", [Encoding.UTF8.GetBytes("r" + run)]);
                Assert.That(status, Is.EqualTo(TitanicStatus.Ok));
                var (replyStatus, reply) = await client.WaitForReplyAsync(uuid!, TimeSpan.FromMilliseconds(50)).AsTask().WaitAsync(Wait);
                Assert.That(replyStatus, Is.EqualTo(TitanicStatus.Ok));
                Assert.That(Text(reply), Is.EqualTo("r" + run));

                stopTitanic.Cancel();
                Stopped(titanicRun, "Titanic");
            }
        }
        finally
        {
            stop.Cancel();
            Directory.Delete(directory, recursive: true);
        }

        Stopped(brokerRun, "the broker");
        Stopped(echoRun, "the echo worker");
    }
}

/// <summary>Binary Star and Clone servers: RunAsync on a thread of their own.</summary>
[TestFixture]
[CancelAfter(90_000)]
public class BinaryStarAndCloneRunAsyncTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    [Test]
    public async Task BinaryStar_PairRunAsync_ServesAClientStopsOnCancelAndAVoterExceptionFaultsTheRun()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var primary = new BinaryStarServer(context, true, "tcp://127.0.0.1:*", null, new BinaryStarServerOptions { Heartbeat = Heartbeat });
        using var backup = new BinaryStarServer(context, false, "tcp://127.0.0.1:*", null, new BinaryStarServerOptions { Heartbeat = Heartbeat });
        primary.ConnectPeer(backup.StateEndpoint);
        backup.ConnectPeer(primary.StateEndpoint);
        primary.RegisterVoter("tcp://127.0.0.1:*", (s, m) =>
        {
            if (Encoding.UTF8.GetString(m[^1]) == "boom")
            {
                throw new InvalidDataException("voter failed");
            }

            s.SendMultipart(m);
        });
        backup.RegisterVoter("tcp://127.0.0.1:*", (s, m) => s.SendMultipart(m));
        using var backupPassive = new ManualResetEventSlim();
        backup.BecamePassive += backupPassive.Set;
        using var stopPrimary = new CancellationTokenSource();
        using var stopBackup = new CancellationTokenSource();
        var primaryRun = primary.RunAsync(stopPrimary.Token);
        var backupRun = backup.RunAsync(stopBackup.Token);
        Assert.That(backupPassive.Wait(Wait), Is.True);
        using var client = new BinaryStarClient(context, primary.FrontendEndpoint!, backup.FrontendEndpoint!, new BinaryStarClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(500), Attempts = 10 });

        var answered = await client.RequestAsync([Encoding.UTF8.GetBytes("hello")]);
        Assert.That(answered.ReplyText, Is.EqualTo("hello"));
        using var giveUp = new CancellationTokenSource();
        var doomed = client.RequestAsync([Encoding.UTF8.GetBytes("boom")], cancellationToken: giveUp.Token).AsTask();
        var error = Faulted(primaryRun, "the primary");
        giveUp.Cancel();
        stopBackup.Cancel();

        Assert.That(error, Is.InstanceOf<InvalidDataException>().With.Message.EqualTo("voter failed"));
        Stopped(backupRun, "the backup");
        Assert.That(() => doomed.Wait(Wait), Throws.InstanceOf<AggregateException>());
    }

    [Test]
    public async Task BinaryStar_BackupStoppedAndRunAgain_TakesOverWhenThePrimaryStops()
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
        var primaryRun = primary.RunAsync(stopPrimary.Token);
        using (var stopBackup = new CancellationTokenSource())
        {
            var firstRun = backup.RunAsync(stopBackup.Token);
            Assert.That(backupPassive.Wait(Wait), Is.True);
            stopBackup.Cancel();
            Stopped(firstRun, "the backup's first run");
        }

        using var stopAgain = new CancellationTokenSource();
        var secondRun = backup.RunAsync(stopAgain.Token);
        using var client = new BinaryStarClient(context, primary.FrontendEndpoint!, backup.FrontendEndpoint!, new BinaryStarClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), SettleDelay = TimeSpan.FromMilliseconds(100), Attempts = 20 });
        Assert.That(Encoding.UTF8.GetString((await client.RequestAsync([Encoding.UTF8.GetBytes("1")])).Reply[^1]), Is.EqualTo("primary"));

        stopPrimary.Cancel();
        Stopped(primaryRun, "the primary");
        var afterFailover = await client.RequestAsync([Encoding.UTF8.GetBytes("2")], reply => Encoding.UTF8.GetString(reply[0]) == "2");

        Assert.That(afterFailover.Succeeded, Is.True);
        Assert.That(Encoding.UTF8.GetString(afterFailover.Reply[^1]), Is.EqualTo("backup"), "the backup's second run took over");
        stopAgain.Cancel();
        Stopped(secondRun, "the backup's second run");
    }

    [Test]
    public void BinaryStar_RunAsyncWithoutAVoter_ThrowsAtOnce()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var server = new BinaryStarServer(context, true, "tcp://127.0.0.1:*", null, new BinaryStarServerOptions { Heartbeat = Heartbeat });

        Assert.That(() => server.RunAsync(), Throws.InvalidOperationException);
    }

    [Test]
    public void Clone_ServerRunAsync_ServesAClientAndStopsOnCancel()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int port = CloneTesting.FreeTriple();
        using var server = new CloneServer(context, $"tcp://127.0.0.1:{port}", $"tcp://127.0.0.1:{port + 1}", $"tcp://127.0.0.1:{port + 2}", null, new CloneServerOptions { HeartbeatInterval = Heartbeat });
        using var stop = new CancellationTokenSource();
        var serving = server.RunAsync(stop.Token);
        using var writer = new RecordingClient(context, null, CloneTesting.Address(port));
        Assert.That(writer.Client.WaitForSync(Wait), Is.True);

        writer.Client.Set("key", "value");
        CloneTesting.Until(() => writer.Map().GetValueOrDefault("key") == "value", "the update came back from the server", writer.Signal);

        stop.Cancel();
        Stopped(serving, "the Clone server");
    }
}
