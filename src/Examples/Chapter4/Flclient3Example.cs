using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Freelance;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// flclient3: the Freelance model-three client (Guide chapter 4), on <see cref="FreelanceClient"/>,
/// the client agent that pings servers, tracks which are alive and sends each request to the best live
/// one. Connects to the servers given (the Guide's three, ports 5555-5557, by default), sends 10,000
/// "random name" lookups and prints the average round trip. <c>-v</c> traces the agent's view of the
/// servers. Exit code 1 when the name service stopped answering.
/// </summary>
[Example("flclient3", 4, "Freelance client, model three: a background agent with PING/PONG, server TTL and a global timeout",
    "zguide flclient3 [<endpoint> ...] [--requests 10000] [--timeout-ms 3000] [--ping-ms 2000] [--ttl-ms 6000] [--retry-ms 1000] [-v]")]
internal static class Flclient3Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        var endpoints = PirateConsole.Words(a);
        int requests = a.Int("requests", 10000);
        int timeout = a.Int("timeout-ms", 3000);
        int ping = a.Int("ping-ms", 2000);
        int ttl = a.Int("ttl-ms", 6000);
        int retry = a.Int("retry-ms", 1000);
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();
        if (requests < 1 || timeout < 1 || ping < 1 || ttl < 1 || retry < 1)
        {
            throw new ExampleUsageException("--requests and the intervals take 1 or more");
        }

        if (endpoints.Count == 0)
        {
            endpoints = ["tcp://localhost:5555", "tcp://localhost:5556", "tcp://localhost:5557"];
        }

        var options = new FreelanceClientOptions
        {
            GlobalTimeout = TimeSpan.FromMilliseconds(timeout),
            PingInterval = TimeSpan.FromMilliseconds(ping),
            ServerTtl = TimeSpan.FromMilliseconds(ttl),
            RetryInterval = TimeSpan.FromMilliseconds(retry),
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case FreelanceEventKind.Connecting:
                        Console.WriteLine($"I: connecting to {e.Endpoint}...");
                        break;
                    case FreelanceEventKind.ServerAlive when verbose:
                        Console.WriteLine($"I: server alive: {e.Endpoint}");
                        break;
                    case FreelanceEventKind.ServerDead when verbose:
                        Console.WriteLine($"W: server dead: {e.Endpoint}");
                        break;
                    case FreelanceEventKind.RequestFailed when verbose:
                        Console.WriteLine("W: no server answered in time");
                        break;
                }
            },
        };

        using var client = new FreelanceClient(options);
        endpoints.ForEach(client.Connect);
        return FreelanceRun.Lookups(requests, () => client.TryRequest("random name", out _));
    }
}
