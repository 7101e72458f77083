using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// suisnail (Guide chapter 5, "Slow Subscriber Detection"): a publisher thread sends its clock (milliseconds) every
/// millisecond; a subscriber thread prints each, works 1-2 ms per message, and when a message is more than a second old
/// it says "E: subscriber cannot keep up, aborting" on stderr and dies; then the publisher stops. <c>--work-ms</c>
/// makes the snail slower (so it dies sooner).
/// </summary>
[Example("suisnail", 5, "Suicidal snail: a subscriber that notices it is over a second behind and kills itself",
    "zguide suisnail [--port 5556] [--max-delay-ms 1000] [--work-ms 1 (plus 0-1 random)]")]
internal static class SuisnailExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int port = Chapter5Console.Port(a, "port", 5556);
        int maxDelay = a.Int("max-delay-ms", 1000);
        int work = a.Int("work-ms", 1);
        a.RejectUnknown();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var died = new ManualResetEventSlim();
        var publisher = new Thread(() =>
        {
            using var socket = context.CreateSocket(ZmqSocketType.Pub);
            socket.Bind($"tcp://*:{port}");
            while (!died.IsSet)
            {
                socket.Send(Clock().ToString(CultureInfo.InvariantCulture));
                died.Wait(1); // a millisecond between messages
            }
        });
        var subscriber = new Thread(() =>
        {
            using var socket = context.CreateSocket(ZmqSocketType.Sub);
            socket.Subscribe(string.Empty);
            socket.Connect($"tcp://localhost:{port}");
            var random = new Random();
            while (true)
            {
                string text = socket.ReceiveString();
                Console.WriteLine(text);
                long clock = long.Parse(text, CultureInfo.InvariantCulture);
                // The suicide snail logic: a message over a second old means we cannot keep up.
                if (Clock() - clock > maxDelay)
                {
                    Console.Error.WriteLine("E: subscriber cannot keep up, aborting");
                    break;
                }

                Thread.Sleep(work + random.Next(2)); // work for 1 ms plus some random additional time
            }

            died.Set(); // "gone and died"
        });
        publisher.Start();
        subscriber.Start();
        subscriber.Join();
        publisher.Join();
        return 0;
    }

    private static long Clock() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
