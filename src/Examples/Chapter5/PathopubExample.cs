using System.Globalization;
using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// pathopub (Guide chapter 5, the "pathological publisher" for lvcache): after a second for subscribers to connect,
/// sends 1,000 topics "000".."999" with "Save Roger", then one random topic a second with "Off with his head!".
/// </summary>
[Example("pathopub", 5, "Pathological publisher: 1,000 topics, then one random update a second (feeds lvcache)",
    "zguide pathopub [endpoint (default tcp://*:5556)] [--settle-ms 1000] [--interval-ms 1000] [--updates N (default: forever)]")]
internal static class PathopubExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int settle = a.Int("settle-ms", 1000);
        int interval = a.Int("interval-ms", 1000);
        int updates = Chapter5Console.Count(a, "updates");
        a.RejectUnknown();
        string endpoint = a.Positional.Count > 0 ? a.Positional[0] : "tcp://*:5556";
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext();
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        publisher.Bind(endpoint);
        cancel.WaitHandle.WaitOne(settle); // the subscriber connection needs time to complete
        for (int topic = 0; topic < 1000; topic++)
        {
            publisher.SendMultipart([topic.ToString("D3", CultureInfo.InvariantCulture), "Save Roger"]);
        }

        var random = new Random();
        for (int sent = 0; !cancel.IsCancellationRequested && (updates == 0 || sent < updates); sent++)
        {
            if (cancel.WaitHandle.WaitOne(interval))
            {
                break;
            }

            publisher.SendMultipart([random.Next(1000).ToString("D3", CultureInfo.InvariantCulture), "Off with his head!"]);
        }

        return 0;
    }
}
