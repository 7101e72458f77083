using System.Globalization;
using System.Text;
using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// lpclient: the Lazy Pirate client (Guide chapter 4, "Client-Side Reliability"), on
/// <see cref="LazyPirateClient"/>. It numbers its requests 1, 2, 3, ..., expects each reply to echo
/// the number (lpserver does), and on a timeout reconnects and resends; after the retries it gives up.
/// Exit code 0 when every request was answered, 1 when it abandoned.
/// </summary>
[Example("lpclient", 4, "Lazy Pirate client: timeout, close and reopen the REQ socket, resend, give up after the retries",
    "zguide lpclient [--connect tcp://localhost:5555] [--timeout-ms 2500] [--retries 3] [--requests N (default: forever)]")]
internal static class LpclientExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string endpoint = a.Text("connect", "tcp://localhost:5555");
        int timeout = a.Int("timeout-ms", 2500);
        int retries = a.Int("retries", 3);
        int requests = a.Int("requests", 0);
        a.RejectUnknown();
        if (timeout < 1 || retries < 1 || requests < 0)
        {
            throw new ExampleUsageException("--timeout-ms and --retries take 1 or more, --requests 0 (forever) or more");
        }

        var options = new LazyPirateClientOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(timeout),
            Attempts = retries,
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case PirateEventKind.Connecting:
                        Console.WriteLine("I: connecting to server...");
                        break;
                    case PirateEventKind.NoResponse:
                        Console.WriteLine("W: no response from server, retrying...");
                        break;
                    case PirateEventKind.RejectedReply:
                        Console.WriteLine($"E: malformed reply from server: {Encoding.UTF8.GetString(e.Frames![0])}");
                        break;
                    case PirateEventKind.Abandoned:
                        Console.WriteLine("E: server seems to be offline, abandoning");
                        break;
                }
            },
        };

        using var context = new ZmqContext();
        using var client = new LazyPirateClient(context, endpoint, options);
        for (int sequence = 1; requests == 0 || sequence <= requests; sequence++)
        {
            string request = sequence.ToString(CultureInfo.InvariantCulture);
            // The server must echo our sequence number: that is how we know no reply is lost, doubled or out of order.
            var result = client.Request([Encoding.UTF8.GetBytes(request)], reply => reply.Count == 1 && Encoding.UTF8.GetString(reply[0]) == request);
            if (!result.Succeeded)
            {
                return 1;
            }

            Console.WriteLine($"I: server replied OK ({result.ReplyText})");
        }

        return 0;
    }
}
