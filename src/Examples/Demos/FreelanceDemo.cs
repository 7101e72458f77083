using System.Net;
using System.Net.Sockets;
using System.Text;
using ZmqNative.Patterns.Freelance;

namespace ZmqNative.Examples.Demos;

/// <summary>
/// Freelance, model three (Guide chapter 4, flclient3/flserver3; RFC 10/FLP): a <see cref="FreelanceClient"/>
/// (a background agent with a ROUTER connected to every server) and three <see cref="FreelanceServer"/>s.
/// The server answering the requests is stopped; the agent notices and the answers keep coming from
/// the next one.
/// </summary>
internal static class FreelanceDemo
{
    private const int Requests = 8;
    private const int StopAfter = 3;
    private static readonly string[] Servers = ["server-1", "server-2", "server-3"];

    public static DemoPattern Pattern { get; } = new(
        "freelance",
        "Freelance: brokerless reliability (ROUTER -> ROUTER x3)",
        "No broker: the client's agent connects to every server, pings each (PING/PONG), keeps track\n" +
        "of which are alive, and sends each request to the first live one in its list, moving on to\n" +
        "the next if no answer comes. Each server's identity is its endpoint, so the agent can address\n" +
        $"it by name. Here the server answering the requests is stopped after {StopAfter} of them.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        var stops = Servers.Select(_ => new CancellationTokenSource()).ToArray();
        var ended = Servers.Select(_ => new ManualResetEventSlim()).ToArray();
        var endpoints = new Dictionary<string, string>(StringComparer.Ordinal);
        var threads = new DemoThreads(log);
        try
        {
            for (int i = 0; i < Servers.Length; i++)
            {
                string name = Servers[i];
                // The identity must be known before the bind (FLP: identity = the endpoint clients connect to), so the port is picked first.
                string endpoint = $"tcp://127.0.0.1:{FreePort()}";
                var server = new FreelanceServer(context, endpoint, endpoint);
                endpoints[endpoint] = name;
                log.Say(name, $"ROUTER with identity {DemoKit.Quote(endpoint)} bound to {server.BoundEndpoint}");
                var token = stops[i].Token;
                var done = ended[i];
                threads.Start(name, () => Serve(name, server, token, done, log));
            }

            return Ask(context, endpoints, stops[0], ended[0], threads, log);
        }
        finally
        {
            foreach (var stop in stops)
            {
                stop.Cancel();
            }

            threads.Join(DemoKit.Patience);
            foreach (var stop in stops)
            {
                stop.Dispose();
            }

            foreach (var done in ended)
            {
                done.Dispose();
            }
        }
    }

