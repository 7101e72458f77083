using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// mdclient2: the asynchronous Majordomo client (Guide chapter 4) on <see cref="MajordomoAsyncClient"/>:
/// sends all 100000 "Hello world" requests first, then reads the replies.
/// </summary>
[Example("mdclient2", 4, "Majordomo asynchronous client: sends every request, then collects the replies",
    "zguide mdclient2 [--connect tcp://localhost:5555] [--service echo] [--requests 100000] [--timeout-ms 2500] [-v]")]
internal static class Mdclient2Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string endpoint = a.Text("connect", MajordomoProtocol.DefaultEndpoint);
        string service = a.Text("service", "echo");
        int requests = a.Int("requests", 100000);
        int timeout = a.Int("timeout-ms", (int)MajordomoProtocol.DefaultRequestTimeout.TotalMilliseconds);
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();
        if (timeout < 1 || requests < 0)
        {
            throw new ExampleUsageException("--timeout-ms takes 1 or more, --requests 0 or more");
        }

        using var context = new ZmqContext();
        using var client = new MajordomoAsyncClient(context, endpoint, new MajordomoClientOptions
        {
            Timeout = TimeSpan.FromMilliseconds(timeout),
            Log = verbose ? Console.WriteLine : null,
            TraceFrames = verbose,
        });
        for (int i = 0; i < requests; i++)
        {
            client.Send(service, "Hello world");
        }

        int count;
        for (count = 0; count < requests; count++)
        {
            if (client.Receive(service) is null)
            {
                break;
            }
        }

        Console.WriteLine($"{count} replies received");
        return count == requests ? 0 : 1;
    }
}
