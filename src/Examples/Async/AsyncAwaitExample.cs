using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Async;

/// <summary>
/// asyncawait: the awaitable socket API used the way a .NET service uses it (ZmqNative's own
/// example, not from the Guide). Four parts, over tcp on 127.0.0.1, in one process:
/// <list type="bullet">
/// <item>a producer fed from many tasks: each of <c>--producers</c> tasks awaits
/// <c>SendAsync</c> <c>--messages</c> times on one PUSH socket, all at once. The synchronous
/// <c>Send</c> would throw InvalidOperationException for overlapping calls (one thread at a time,
/// zmq_socket(3)); the awaitable sends queue instead, one queue per direction, served in the
/// order they were made, so each producer's messages arrive in its order;</item>
/// <item>a consumer: a PULL socket read with <c>await foreach (... ReadAllAsync(token))</c>, the
/// receive loop of a worker service, which ends when the token is canceled;</item>
/// <item>a ROUTER server loop on the same token (<c>ReceiveRoutedAsync</c>), answering each
/// request from its own task (<c>SendRoutedAsync</c> while the loop's receive is pending);</item>
/// <item>a DEALER client whose every reply wait has a timeout: a linked
/// CancellationTokenSource with <c>CancelAfter</c>. One request is slow on purpose and times
/// out. A DEALER, not a REQ: a REQ that gave up on a reply cannot send again, a DEALER can, and
/// it skips the late reply when it comes (replies name their request).</item>
/// </list>
/// </summary>
/// <remarks>
/// Ctrl+C (SIGINT) or SIGTERM cancels the one token every loop takes, as a host's stoppingToken
/// does: each pending receive ends with OperationCanceledException, the loops say they stopped,
/// and the sockets and context are disposed with nothing pending. <c>--duration-ms</c> keeps
/// the loops waiting after the demo (-1: until Ctrl+C); 0 stops at once. Continuations run on the
/// thread pool: no thread is blocked in a receive, and none is started per operation.
/// </remarks>
[Example("asyncawait", 0, "awaitable sockets: many tasks SendAsync on one PUSH, a ReadAllAsync loop on a token, requests with a timeout",
    "zguide asyncawait [--producers 100] [--messages 10] [--hwm 10] [--requests 5] [--timeout-ms 500] [--duration-ms 0 (-1: until Ctrl+C)]")]
internal static class AsyncAwaitExample
{
    /// <summary>The request that the server answers late, to show a timeout.</summary>
    private const int SlowRequest = 2;

