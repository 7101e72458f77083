using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Examples.Demos;

/// <summary>
/// The Paranoid Pirate (Guide chapter 4, ppqueue/ppworker; RFC 6/PPP): a <see cref="ParanoidPirateQueue"/>,
/// two <see cref="ParanoidPirateWorker"/>s and a <see cref="LazyPirateClient"/>, with short heartbeats.
/// One worker dies while it holds a request; the queue drops it when its heartbeats stop, and the
/// client's retry is served by the other worker.
/// </summary>
internal static class ParanoidPirateDemo
{
    private const int Requests = 8;
    private const int Liveness = 3;
    private const string Doomed = "worker-2";
    private static readonly string[] Workers = ["worker-1", Doomed];
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(600);

    public static DemoPattern Pattern { get; } = new(
        "paranoidpirate",
        "Paranoid Pirate: heartbeating queue (REQ -> ROUTER | ROUTER <- DEALER)",
        "A load-balancing queue and its workers heartbeat each other (one-byte frames 0x01 READY,\n" +
        $"0x02 HEARTBEAT, here every {Heartbeat.TotalMilliseconds:0} ms). A worker silent for {Liveness} heartbeats is dropped, so\n" +
        $"requests stop going to a dead one. Here {Doomed} dies while it holds a request: that request\n" +
        "is lost, and the client's Lazy Pirate retry gets it served by the worker still alive.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var stop = new CancellationTokenSource();
        using var ready = new CountdownEvent(Workers.Length);
        using var expired = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();
        long diedAt = -1;
        long expiredAt = -1;
        int heartbeats = 0;
        bool routedAfterExpiry = false;
        var routed = new ConcurrentQueue<string>();

        var queueOptions = new ParanoidPirateQueueOptions
        {
            HeartbeatInterval = Heartbeat,
            Liveness = Liveness,
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case PirateEventKind.WorkerReady:
                        log.Say("queue", $"{e.Peer} says READY (0x01)");
                        if (!ready.IsSet)
                        {
                            ready.Signal();
                        }

                        break;
                    case PirateEventKind.RequestRouted:
                        log.Say("queue", $"request {DemoKit.Quote(Encoding.UTF8.GetString(e.Frames![^1]))} -> {e.Peer}");
                        routed.Enqueue(e.Peer!);
                        routedAfterExpiry |= e.Peer == Doomed && expired.IsSet;
                        break;
                    case PirateEventKind.BusyWorkerExpired or PirateEventKind.IdleWorkerExpired:
                        string state = e.Kind == PirateEventKind.BusyWorkerExpired ? "busy" : "idle";
                        if (e.Peer == Doomed)
                        {
                            Interlocked.Exchange(ref expiredAt, clock.ElapsedMilliseconds);
                        }

                        log.Say("queue", $"{e.Peer} ({state}) missed {Liveness} heartbeats: dropped, no more requests go to it");
                        if (e.Peer == Doomed)
                        {
                            expired.Set();
                        }

                        break;
                    case PirateEventKind.WorkerUnreachable:
                        log.Say("queue", $"{e.Peer} has disconnected: dropped");
                        break;
                    case PirateEventKind.HeartbeatSent or PirateEventKind.HeartbeatReceived:
                        Interlocked.Increment(ref heartbeats);
                        break;
                }
            },
        };

        using var queue = new ParanoidPirateQueue(context, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", queueOptions);
        log.Say("queue", $"ROUTER frontend bound to {queue.FrontendEndpoint}, ROUTER backend to {queue.BackendEndpoint}");

        var threads = new DemoThreads(log);
        threads.Start("queue", () => queue.Run(stop.Token));
        foreach (string name in Workers)
        {
            var worker = new ParanoidPirateWorker(context, queue.BackendEndpoint, new ParanoidPirateWorkerOptions
            {
                HeartbeatInterval = Heartbeat,
                Liveness = Liveness,
                ReconnectInterval = Heartbeat,
                ReconnectIntervalMax = Heartbeat * 10,
                Identity = Encoding.ASCII.GetBytes(name),
            });
            threads.Start(name, () => Work(name, worker, stop.Token, () => Interlocked.Exchange(ref diedAt, clock.ElapsedMilliseconds), log));
        }

        if (!ready.Wait(DemoKit.Patience))
        {
            throw new DemoFailure($"only {Workers.Length - ready.CurrentCount} of {Workers.Length} workers said READY");
        }

        int answered = 0;
        int retried = 0;
        var servedBy = new List<string>();
        var clientOptions = new LazyPirateClientOptions
        {
            RequestTimeout = ClientTimeout,
            Observer = e =>
            {
                if (e.Kind == PirateEventKind.NoResponse)
                {
                    retried++;
                    log.Say("client", $"no reply within {ClientTimeout.TotalMilliseconds:0} ms: resends on a new socket");
                }
            },
        };
        using (var client = new LazyPirateClient(context, queue.FrontendEndpoint, clientOptions))
        {
            for (int sequence = 1; sequence <= Requests; sequence++)
            {
                string request = sequence.ToString(CultureInfo.InvariantCulture);
                log.Say("client", $"-> {DemoKit.Quote(request)}");
                var result = client.Request([Encoding.UTF8.GetBytes(request)], reply => reply.Count == 2 && Encoding.UTF8.GetString(reply[0]) == request);
                if (!result.Succeeded)
                {
                    log.Say("client", "gave up");
                    break;
                }

                string worker = Encoding.UTF8.GetString(result.Reply[1]);
                servedBy.Add(worker);
                answered++;
                log.Say("client", $"<- {DemoKit.Quote(request)} from {worker}");
            }
        }

        // The client may have finished before the queue noticed; the expiry is what this demo is about.
        bool dropped = expired.Wait(DemoKit.Patience);
        stop.Cancel();
        threads.Join(DemoKit.Patience);

        int beforeDeath = servedBy.Count(w => w == Doomed);
        int byTheOther = servedBy.Count(w => w != Doomed);
        long silence = expiredAt - diedAt;
        bool ok = answered == Requests && dropped && diedAt >= 0 && beforeDeath >= 1 && !routedAfterExpiry && retried >= 1
            && threads.Failures.Count == 0;
        string ttl = $"liveness {Liveness} x {Heartbeat.TotalMilliseconds:0} ms";
        return new DemoOutcome(ok, ok
            ? $"{answered} of {Requests} requests answered; {Doomed} answered {beforeDeath}, then died holding a request; " +
              $"the queue dropped it {silence} ms after it died ({ttl}) and routed nothing more to it; " +
              $"the client's retry and every later request went to worker-1 ({byTheOther} replies); {heartbeats} heartbeats exchanged"
            : $"{answered} of {Requests} requests answered; {Doomed} {(diedAt >= 0 ? "died" : "never died")}, " +
              $"{(dropped ? "was dropped" : "was never dropped")}{(routedAfterExpiry ? " but still got requests" : string.Empty)}; {retried} client retries");
    }

    /// <summary>A worker echoing each request with its name; <see cref="Doomed"/> dies on its second request.</summary>
    private static void Work(string name, ParanoidPirateWorker worker, CancellationToken stop, Action died, DemoLog log)
    {
        int served = 0;
        try
        {
            worker.Run(
                request =>
                {
                    string text = Encoding.UTF8.GetString(request[0]);
                    if (name == Doomed && ++served == 2)
                    {
                        log.Say(name, $"<- {DemoKit.Quote(text)} ... and dies before it answers (its socket closes, its heartbeats stop)");
                        died();
                        throw new WorkerDied();
                    }

                    Thread.Sleep(10); // a little work
                    log.Say(name, $"<- {DemoKit.Quote(text)}, echoes it");
                    return [request[0], Encoding.ASCII.GetBytes(name)];
                },
                stop);
        }
        catch (WorkerDied)
        {
            // Run closed the socket on the way out: as far as the queue can tell, the process is gone.
        }
    }

    private sealed class WorkerDied : Exception;
}
