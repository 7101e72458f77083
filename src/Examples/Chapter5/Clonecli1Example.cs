using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// clonecli1 (Guide chapter 5, Clone model one): subscribes to every update and stores it in its map. Runs until
/// Ctrl-C (or <c>--updates N</c>), then prints how many messages came in.
/// </summary>
[Example("clonecli1", 5, "Clone model one: the client stores every update it receives",
    "zguide clonecli1 [--connect tcp://localhost:5556] [--updates N (default: forever)]")]
internal static class Clonecli1Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string connect = a.Text("connect", "tcp://localhost:5556");
        int updates = Chapter5Console.Count(a, "updates");
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext();
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Subscribe(string.Empty);
        subscriber.Connect(connect);
        var map = new Dictionary<string, KvSimple>(StringComparer.Ordinal);
        long sequence = 0;
        while (!cancel.IsCancellationRequested && (updates == 0 || sequence < updates))
        {
            if (subscriber.TryReceiveMultipart(TimeSpan.FromMilliseconds(100), out var frames) && KvSimple.TryParse(frames, out var kvmsg))
            {
                kvmsg.Store(map);
                sequence++;
            }
        }

        Console.WriteLine($" Interrupted\n{sequence} messages in");
        return 0;
    }
}
