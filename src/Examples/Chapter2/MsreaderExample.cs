using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// msreader: reads from two sockets with a plain non-blocking receive loop (Guide chapter 2,
/// "Handling Multiple Sockets"). Tasks from the ventilator (PULL) come first; weather updates
/// for one zip code (SUB) next; when neither has anything it sleeps a millisecond, which is
/// the latency this approach costs. The Guide's version runs forever and prints nothing;
/// this one prints each message it processes and can stop after given counts.
/// </summary>
[Example("msreader", 2, "reads a PULL and a SUB socket with a non-blocking receive loop, tasks first",
    "zguide msreader [--ventilator tcp://localhost:5557] [--weather tcp://localhost:5556] [--filter \"10001 \"] [--tasks N] [--updates N]")]
internal static class MsreaderExample
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

        using var message = new ZmqMessage();
        long tasks = 0;
        long updates = 0;
        while (!bounded || tasks < tasksNeeded || updates < updatesNeeded)
        {
            // Drain the ventilator before looking at the weather: that is the priority.
            while (tasks < tasksNeeded && receiver.TryReceive(message))
            {
                tasks++;
                Console.WriteLine($"Task [{message}]");
            }

            while (updates < updatesNeeded && subscriber.TryReceive(message))
            {
                updates++;
                Console.WriteLine($"Weather update [{message}]");
            }

            // No activity: sleep 1 msec, as the Guide does (zmq_recv(3) with ZMQ_DONTWAIT never waits).
            Thread.Sleep(1);
        }

        Console.WriteLine($"Processed {tasks} tasks and {updates} weather updates");
        return 0;
    }
}