    private static DemoOutcome Ask(ZmqContext context, Dictionary<string, string> endpoints, CancellationTokenSource stopFirst, ManualResetEventSlim firstEnded, DemoThreads threads, DemoLog log)
    {
        using var alive = new CountdownEvent(Servers.Length);
        var dead = new List<string>();
        int pongs = 0;
        int sentToStopped = 0;
        long stoppedAt = 0;
        long deadAfter = -1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var options = new FreelanceClientOptions
        {
            PingInterval = TimeSpan.FromMilliseconds(100),
            ServerTtl = TimeSpan.FromMilliseconds(300),
            RetryInterval = TimeSpan.FromMilliseconds(200),
            GlobalTimeout = TimeSpan.FromSeconds(2),
            Observer = e =>
            {
                string who = e.Endpoint is { } ep && endpoints.TryGetValue(ep, out var n) ? n : e.Endpoint ?? "?";
                switch (e.Kind)
                {
                    case FreelanceEventKind.ServerAlive:
                        log.Say("agent", $"{who} answered a PING: alive, requests may go to it");
                        if (!alive.IsSet)
                        {
                            alive.Signal();
                        }

                        break;
                    case FreelanceEventKind.ServerDead:
                        lock (dead)
                        {
                            dead.Add(who);
                        }

                        if (who == "server-1" && stopFirst.IsCancellationRequested)
                        {
                            Interlocked.Exchange(ref deadAfter, clock.ElapsedMilliseconds - Interlocked.Read(ref stoppedAt));
                        }

                        log.Say("agent", $"{who} is dead (disconnected or silent): requests avoid it");
                        break;
                    case FreelanceEventKind.RequestSent:
                        log.Say("agent", $"request {DemoKit.Quote(Encoding.UTF8.GetString(e.Frames![^1]))} -> {who}");
                        if (who == "server-1" && stopFirst.IsCancellationRequested)
                        {
                            Interlocked.Increment(ref sentToStopped);
                        }

                        break;
                    case FreelanceEventKind.RequestFailed:
                        log.Say("agent", "no server answered in time: the request fails");
                        break;
                    case FreelanceEventKind.PongReceived:
                        Interlocked.Increment(ref pongs);
                        break;
                }
            },
        };

        var answers = new List<(int Sequence, string Server)>();
        using (var client = new FreelanceClient(context, options))
        {
            // In the servers' order: the agent prefers the servers connected first.
            foreach (string endpoint in endpoints.OrderBy(p => Array.IndexOf(Servers, p.Value)).Select(p => p.Key))
            {
                client.Connect(endpoint);
            }

            if (!alive.Wait(DemoKit.Patience))
            {
                throw new DemoFailure($"only {Servers.Length - alive.CurrentCount} of {Servers.Length} servers answered a ping");
            }

            for (int sequence = 1; sequence <= Requests; sequence++)
            {
                if (sequence == StopAfter + 1)
                {
                    log.Say("server-1", "is stopped (its socket closes)");
                    Interlocked.Exchange(ref stoppedAt, clock.ElapsedMilliseconds);
                    stopFirst.Cancel();
                    // Its loop may still be answering a request already read: wait until it has really ended.
                    if (!firstEnded.Wait(DemoKit.Patience))
                    {
                        throw new DemoFailure("server-1 did not stop");
                    }
                }

                string request = $"request {sequence}";
                log.Say("client", $"-> {DemoKit.Quote(request)}");
                if (!client.TryRequest([Encoding.UTF8.GetBytes(request)], out var reply))
                {
                    log.Say("client", "failed: no answer");
                    continue;
                }

                string server = Encoding.UTF8.GetString(reply[1]);
                answers.Add((sequence, server));
                log.Say("client", $"<- {DemoKit.Quote(Encoding.UTF8.GetString(reply[0]))} from {server}");
            }
        }

        int before = answers.Count(a => a.Sequence <= StopAfter);
        var after = answers.Where(a => a.Sequence > StopAfter).ToList();
        bool failedOver = after.Count == Requests - StopAfter && after.All(a => a.Server != "server-1");
        bool ok = answers.Count == Requests && failedOver && dead.Contains("server-1") && threads.Failures.Count == 0;
        string afterBy = string.Join(", ", after.GroupBy(a => a.Server).Select(g => $"{g.Key}: {g.Count()}"));
        return new DemoOutcome(ok, ok
            ? $"{answers.Count} of {Requests} requests answered; server-1 answered {answers.Count(a => a.Server == "server-1")}, then was stopped; " +
              $"the agent marked it dead {deadAfter} ms later (TTL {options.ServerTtl.TotalMilliseconds:0} ms of silence), the {sentToStopped} request(s) sent to it meanwhile " +
              $"were resent after the {options.RetryInterval.TotalMilliseconds:0} ms retry interval, and the other {after.Count} answers came from the live servers ({afterBy}); {pongs} pongs"
            : $"{answers.Count} of {Requests} requests answered ({before} before server-1 stopped, after: {afterBy}); server-1 {(dead.Contains("server-1") ? "marked dead" : "never marked dead")}");
    }

    /// <summary>A server: answers PING with PONG and each request with "OK" and its name, until it is stopped.</summary>
    private static void Serve(string name, FreelanceServer server, CancellationToken stop, ManualResetEventSlim ended, DemoLog log)
    {
        try
        {
            using (server)
            {
                server.Run(
                    request =>
                    {
                        log.Say(name, $"<- {DemoKit.Quote(Encoding.UTF8.GetString(request[0]))}, answers \"OK\"");
                        return ["OK"u8.ToArray(), Encoding.ASCII.GetBytes(name)];
                    },
                    stop);
            }

            log.Say(name, "stopped");
        }
        finally
        {
            ended.Set();
        }
    }

    /// <summary>
    /// A free loopback port below the range the OS hands out for ephemeral ports (so it cannot be taken
    /// by an outgoing connection meanwhile); the Freelance server needs it before it binds.
    /// </summary>
    private static int FreePort()
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) when (attempt < 200)
            {
                // Taken: try another.
            }
        }
    }
}
