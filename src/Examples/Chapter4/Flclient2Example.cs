using System.Diagnostics;
using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Freelance;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// flclient2: the Freelance model-two client (Guide chapter 4), on <see cref="FreelanceShotgunClient"/>:
/// connects a DEALER to every server given, sends 10,000 "random name" lookups, each blasted at all
/// servers, takes the first numbered reply, and prints the average round trip. Exit code 1 when the
/// name service stopped answering.
/// </summary>
[Example("flclient2", 4, "Freelance client, model two: blast each request at every server, take the first reply",
    "zguide flclient2 <endpoint> ... [--requests 10000] [--timeout-ms 2500]")]
internal static class Flclient2Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var endpoints = PirateConsole.Words(a);
        int requests = a.Int("requests", 10000);
        int timeout = a.Int("timeout-ms", 2500);
        a.RejectUnknown();
        if (endpoints.Count == 0)
        {
            Console.WriteLine("I: syntax: zguide flclient2 <endpoint> ...");
            return 0;
        }

        if (requests < 1 || timeout < 1)
        {
            throw new ExampleUsageException("--requests and --timeout-ms take 1 or more");
        }

        using var context = new ZmqContext();
        using var client = new FreelanceShotgunClient(context, new FreelanceShotgunClientOptions { GlobalTimeout = TimeSpan.FromMilliseconds(timeout) });
        endpoints.ForEach(client.Connect);
        return FreelanceRun.Lookups(requests, () => client.TryRequest("random name", out _));
    }
}

/// <summary>The loop flclient2 and flclient3 share: N lookups, then the average round trip as the Guide prints it.</summary>
internal static class FreelanceRun
{
    public static int Lookups(int requests, Func<bool> lookup)
    {
        var clock = Stopwatch.StartNew();
        int exit = 0;
        int done = 0;
        while (done < requests)
        {
            if (!lookup())
            {
                Console.WriteLine("E: name service not available, aborting");
                exit = 1;
                break;
            }

            done++;
        }

        long average = (long)(clock.Elapsed.TotalMicroseconds / Math.Max(1, done));
        Console.WriteLine($"Average round trip cost: {average} usec");
        return exit;
    }
}
