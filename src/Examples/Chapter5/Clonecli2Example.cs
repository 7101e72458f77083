using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// clonecli2 (Guide chapter 5, Clone model two): subscribes first, then asks for a snapshot (ICANHAZ?) and reads it up
/// to KTHXBAI, then applies updates, dropping those at or below the snapshot's sequence number. With
/// <c>--updates N</c> it stops after N applied updates and prints the map's size and last sequence.
/// </summary>
[Example("clonecli2", 5, "Clone model two: subscribe, get a snapshot, then apply only newer updates",
    "zguide clonecli2 [--port 5556 (snapshot; updates port+1)] [--updates N (default: forever)]")]
internal static class Clonecli2Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int port = Chapter5Console.Port(a, "port", 5556);
        int updates = Chapter5Console.Count(a, "updates");
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var snapshot = context.CreateSocket(ZmqSocketType.Dealer);
        snapshot.Connect($"tcp://localhost:{port}");
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Subscribe(string.Empty);
        subscriber.Connect($"tcp://localhost:{port + 1}");
        var map = new Dictionary<string, KvSimple>(StringComparer.Ordinal);

        long sequence = CloneSnapshot.Fetch(snapshot, map, null, cancel);
        Console.WriteLine($"Received snapshot={sequence}");
        int applied = 0;
        // Now apply pending updates, discard out-of-sequence messages.
        while (!cancel.IsCancellationRequested && (updates == 0 || applied < updates))
        {
            if (subscriber.TryReceiveMultipart(TimeSpan.FromMilliseconds(100), out var frames) && KvSimple.TryParse(frames, out var kvmsg) && kvmsg.Sequence > sequence)
            {
                if (kvmsg.Sequence != sequence + 1)
                {
                    Console.WriteLine($"E: gap after {sequence}: got {kvmsg.Sequence}");
                }

                sequence = kvmsg.Sequence;
                kvmsg.Store(map);
                applied++;
            }
        }

        Console.WriteLine($"I: {applied} updates applied, last sequence={sequence}, {map.Count} keys");
        return 0;
    }
}
