namespace ZmqNative.Tests.Async;

/// <summary>
/// Steady-state async ping-pong allocates no managed memory per message (issue 19): pooled
/// IValueTaskSources, no per-operation closures, registrations or boxes. Counted across every
/// thread (the reactor, the thread pool) with GC.GetTotalAllocatedBytes(precise).
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
[NonParallelizable]
public class AsyncAllocationTests
{
    [Test]
    public async Task PingPong_SteadyState_ZeroBytesPerMessage()
    {
        const int Warmup = 20_000, Measured = 50_000;
        using var context = new ZmqContext();
        using var a = context.CreateSocket(ZmqSocketType.Pair);
        using var b = context.CreateSocket(ZmqSocketType.Pair);
        string endpoint = AsyncSemanticsTests.Endpoint();
        a.Bind(endpoint);
        b.Connect(endpoint);

        var gate = new SemaphoreSlim(0);
        var go = new SemaphoreSlim(0);
        long before = 0, after = 0;
        var echo = Echo(b, Warmup + Measured);
        var ping = Task.Run(async () =>
        {
            var message = new byte[8];
            var buffer = new byte[16];
            for (int i = 0; i < Warmup + Measured; i++)
            {
                if (i == Warmup)
                {
                    before = GC.GetTotalAllocatedBytes(precise: true);
                }

                await a.SendAsync(message);
                await a.ReceiveAsync(buffer);
            }

            after = GC.GetTotalAllocatedBytes(precise: true);
        });
        await Task.WhenAll(echo, ping).WaitAsync(TimeSpan.FromSeconds(60));
        double perMessage = (after - before) / (double)(2 * Measured);
        TestContext.Out.WriteLine($"{after - before} bytes over {2 * Measured} messages: {perMessage:F3} bytes per message");
        Assert.That(perMessage, Is.LessThan(0.5), $"{after - before} bytes allocated over {2 * Measured} messages");
    }

    private static Task Echo(ZmqSocket socket, int rounds) => Task.Run(async () =>
    {
        var buffer = new byte[16];
        for (int i = 0; i < rounds; i++)
        {
            int n = await socket.ReceiveAsync(buffer);
            await socket.SendAsync(buffer.AsMemory(0, n));
        }
    });
}
