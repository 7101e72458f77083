using System.Globalization;
using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// clonesrv1 (Guide chapter 5, Clone model one): publishes random updates (key 0..9999, value 0..999999) with a
/// sequence number on a PUB socket, keeping its own copy of the map. Runs until Ctrl-C (or <c>--updates N</c>), then
/// prints how many messages went out.
/// </summary>
[Example("clonesrv1", 5, "Clone model one: the server publishes every update of its map",
    "zguide clonesrv1 [--bind tcp://*:5556] [--updates N (default: forever)] [--interval-ms 0]")]
internal static class Clonesrv1Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string bind = a.Text("bind", "tcp://*:5556");
        int updates = Chapter5Console.Count(a, "updates");
        int interval = a.Int("interval-ms", 0);
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext();
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        publisher.Bind(bind);
        cancel.WaitHandle.WaitOne(200);
        var map = new Dictionary<string, KvSimple>(StringComparer.Ordinal);
        var random = new Random();
        long sequence = 0;
        while (!cancel.IsCancellationRequested && (updates == 0 || sequence < updates))
        {
            // Distribute as a key-value message.
            var kvmsg = KvSimple.Of(random.Next(10000).ToString(CultureInfo.InvariantCulture), ++sequence, random.Next(1000000).ToString(CultureInfo.InvariantCulture));
            kvmsg.Send(publisher);
            kvmsg.Store(map);
            if (interval > 0)
            {
                cancel.WaitHandle.WaitOne(interval);
            }
        }

        Console.WriteLine($" Interrupted\n{sequence} messages out");
        return 0;
    }
}
