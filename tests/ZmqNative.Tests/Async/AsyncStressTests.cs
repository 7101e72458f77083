using System.Buffers.Binary;
using System.Text;

namespace ZmqNative.Tests.Async;

/// <summary>
/// The stress cases of issue 19. The PUSH/PULL stream runs a bounded slice by default (seconds);
/// <c>ZMQNATIVE_ASYNC_STRESS=1</c> (<c>./build.sh --target=StressAsync</c>) runs the full 1 M.
/// </summary>
[TestFixture]
[CancelAfter(600_000)]
[NonParallelizable]
public class AsyncStressTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("ZMQNATIVE_ASYNC_STRESS") == "1" ? 300 : 60);

    private static int StreamCount => Environment.GetEnvironmentVariable("ZMQNATIVE_ASYNC_STRESS") == "1" ? 1_000_000 : 50_000;

    [TestCase("inproc")]
    [TestCase("tcp")]
    [Category("Stress")]
    public async Task PushPull_Hwm1BothSides_StreamsEveryMessageInOrderWithoutStall(string transport)
    {
        int count = StreamCount;
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.ReceiveHighWatermark = 1;
        pull.Bind(transport == "tcp" ? "tcp://127.0.0.1:*" : AsyncSemanticsTests.Endpoint());
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.SendHighWatermark = 1;
        push.Connect(pull.LastEndpoint!);

        var sender = Task.Run(async () =>
        {
            var frame = new byte[8];
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(frame, i);
                await push.SendAsync(frame);
            }
        });
        var receiver = Task.Run(async () =>
        {
            var buffer = new byte[8];
            for (int i = 0; i < count; i++)
            {
                Assert.That(await pull.ReceiveAsync(buffer), Is.EqualTo(8));
                if (BinaryPrimitives.ReadInt32LittleEndian(buffer) != i)
                {
                    Assert.Fail($"expected message {i}, got {BinaryPrimitives.ReadInt32LittleEndian(buffer)}");
                }
            }
        });
        try
        {
            await AllOrFirstFault(Wait, sender, receiver);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"stalled: {push.AsyncState.Describe()}; {pull.AsyncState.Describe()}; reactor {context.AsyncReactor.Describe()}");
        }
    }

    /// <summary>
    /// Both directions of one socket at once, HWM 1 everywhere: the sends keep processing the
    /// socket's commands, taking the wake-ups of the pending receives; each must re-read
    /// ZMQ_EVENTS and serve them, or the stream stalls.
    /// </summary>
    [Test]
    [Category("Stress")]
    public async Task FullDuplex_Hwm1_BothSidesSendAndReceiveAtOnceWithoutStall()
    {
        int count = StreamCount / 2;
        using var context = new ZmqContext();
        using var a = context.CreateSocket(ZmqSocketType.Pair);
        using var b = context.CreateSocket(ZmqSocketType.Pair);
        foreach (var s in new[] { a, b })
        {
            s.SendHighWatermark = 1;
            s.ReceiveHighWatermark = 1;
        }

        a.Bind("tcp://127.0.0.1:*");
        b.Connect(a.LastEndpoint!);
        var tasks = new List<Task>();
        foreach (var (from, to) in new[] { (a, b), (b, a) })
        {
            tasks.Add(Task.Run(async () =>
            {
                var frame = new byte[8];
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(frame, i);
                    await from.SendAsync(frame);
                }
            }));
            tasks.Add(Task.Run(async () =>
            {
                var buffer = new byte[8];
                for (int i = 0; i < count; i++)
                {
                    await to.ReceiveAsync(buffer);
                    if (BinaryPrimitives.ReadInt32LittleEndian(buffer) != i)
                    {
                        Assert.Fail($"expected {i}, got {BinaryPrimitives.ReadInt32LittleEndian(buffer)}");
                    }
                }
            }));
        }

        try
        {
            await AllOrFirstFault(Wait, [.. tasks]);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"stalled: {a.AsyncState.Describe()}; {b.AsyncState.Describe()}; reactor {context.AsyncReactor.Describe()}; tasks {string.Join(",", tasks.Select(t => t.Status))}");
        }
    }

    [Test]
    public async Task ThousandSockets_TenThousandConcurrentReceives_AllComplete()
    {
        const int Sockets = 1000, Each = 10;
        using var context = new ZmqContext { MaxSockets = 4096 };
        var pulls = new List<ZmqSocket>();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        try
        {
            for (int i = 0; i < Sockets; i++)
            {
                var pull = context.CreateSocket(ZmqSocketType.Pull);
                pulls.Add(pull);
                string endpoint = AsyncSemanticsTests.Endpoint();
                pull.Bind(endpoint);
                push.Connect(endpoint);
            }

            var receives = pulls.SelectMany(p => Enumerable.Range(0, Each).Select(_ => p.ReceiveStringAsync().AsTask())).ToArray();
            for (int i = 0; i < Sockets * Each; i++)
            {
                await push.SendAsync(i.ToString()); // PUSH deals round-robin: 10 to each PULL
            }

            var all = await Task.WhenAll(receives).WaitAsync(Wait);
            Assert.That(all.Select(int.Parse).Order(), Is.EqualTo(Enumerable.Range(0, Sockets * Each)));
        }
        finally
        {
            pulls.ForEach(p => p.Dispose());
        }
    }

    [Test]
    public async Task ReqRep_PingPongFromManyTasks_EveryReplyMatches()
    {
        const int Clients = 50, Rounds = 200;
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        string endpoint = AsyncSemanticsTests.Endpoint();
        router.Bind(endpoint);
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            // A ROUTER answering every REQ: REP would serve one client at a time.
            await foreach (var frames in router.ReadAllAsync(stop.Token))
            {
                await router.SendRoutedAsync(ZmqRoutedMessage.Split(frames).Reply("re:" + Encoding.ASCII.GetString(frames[^1])));
            }
        });

        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var req = context.CreateSocket(ZmqSocketType.Req);
            req.Connect(endpoint);
            for (int r = 0; r < Rounds; r++)
            {
                await req.SendAsync($"{c}/{r}");
                Assert.That(await req.ReceiveStringAsync(), Is.EqualTo($"re:{c}/{r}"));
            }
        })).ToArray();
        await Task.WhenAll(clients).WaitAsync(Wait);
        stop.Cancel();
        Assert.That(async () => await server.WaitAsync(Wait), Throws.InstanceOf<OperationCanceledException>());
    }

    /// <summary>Many tasks ping-pong with the thread pool held to 2 threads: nothing blocks a pool thread, so nothing deadlocks.</summary>
    [Test]
    public async Task ThreadPoolOfTwo_ManyPingPongs_NoDeadlock()
    {
        ThreadPool.GetMaxThreads(out int workers, out int io);
        ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
        if (!ThreadPool.SetMinThreads(1, 1) || !ThreadPool.SetMaxThreads(2, 2))
        {
            Assert.Ignore($"cannot hold the thread pool to 2 threads on {Environment.ProcessorCount} processors");
        }

        try
        {
            const int Pairs = 20, Rounds = 500;
            using var context = new ZmqContext();
            var tasks = new List<Task>();
            var sockets = new List<ZmqSocket>();
            for (int p = 0; p < Pairs; p++)
            {
                var a = context.CreateSocket(ZmqSocketType.Pair);
                var b = context.CreateSocket(ZmqSocketType.Pair);
                sockets.Add(a);
                sockets.Add(b);
                string endpoint = AsyncSemanticsTests.Endpoint();
                a.Bind(endpoint);
                b.Connect(endpoint);
                tasks.Add(PingPong(a, b, Rounds));
            }

            // Waiting on a pool thread would need a third one: wait here, on the test's thread.
            Assert.That(Task.WaitAll(tasks.ToArray(), Wait), Is.True, "deadlocked");
            sockets.ForEach(s => s.Dispose());
        }
        finally
        {
            ThreadPool.SetMaxThreads(workers, io);
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }

        await Task.CompletedTask;
    }

    /// <summary>Waits for every task, but reports the first that fails at once (its partner would wait for ever, hiding the cause behind a timeout).</summary>
    internal static async Task AllOrFirstFault(TimeSpan timeout, params Task[] tasks)
    {
        var pending = tasks.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).WaitAsync(deadline - DateTime.UtcNow);
            await done; // throws when it failed
            pending.Remove(done);
        }
    }

    internal static Task PingPong(ZmqSocket a, ZmqSocket b, int rounds)
    {
        var echo = Task.Run(async () =>
        {
            var buffer = new byte[16];
            for (int i = 0; i < rounds; i++)
            {
                int n = await b.ReceiveAsync(buffer);
                await b.SendAsync(buffer.AsMemory(0, n));
            }
        });
        var ping = Task.Run(async () =>
        {
            var message = new byte[8];
            var buffer = new byte[16];
            for (int i = 0; i < rounds; i++)
            {
                await a.SendAsync(message);
                await a.ReceiveAsync(buffer);
            }
        });
        return Task.WhenAll(echo, ping);
    }
}
