using System.Globalization;
using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// clonesrv2 (Guide chapter 5, Clone model two): the main thread publishes random updates on port P + 1 (5557) and
/// passes each to a state manager thread over an inproc pipe; the state manager keeps the map and answers ICANHAZ?
/// on port P (5556) with the map and a KTHXBAI carrying the sequence number of the last update it applied.
/// </summary>
[Example("clonesrv2", 5, "Clone model two: snapshots on request (ICANHAZ?/KTHXBAI) while updates flow",
    "zguide clonesrv2 [--port 5556 (snapshot; publisher port+1)] [--updates N (default: forever)] [--interval-ms 0]")]
internal static class Clonesrv2Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int port = Chapter5Console.Port(a, "port", 5556);
        int updates = Chapter5Console.Count(a, "updates");
        int interval = a.Int("interval-ms", 0);
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        publisher.Bind($"tcp://*:{port + 1}");
        using var pipe = context.CreateSocket(ZmqSocketType.Pair);
        pipe.Bind("inproc://clonesrv2-state");
        using var ready = new ManualResetEventSlim();
        var manager = new Thread(() => StateManager(context, port, ready, cancel));
        manager.Start();
        ready.Wait(); // the state manager's synchronization signal

        var random = new Random();
        long sequence = 0;
        while (!cancel.IsCancellationRequested && (updates == 0 || sequence < updates))
        {
            var kvmsg = KvSimple.Of(random.Next(10000).ToString(CultureInfo.InvariantCulture), ++sequence, random.Next(1000000).ToString(CultureInfo.InvariantCulture));
            kvmsg.Send(publisher);
            kvmsg.Send(pipe);
            if (interval > 0)
            {
                cancel.WaitHandle.WaitOne(interval);
            }
        }

        cancel.WaitHandle.WaitOne(); // keep answering snapshot requests until Ctrl-C
        Console.WriteLine($" Interrupted\n{sequence} messages out");
        manager.Join();
        return 0;
    }

    private static void StateManager(ZmqContext context, int port, ManualResetEventSlim ready, CancellationToken cancel)
    {
        using var pipe = context.CreateSocket(ZmqSocketType.Pair);
        pipe.Connect("inproc://clonesrv2-state");
        using var snapshot = context.CreateSocket(ZmqSocketType.Router);
        snapshot.SendHighWatermark = 0; // a snapshot is the whole map, sent in one go
        snapshot.Bind($"tcp://*:{port}");
        ready.Set();
        var map = new Dictionary<string, KvSimple>(StringComparer.Ordinal);
        long sequence = 0; // the current snapshot's version number
        using var poller = new ZmqPoller();
        poller.Add(pipe, ZmqPollEvents.In);
        poller.Add(snapshot, ZmqPollEvents.In);
        while (!cancel.IsCancellationRequested)
        {
            poller.Wait(TimeSpan.FromMilliseconds(100));
            // Apply state updates from the main thread.
            while (pipe.TryReceiveMultipart(TimeSpan.Zero, out var frames))
            {
                if (KvSimple.TryParse(frames, out var kvmsg))
                {
                    sequence = kvmsg.Sequence;
                    kvmsg.Store(map);
                }
            }

            // Execute state snapshot requests.
            if (poller.IsReady(snapshot))
            {
                var request = snapshot.ReceiveMultipart();
                if (!CloneSnapshot.TryRead(request, out var identity, out _))
                {
                    Console.WriteLine("E: bad request, aborting");
                    continue;
                }

                Console.WriteLine($"Sending state shapshot={sequence}");
                CloneSnapshot.Send(snapshot, identity, map.Values, sequence, string.Empty);
            }
        }
    }
}
