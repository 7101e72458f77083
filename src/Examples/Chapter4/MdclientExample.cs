using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// mdclient: the synchronous Majordomo client (Guide chapter 4) on <see cref="MajordomoClient"/>: sends
/// "Hello world" to the echo service 100000 times, one at a time, with the Guide's timeout and retries.
/// </summary>
[Example("mdclient", 4, "Majordomo client: synchronous echo requests with timeout and retries",
    "zguide mdclient [--connect tcp://localhost:5555] [--service echo] [--requests 100000] [--timeout-ms 2500] [--retries 3] [-v]")]
internal static class MdclientExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string endpoint = a.Text("connect", MajordomoProtocol.DefaultEndpoint);
        string service = a.Text("service", "echo");
        int requests = a.Int("requests", 100000);
        int timeout = a.Int("timeout-ms", (int)MajordomoProtocol.DefaultRequestTimeout.TotalMilliseconds);
        int retries = a.Int("retries", MajordomoProtocol.DefaultRetries);
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();
        if (timeout < 1 || retries < 1 || requests < 0)
        {
            throw new ExampleUsageException("--timeout-ms and --retries take 1 or more, --requests 0 or more");
        }

        using var context = new ZmqContext();
        using var client = new MajordomoClient(context, endpoint, new MajordomoClientOptions
        {
            Timeout = TimeSpan.FromMilliseconds(timeout),
            Retries = retries,
            Log = verbose ? Console.WriteLine : null,
            TraceFrames = verbose,
        });
        int count;
        for (count = 0; count < requests; count++)
        {
            if (client.Send(service, "Hello world") is null)
            {
                break; // The Guide's "interrupt or failure": the request was abandoned.
            }
        }

        Console.WriteLine($"{count} requests/replies processed");
        return count == requests ? 0 : 1;
    }
}
