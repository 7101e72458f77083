using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// mspoller: reads from two sockets with a poller (Guide chapter 2, "Handling Multiple
/// Sockets"). The same PULL (task ventilator) and SUB (weather server) sockets as msreader,
/// but it sleeps in zmq_poll(3) until either has a message, so there is no busy loop and no
/// added latency, and it treats both sockets fairly. The Guide's version runs forever and
/// prints nothing; this one prints each message it processes and can stop after given counts.
/// </summary>
[Example("mspoller", 2, "reads a PULL and a SUB socket with a poller",
    "zguide mspoller [--ventilator tcp://localhost:5557] [--weather tcp://localhost:5556] [--filter \"10001 \"] [--tasks N] [--updates N]")]
internal static class MspollerExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string ventilator = a.Text("ventilator", "tcp://localhost:5557");
        string weather = a.Text("weather", "tcp://localhost:5556");
        string filter = a.Text("filter", "10001 ");
        int tasksWanted = a.Int("tasks", -1);
        int updatesWanted = a.Int("updates", -1);
        a.RejectUnknown();

        // With neither count given it runs forever, as the Guide's does; with one or both it
        // reads exactly that many from each socket (none from a socket whose count is not
        // given) and stops.
        bool bounded = tasksWanted >= 0 || updatesWanted >= 0;
        long tasksNeeded = bounded ? Math.Max(tasksWanted, 0) : long.MaxValue;
        long updatesNeeded = bounded ? Math.Max(updatesWanted, 0) : long.MaxValue;

        using var context = new ZmqContext();
        using var receiver = context.CreateSocket(ZmqSocketType.Pull);
        receiver.Connect(ventilator);
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Connect(weather);
        subscriber.Subscribe(filter);

        // A socket whose count is reached is parked (no events), so the poll no longer wakes for it.
        using var poller = new ZmqPoller();
        poller.Add(receiver, tasksNeeded > 0 ? ZmqPollEvents.In : ZmqPollEvents.None);
        poller.Add(subscriber, updatesNeeded > 0 ? ZmqPollEvents.In : ZmqPollEvents.None);

        using var message = new ZmqMessage();
        long tasks = 0;
        long updates = 0;
        while (tasks < tasksNeeded || updates < updatesNeeded)
        {
            poller.Wait(Timeout.InfiniteTimeSpan);
            if (poller.IsReady(receiver))
            {
                receiver.Receive(message);
                Console.WriteLine($"Task [{message}]");
                if (++tasks == tasksNeeded)
                {
                    poller.Modify(receiver, ZmqPollEvents.None);
                }
            }

            if (poller.IsReady(subscriber))
            {
                subscriber.Receive(message);
                Console.WriteLine($"Weather update [{message}]");
                if (++updates == updatesNeeded)
                {
                    poller.Modify(subscriber, ZmqPollEvents.None);
                }
            }
        }

        Console.WriteLine($"Processed {tasks} tasks and {updates} weather updates");
        return 0;
    }
}
