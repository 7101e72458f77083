using System.Text;
using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// ticlient: the Titanic client (Guide chapter 4; RFC 9/TSP) on <see cref="TitanicClient"/>: asks
/// titanic.request to store "Hello world" for the echo service, polls titanic.reply until the reply is
/// there, prints it and closes the request. <c>--count N</c> submits N requests ("Hello world 1" ...)
/// first, then collects their replies in order.
/// </summary>
[Example("ticlient", 4, "Titanic client: submits an echo request through titanic.request, polls titanic.reply, prints the reply, closes",
    "zguide ticlient [--connect tcp://localhost:5555] [--service echo] [--count 1] [--poll-ms 5000] [--timeout-ms 2500] [--retries 3] [-v]")]
internal static class TiclientExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string endpoint = a.Text("connect", MajordomoProtocol.DefaultEndpoint);
        string service = a.Text("service", "echo");
        int count = a.Int("count", 1);
        int poll = a.Int("poll-ms", 5000);
        int timeout = a.Int("timeout-ms", (int)MajordomoProtocol.DefaultRequestTimeout.TotalMilliseconds);
        int retries = a.Int("retries", MajordomoProtocol.DefaultRetries);
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();
        if (count < 1 || poll < 0 || timeout < 1 || retries < 1)
        {
            throw new ExampleUsageException("--count, --timeout-ms and --retries take 1 or more, --poll-ms 0 or more");
        }

        var stop = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext();
        using var client = new TitanicClient(context, endpoint, new MajordomoClientOptions
        {
            Timeout = TimeSpan.FromMilliseconds(timeout),
            Retries = retries,
            Log = verbose ? Console.WriteLine : null,
            TraceFrames = verbose,
        });

        // 1. Hand the requests to Titanic; each comes back with its UUID once it is on disk.
        var uuids = new List<string>();
        for (int i = 1; i <= count; i++)
        {
            string body = count == 1 ? "Hello world" : $"Hello world {i}";
            var status = client.Submit(service, body, out string? uuid);
            if (status != TitanicStatus.Ok)
            {
                return Fail(status);
            }

            Console.WriteLine($"I: request UUID {uuid}");
            uuids.Add(uuid!);
        }

        // 2. Ask for each reply until it is there (the Guide waits 100 ms, then 5 s between tries).
        if (stop.WaitHandle.WaitOne(100))
        {
            return 0;
        }

        foreach (string uuid in uuids)
        {
            while (true)
            {
                var status = client.TryGetReply(uuid, out List<byte[]>? reply);
                if (status == TitanicStatus.Ok)
                {
                    Console.WriteLine($"Reply: {(reply!.Count > 0 ? Encoding.UTF8.GetString(reply[^1]) : string.Empty)}");
                    break;
                }

                if (status != TitanicStatus.Pending)
                {
                    return Fail(status);
                }

                Console.WriteLine("I: no reply yet, trying again...");
                if (stop.WaitHandle.WaitOne(poll))
                {
                    return 0;
                }
            }

            // 3. Done with it: Titanic may forget the request and its reply.
            var closed = client.Close(uuid);
            if (closed != TitanicStatus.Ok)
            {
                return Fail(closed);
            }
        }

        return 0;
    }

    private static int Fail(TitanicStatus status)
    {
        Console.WriteLine(status switch
        {
            TitanicStatus.Unknown => "E: client fatal error, aborting",
            TitanicStatus.Error => "E: server fatal error, aborting",
            _ => "E: no answer from titanic, abandoning",
        });
        return 1;
    }
}
