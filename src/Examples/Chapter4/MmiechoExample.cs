using System.Text;
using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// mmiecho: asks the Majordomo broker whether the echo service exists (RFC 8/MMI, mmi.service):
/// prints "Lookup echo service: 200" when it has workers, 404 when it does not.
/// </summary>
[Example("mmiecho", 4, "Majordomo service discovery: asks the broker (mmi.service) whether echo has workers",
    "zguide mmiecho [--connect tcp://localhost:5555] [--service echo] [--timeout-ms 2500] [--retries 3] [-v]")]
internal static class MmiechoExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string endpoint = a.Text("connect", MajordomoProtocol.DefaultEndpoint);
        string service = a.Text("service", "echo");
        int timeout = a.Int("timeout-ms", (int)MajordomoProtocol.DefaultRequestTimeout.TotalMilliseconds);
        int retries = a.Int("retries", MajordomoProtocol.DefaultRetries);
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();
        if (timeout < 1 || retries < 1)
        {
            throw new ExampleUsageException("--timeout-ms and --retries take 1 or more");
        }

        using var context = new ZmqContext();
        using var client = new MajordomoClient(context, endpoint, new MajordomoClientOptions
        {
            Timeout = TimeSpan.FromMilliseconds(timeout),
            Retries = retries,
            Log = verbose ? Console.WriteLine : null,
            TraceFrames = verbose,
        });
        var reply = client.Send(MajordomoProtocol.MmiService, service);
        if (reply is { Count: > 0 })
        {
            Console.WriteLine($"Lookup {service} service: {Encoding.UTF8.GetString(reply[0])}");
            return 0;
        }

        Console.WriteLine("E: no response from broker, make sure it's running");
        return 1;
    }
}
