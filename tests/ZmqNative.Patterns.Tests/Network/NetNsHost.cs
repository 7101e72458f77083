using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ZmqNative.Patterns.Freelance;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Patterns.Tests.Network;

/// <summary>
/// The test assembly's entry point (the project sets GenerateProgramFile to false; the test runner never
/// calls it): small clients the namespace tests run as real processes inside a namespace, with
/// <c>dotnet ZmqNative.Patterns.Tests.dll &lt;role&gt; ...</c>. The Guide's example clients (mdclient,
/// flclient3) send fixed bodies as fast as they can and print a total; these number every request,
/// pace them, and print one line per request sent and answered, so a test can see each one across a cut.
/// <list type="bullet">
/// <item><c>mdp-client --connect E [--service echo] [--requests N] [--interval-ms 100] [--timeout-ms 1000] [--retries 3]</c>:
/// <see cref="MajordomoClient"/> (synchronous, resends on timeout); the echo worker's reply must be the request's number.</item>
/// <item><c>flp-client --server E [--server E ...] [--requests N] [--interval-ms 50] [--ping-ms 300] [--ttl-ms 1500] [--retry-ms 500]</c>:
/// <see cref="FreelanceClient"/> (model three); each reply line names the server that answered.</item>
/// </list>
/// <c>--requests 0</c> (the default) sends until standard input closes. Exit code 0 when every request sent was answered.
/// </summary>
internal static class NetNsHost
{
    /// <summary>Runs one client role; see the class remarks.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: ZmqNative.Patterns.Tests mdp-client|flp-client [--option value ...]");
            return 2;
        }

        var options = Options(args.AsSpan(1));
        using var stop = new CancellationTokenSource();
        // The test closes our stdin to say "no new requests"; a request in progress still completes.
        var stdin = new Thread(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }

            stop.Cancel();
        })
        { IsBackground = true };
        stdin.Start();
        return args[0] switch
        {
            "mdp-client" => MajordomoRole(options, stop.Token),
            "flp-client" => FreelanceRole(options, stop.Token),
            _ => Usage(args[0]),
        };
    }

    private static int MajordomoRole(Dictionary<string, List<string>> options, CancellationToken stop)
    {
        string service = Text(options, "service", "echo");
        int requests = Number(options, "requests", 0);
        int interval = Number(options, "interval-ms", 100);
        using var context = new ZmqContext();
        using var client = new MajordomoClient(context, Text(options, "connect", MajordomoProtocol.DefaultEndpoint), new MajordomoClientOptions
        {
            Timeout = TimeSpan.FromMilliseconds(Number(options, "timeout-ms", 1000)),
            Retries = Number(options, "retries", 3),
            Log = Console.WriteLine,
        });
        int answered = 0;
        for (int n = 1; (requests == 0 || n <= requests) && !stop.IsCancellationRequested; n++)
        {
            string body = n.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine($"sent {body}");
            var reply = client.Send(service, body);
            if (reply is null)
            {
                Console.WriteLine($"E: abandoned {body}");
                break;
            }

            string text = reply.Count == 1 ? Encoding.UTF8.GetString(reply[0]) : $"{reply.Count} frames";
            Console.WriteLine(text == body ? $"reply {body}" : $"E: wrong reply to {body}: {text}");
            answered += text == body ? 1 : 0;
            if (text != body || stop.WaitHandle.WaitOne(interval))
            {
                break;
            }
        }

        Console.WriteLine($"done: {answered} answered");
        return requests == 0 || answered == requests ? 0 : 1;
    }

    private static int FreelanceRole(Dictionary<string, List<string>> options, CancellationToken stop)
    {
        int requests = Number(options, "requests", 0);
        int interval = Number(options, "interval-ms", 50);
        var answeredBy = new ConcurrentQueue<string>();
        using var client = new FreelanceClient(new FreelanceClientOptions
        {
            PingInterval = TimeSpan.FromMilliseconds(Number(options, "ping-ms", 300)),
            ServerTtl = TimeSpan.FromMilliseconds(Number(options, "ttl-ms", 1500)),
            RetryInterval = TimeSpan.FromMilliseconds(Number(options, "retry-ms", 500)),
            // The agent's thread: a line per change of a server's state, and who answered each request.
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case FreelanceEventKind.ServerAlive:
                        Console.WriteLine($"I: server alive {e.Endpoint}");
                        break;
                    case FreelanceEventKind.ServerDead:
                        Console.WriteLine($"W: server dead {e.Endpoint}");
                        break;
                    case FreelanceEventKind.ReplyReceived:
                        answeredBy.Enqueue(e.Endpoint ?? "?");
                        break;
                }
            },
        });
        foreach (string server in options.GetValueOrDefault("server") ?? [])
        {
            client.Connect(server);
        }

        int ok = 0;
        int failed = 0;
        for (int n = 1; (requests == 0 || n <= requests) && !stop.IsCancellationRequested; n++)
        {
            answeredBy.Clear();
            if (client.TryRequest("request " + n.ToString(CultureInfo.InvariantCulture), out string? reply) && reply == "OK")
            {
                ok++;
                Console.WriteLine($"reply {n} from {string.Join(',', answeredBy)}");
            }
            else
            {
                failed++;
                Console.WriteLine($"E: failed {n}");
            }

            if (stop.WaitHandle.WaitOne(interval))
            {
                break;
            }
        }

        Console.WriteLine($"done: {ok} answered, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static int Usage(string role)
    {
        Console.Error.WriteLine($"unknown role {role}: mdp-client or flp-client");
        return 2;
    }

    private static Dictionary<string, List<string>> Options(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --option value, got {args[i]}");
            }

            string name = args[i][2..];
            if (!options.TryGetValue(name, out var values))
            {
                options[name] = values = [];
            }

            values.Add(args[i + 1]);
        }

        return options;
    }

    private static string Text(Dictionary<string, List<string>> options, string name, string fallback) =>
        options.TryGetValue(name, out var values) ? values[^1] : fallback;

    private static int Number(Dictionary<string, List<string>> options, string name, int fallback) =>
        options.TryGetValue(name, out var values) ? int.Parse(values[^1], CultureInfo.InvariantCulture) : fallback;
}
