using System.Globalization;
using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// pathosub (Guide chapter 5, the "pathological subscriber"): subscribes to one random topic ("000".."999", or
/// <c>--topic</c>) and prints every value it gets. Through lvcache it gets the topic's last value at once.
/// </summary>
[Example("pathosub", 5, "Pathological subscriber: one random topic, prints what arrives (try it through lvcache)",
    "zguide pathosub [endpoint (default tcp://localhost:5556)] [--topic NNN (default: random)] [--messages N (default: forever)]")]
internal static class PathosubExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string topic = a.Text("topic", new Random().Next(1000).ToString("D3", CultureInfo.InvariantCulture));
        int messages = Chapter5Console.Count(a, "messages");
        a.RejectUnknown();
        string endpoint = a.Positional.Count > 0 ? a.Positional[0] : "tcp://localhost:5556";
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext();
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Connect(endpoint);
        subscriber.Subscribe(topic);
        for (int received = 0; !cancel.IsCancellationRequested && (messages == 0 || received < messages);)
        {
            if (!subscriber.TryReceiveMultipart(TimeSpan.FromMilliseconds(100), out var message))
            {
                continue;
            }

            if (message.Count == 2 && System.Text.Encoding.UTF8.GetString(message[0]) == topic)
            {
                Console.WriteLine(System.Text.Encoding.UTF8.GetString(message[1]));
                received++;
            }
        }

        return 0;
    }
}
