using System.Globalization;
using System.Text;
using ZmqNative.Examples.Support;
using ZmqNative.Patterns.BinaryStar;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// bstarcli: the Binary Star client (Guide chapter 4), on <see cref="BinaryStarClient"/>. It sends 1, 2, 3, ...
/// one a second, expects each reply to echo its number (bstarsrv and bstarsrv2 do), and when a reply does not come
/// within the timeout it fails over to the other server after the settle delay and sends the same number again.
/// Runs for ever like the Guide's (or <c>--requests N</c>); exit code 1 if it gives up (<c>--attempts N</c>).
/// </summary>
[Example("bstarcli", 4, "Binary Star client: Lazy Pirate requests that fail over between the primary and the backup",
    "zguide bstarcli [--primary tcp://localhost:5001] [--backup tcp://localhost:5002] [--timeout-ms 1000] [--settle-ms 2000] [--interval-ms 1000] [--requests N (default: forever)] [--attempts N (default: forever)]")]
internal static class BstarcliExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string primary = a.Text("primary", BinaryStarClient.DefaultPrimary);
        string backup = a.Text("backup", BinaryStarClient.DefaultBackup);
        int timeout = a.Int("timeout-ms", 1000);
        int settle = a.Int("settle-ms", 2000);
        int interval = a.Int("interval-ms", 1000);
        int requests = a.Int("requests", 0);
        int attempts = a.Int("attempts", 0);
        a.RejectUnknown();
        if (timeout < 1 || settle < 0 || interval < 0 || requests < 0 || attempts < 0)
        {
            throw new ExampleUsageException("--timeout-ms takes 1 or more; --settle-ms, --interval-ms, --requests and --attempts 0 or more");
        }

        var cancel = PirateConsole.CancelOnCtrlC();
        var options = new BinaryStarClientOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(timeout),
            SettleDelay = TimeSpan.FromMilliseconds(settle),
            Attempts = attempts,
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case BinaryStarClientEventKind.Connecting:
                        Console.WriteLine($"I: connecting to server at {e.Server}...");
                        break;
                    case BinaryStarClientEventKind.FailingOver:
                        Console.WriteLine("W: no response from server, failing over");
                        break;
                    case BinaryStarClientEventKind.RejectedReply:
                        Console.WriteLine($"E: bad reply from server: {Encoding.UTF8.GetString(e.Frames![0])}");
                        break;
                    case BinaryStarClientEventKind.Abandoned:
                        Console.WriteLine("E: no server answers, abandoning");
                        break;
                }
            },
        };

        using var context = new ZmqContext();
        using var client = new BinaryStarClient(context, primary, backup, options);
        for (int sequence = 1; !cancel.IsCancellationRequested && (requests == 0 || sequence <= requests); sequence++)
        {
            string request = sequence.ToString(CultureInfo.InvariantCulture);
            // The reply must equal the request: that is how we see nothing lost, doubled or out of order.
            var result = client.Request([Encoding.UTF8.GetBytes(request)], reply => reply.Count == 1 && Encoding.UTF8.GetString(reply[0]) == request, cancel);
            if (!result.Succeeded)
            {
                return cancel.IsCancellationRequested ? 0 : 1;
            }

            Console.WriteLine($"I: server replied OK ({result.ReplyText})");
            if (interval > 0 && cancel.WaitHandle.WaitOne(interval))
            {
                break; // One request per second, as the Guide's
            }
        }

        return 0;
    }
}