    public static int Run(string[] args)
    {
        // Before anything starts .NET's signal handling: a process started with SIGINT ignored
        // (a background job of a shell without job control) would otherwise never see Ctrl+C.
        Chapter2.InterruptExample.TakeBackIgnoredSigint();
        var a = ExampleArgs.Parse(args);
        var options = new Options(
            Producers: a.Int("producers", 100),
            Messages: a.Int("messages", 10),
            Hwm: a.Int("hwm", 10),
            Requests: a.Int("requests", 5),
            TimeoutMs: a.Int("timeout-ms", 500),
            DurationMs: a.Int("duration-ms", 0));
        a.RejectUnknown();
        if (options.Producers < 1 || options.Messages < 1 || options.Hwm < 1 || options.Requests < 0 || options.TimeoutMs < 1 || options.DurationMs < -1)
        {
            throw new ExampleUsageException("--producers, --messages, --hwm and --timeout-ms take 1 or more, --requests 0 or more, --duration-ms -1 or more");
        }

        using var stop = new CancellationTokenSource();

        // Cancel keeps the runtime from ending the process at once: the token ends the loops,
        // and we return from Main after they have stopped.
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return RunAsync(options, stop).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(Options o, CancellationTokenSource stop)
    {
        var token = stop.Token;
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        using var router = context.CreateSocket(ZmqSocketType.Router);
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);

        // Small high-water marks make the producers meet back-pressure: their sends wait in the
        // queue until there is room, and are never dropped.
        pull.ReceiveHighWatermark = o.Hwm;
        push.SendHighWatermark = o.Hwm;
        pull.Bind("tcp://127.0.0.1:*");
        push.Connect(pull.LastEndpoint);
        router.Bind("tcp://127.0.0.1:*");
        dealer.Connect(router.LastEndpoint);
        Console.WriteLine($"asyncawait: PUSH -> PULL on {pull.LastEndpoint}, DEALER -> ROUTER on {router.LastEndpoint}");

        int expected = o.Producers * o.Messages;
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = ConsumeAsync(pull, o.Producers, expected, allReceived, token);
        var server = ServeAsync(router, slowMs: 4 * o.TimeoutMs, token);
        bool ok = true;
        try
        {
            ok &= await ProduceAsync(push, o.Producers, o.Messages, token);
            if (ok)
            {
                await allReceived.Task.WaitAsync(token);
                await RequestAsync(dealer, o.Requests, o.TimeoutMs, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Console.WriteLine("interrupted");
        }

        if (ok && o.DurationMs != 0 && !token.IsCancellationRequested)
        {
            Console.WriteLine(o.DurationMs < 0 ? "running until Ctrl+C" : $"running for {o.DurationMs} ms or until Ctrl+C");
            if (o.DurationMs > 0)
            {
                stop.CancelAfter(o.DurationMs);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C, SIGTERM or the duration: time to stop.
            }
        }

        // The loops' token, like a host's stoppingToken at shutdown: their pending receives end
        // with OperationCanceledException (no message is lost: one already taken is delivered).
        stop.Cancel();
        var (received, outOfOrder) = await consumer;
        int served = await server;
        Console.WriteLine($"consumer: stopped cleanly after {received} messages");
        Console.WriteLine($"server: stopped cleanly after {served} requests");
        return ok && outOfOrder == 0 ? 0 : 1;
    }

    /// <summary>Many tasks, one PUSH socket: each task awaits its own sends, all tasks at once.</summary>
    private static async Task<bool> ProduceAsync(ZmqSocket push, int producers, int messages, CancellationToken token)
    {
        int rejected = 0;
        var tasks = Enumerable.Range(1, producers).Select(producer => Task.Run(
            async () =>
            {
                for (int n = 1; n <= messages; n++)
                {
                    try
                    {
                        await push.SendAsync(string.Create(CultureInfo.InvariantCulture, $"{producer} {n}"), cancellationToken: token);
                    }
                    catch (InvalidOperationException)
                    {
                        // What the synchronous Send throws for a call overlapping another thread's: never here.
                        Interlocked.Increment(ref rejected);
                    }
                }
            },
            token));
        await Task.WhenAll(tasks);
        Console.WriteLine($"producers: {producers} tasks sent {producers * messages} messages through one PUSH socket with SendAsync, {rejected} InvalidOperationException");
        return rejected == 0;
    }

    /// <summary>The worker's receive loop: every message until the token is canceled; checks each producer's order.</summary>
    private static async Task<(int Received, int OutOfOrder)> ConsumeAsync(
        ZmqSocket pull, int producers, int expected, TaskCompletionSource allReceived, CancellationToken token)
    {
        var next = new int[producers + 1];
        Array.Fill(next, 1);
        int received = 0, outOfOrder = 0;
        try
        {
            await foreach (var message in pull.ReadAllAsync(token))
            {
                // "<producer> <n>"
                string text = Encoding.UTF8.GetString(message[0]);
                int space = text.IndexOf(' ', StringComparison.Ordinal);
                int producer = int.Parse(text.AsSpan(0, space), CultureInfo.InvariantCulture);
                int n = int.Parse(text.AsSpan(space + 1), CultureInfo.InvariantCulture);
                if (n != next[producer])
                {
                    outOfOrder++;
                }

                next[producer] = n + 1;
                if (++received == expected)
                {
                    Console.WriteLine(outOfOrder == 0
                        ? $"consumer: received {received} messages from {producers} producers, each producer's in order"
                        : $"consumer: received {received} messages from {producers} producers, {outOfOrder} out of their producer's order");
                    allReceived.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The token ended the loop: the normal way out.
        }

        return (received, outOfOrder);
    }

    /// <summary>The server's loop: receive on the token, answer each request from its own task.</summary>
    private static async Task<int> ServeAsync(ZmqSocket router, int slowMs, CancellationToken token)
    {
        int served = 0;
        var answers = new List<Task>();
        try
        {
            while (true)
            {
                var request = await router.ReceiveRoutedAsync(token);
                served++;
                answers.Add(AnswerAsync(router, request, slowMs, token));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The token ended the loop.
        }

        // A slow answer still waiting ends with the same token.
        foreach (var answer in answers)
        {
            try
            {
                await answer;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // canceled before it was sent: the client timed out on it long ago
            }
        }

        return served;
    }

    /// <summary>Answers one request ("reply to ..."), late when it asks to be slow.</summary>
    private static async Task AnswerAsync(ZmqSocket router, ZmqRoutedMessage request, int slowMs, CancellationToken token)
    {
        string text = request.Body.Count > 0 ? Encoding.UTF8.GetString(request.Body[0]) : string.Empty;
        if (text.StartsWith("slow ", StringComparison.Ordinal))
        {
            await Task.Delay(slowMs, token);
        }

        await router.SendRoutedAsync(request.Reply("reply to " + text), token);
    }

    /// <summary>The client: each request waits at most <paramref name="timeoutMs"/> for its reply.</summary>
    private static async Task RequestAsync(ZmqSocket dealer, int requests, int timeoutMs, CancellationToken token)
    {
        int answered = 0, timedOut = 0;
        for (int n = 1; n <= requests; n++)
        {
            string text = n == SlowRequest ? $"slow request {n}" : $"request {n}";
            await dealer.SendAsync(text, cancellationToken: token);

            // One token for "the timeout passed or the whole program stops".
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(timeoutMs);
            try
            {
                while (true)
                {
                    string reply = await dealer.ReceiveStringAsync(timeout.Token);
                    if (reply == "reply to " + text)
                    {
                        Console.WriteLine($"request {n}: {reply}");
                        answered++;
                        break;
                    }

                    // Otherwise a late reply to a request that timed out: not the one we wait for.
                }
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                Console.WriteLine($"request {n}: no reply within {timeoutMs} ms, timed out (OperationCanceledException)");
                timedOut++;
            }
        }

        Console.WriteLine($"requests: {answered} answered, {timedOut} timed out");
    }

    private sealed record Options(int Producers, int Messages, int Hwm, int Requests, int TimeoutMs, int DurationMs);
}
