namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// msreader: reads from two sockets with a plain non-blocking receive loop (Guide chapter 2,
/// "Handling Multiple Sockets"). Tasks from the ventilator (PULL) come first; weather updates
/// for one zip code (SUB) next; when neither has anything it sleeps a millisecond, which is
/// the latency this approach costs. The Guide's version runs forever and prints nothing;
/// this one prints each message it processes and can stop after given counts.
/// </summary>
[Example("msreader", 2, "reads a PULL and a SUB socket with a non-blocking receive loop, tasks first",
    "zguide msreader " + MultipleSockets.Usage)]
internal static class MsreaderExample
{
    public static int Run(string[] args)
    {
        using var inputs = MultipleSockets.Open(args);
        var receiver = inputs.Tasks;
        var subscriber = inputs.Updates;
        long tasksNeeded = inputs.TasksNeeded;
        long updatesNeeded = inputs.UpdatesNeeded;

        using var message = new ZmqMessage();
        long tasks = 0;
        long updates = 0;
        while (tasks < tasksNeeded || updates < updatesNeeded)
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

        MultipleSockets.PrintTotals(tasks, updates);
        return 0;
    }
}
