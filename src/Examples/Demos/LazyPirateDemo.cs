using System.Globalization;
using System.Text;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Examples.Demos;

/// <summary>
/// The Lazy Pirate (Guide chapter 4, lpclient/lpserver): a <see cref="LazyPirateClient"/> and a REP
/// server that crashes once in the middle of a request and comes back on the same endpoint; then the
/// server goes away for good and the client gives up instead of hanging.
/// </summary>
internal static class LazyPirateDemo
{
    private const int Requests = 5;
    private const int CrashOn = 3;
    private const int Attempts = 3;
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);

    public static DemoPattern Pattern { get; } = new(
        "lazypirate",
        "Lazy Pirate: client-side retries (REQ -> REP)",
        "A plain REQ socket waits forever when its server dies. The Lazy Pirate client waits a\n" +
        "while for each reply; on a timeout it closes the socket, opens a new one and sends the\n" +
        "request again, and after a few attempts it gives up with a clear answer. Here the server\n" +
        $"crashes while holding request {CrashOn}, restarts, and later goes away for good.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        // The server must come back on the same endpoint, so its port is fixed after the first bind.
        var first = context.CreateSocket(ZmqSocketType.Rep);
        string endpoint = DemoKit.BindLoopback(first);
        log.Say("server", $"REP bound to {endpoint}; echoes each request");

        using var clientRetried = new ManualResetEventSlim();
        using var stopForGood = new ManualResetEventSlim();
        var threads = new DemoThreads(log);
        threads.Start("server", () => Serve(context, first, endpoint, clientRetried, stopForGood, log));

        var options = new LazyPirateClientOptions
        {
            RequestTimeout = Timeout,
            Attempts = Attempts,
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case PirateEventKind.NoResponse:
                        log.Say("client", $"no reply within {Timeout.TotalMilliseconds:0} ms: closes the REQ socket, resends on a new one ({e.Count} attempt(s) left)");
                        clientRetried.Set();
                        break;
                    case PirateEventKind.Abandoned:
                        log.Say("client", "server seems to be offline: abandons the request");
                        break;
                }
            },
        };

        int answered = 0;
        int crashAttempts = 0;
        bool allEchoed = true;
        LazyPirateResult? last;
        using (var client = new LazyPirateClient(context, endpoint, options))
        {
            for (int sequence = 1; sequence <= Requests; sequence++)
            {
                var result = Ask(client, sequence, log);
                if (!result.Succeeded)
                {
                    allEchoed = false;
                    break;
                }

                answered++;
                if (sequence == CrashOn)
                {
                    crashAttempts = result.Attempts;
                }
            }

            // Now the server leaves for good: the client must give up, not hang.
            stopForGood.Set();
            threads.Join(DemoKit.Patience);
            log.Say("client", $"the server is gone for good; request {Requests + 1} ...");
            last = Ask(client, Requests + 1, log);
        }

        bool ok = allEchoed && answered == Requests && crashAttempts >= 2 && !last.Succeeded && last.Attempts == Attempts
            && threads.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? $"{answered} of {Requests} requests answered, each echoing its number; the server crashed holding request {CrashOn} " +
              $"and the client's retry on a new socket got it answered by the restarted server ({crashAttempts} attempts); " +
              $"with the server gone for good, request {Requests + 1} was abandoned after {last.Attempts} attempts"
            : $"{answered} of {Requests} requests answered (request {CrashOn}: {crashAttempts} attempts; the last one {(last.Succeeded ? "was answered by nobody?" : $"abandoned after {last.Attempts} attempts")})");
    }

    private static LazyPirateResult Ask(LazyPirateClient client, int sequence, DemoLog log)
    {
        string request = sequence.ToString(CultureInfo.InvariantCulture);
        log.Say("client", $"-> {DemoKit.Quote(request)}");
        // The server echoes the number: a reply with another number is not ours (lpclient checks the same).
        var result = client.Request([Encoding.UTF8.GetBytes(request)], reply => reply.Count == 1 && Encoding.UTF8.GetString(reply[0]) == request);
        if (result.Succeeded)
        {
            string tries = result.Attempts == 1 ? string.Empty : $" (after {result.Attempts} attempts)";
            log.Say("client", $"<- {DemoKit.Quote(result.ReplyText)}{tries}");
        }

        return result;
    }

    /// <summary>The server: echoes; on request <see cref="CrashOn"/> it "crashes" (closes without replying) and restarts once the client has timed out.</summary>
    private static void Serve(ZmqContext context, ZmqSocket socket, string endpoint, ManualResetEventSlim clientRetried, ManualResetEventSlim stopForGood, DemoLog log)
    {
        bool crashed = false;
        try
        {
            while (!stopForGood.IsSet)
            {
                if (!socket.TryReceiveString(TimeSpan.FromMilliseconds(50), out string? request) || request is null)
                {
                    continue;
                }

                if (!crashed && request == CrashOn.ToString(CultureInfo.InvariantCulture))
                {
                    crashed = true;
                    log.Say("server", $"<- {DemoKit.Quote(request)} ... and crashes before it answers (its socket closes, the request is lost)");
                    socket.Dispose();
                    if (!clientRetried.Wait(DemoKit.Patience))
                    {
                        throw new DemoFailure("the client never timed out");
                    }

                    socket = Rebind(context, endpoint);
                    log.Say("server", $"restarted, REP bound to {endpoint} again");
                    continue;
                }

                log.Say("server", $"<- {DemoKit.Quote(request)}, echoes it");
                socket.Send(request);
            }

            log.Say("server", "stops for good");
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>Binds a new REP to the old endpoint; libzmq closes the old listener in the background, so the port may take a moment to be free.</summary>
    private static ZmqSocket Rebind(ZmqContext context, string endpoint)
    {
        var deadline = DateTime.UtcNow + DemoKit.Patience;
        while (true)
        {
            var socket = context.CreateSocket(ZmqSocketType.Rep);
            try
            {
                socket.Bind(endpoint);
                return socket;
            }
            catch (ZmqException e) when (e.Error == ZmqErrorCode.EADDRINUSE && DateTime.UtcNow < deadline)
            {
                socket.Dispose();
                Thread.Sleep(20);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}
