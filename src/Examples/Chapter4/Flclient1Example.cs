using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Freelance;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// flclient1: the Freelance model-one client (Guide chapter 4), on <see cref="FreelanceFailoverClient"/>:
/// sends "Hello world" to the echo servers given as arguments, retrying a single server as Lazy Pirate
/// does, or trying several once each in order. Exit code 0 when a server answered, 1 when none did.
/// </summary>
[Example("flclient1", 4, "Freelance client, model one: Lazy Pirate over several servers, one after another",
    "zguide flclient1 <endpoint> ... [--timeout-ms 1000] [--retries 3]")]
internal static class Flclient1Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var endpoints = PirateConsole.Words(a);
        int timeout = a.Int("timeout-ms", 1000);
        int retries = a.Int("retries", FreelanceProtocol.DefaultFailoverRetries);
        a.RejectUnknown();
        if (endpoints.Count == 0)
        {
            Console.WriteLine("I: syntax: zguide flclient1 <endpoint> ...");
            return 0;
        }

        if (timeout < 1 || retries < 1)
        {
            throw new ExampleUsageException("--timeout-ms and --retries take 1 or more");
        }

        var options = new FreelanceFailoverClientOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(timeout),
            Retries = retries,
            Observer = e =>
            {
                if (e.Kind == FreelanceEventKind.Trying)
                {
                    Console.WriteLine($"I: trying echo service at {e.Endpoint}...");
                }
                else if (e.Kind == FreelanceEventKind.NoResponse)
                {
                    Console.WriteLine(endpoints.Count == 1 ? $"W: no response from {e.Endpoint}, retrying..." : $"W: no response from {e.Endpoint}");
                }
            },
        };

        using var context = new ZmqContext();
        var client = new FreelanceFailoverClient(context, endpoints, options);
        if (!client.TryRequest("Hello world", out _))
        {
            return 1;
        }

        Console.WriteLine("Service is running OK");
        return 0;
    }
}
