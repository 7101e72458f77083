namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// mspoller: reads from two sockets with a poller (Guide chapter 2, "Handling Multiple
/// Sockets"). The same PULL (task ventilator) and SUB (weather server) sockets as msreader,
/// but it sleeps in zmq_poll(3) until either has a message, so there is no busy loop and no
/// added latency, and it treats both sockets fairly. The Guide's version runs forever and
/// prints nothing; this one prints each message it processes and can stop after given counts.
/// </summary>
[Example("mspoller", 2, "reads a PULL and a SUB socket with a poller",
    "zguide mspoller " + MultipleSockets.Usage)]
internal static class MspollerExample
{
    public static int Run(string[] args)
    {
        using var inputs = MultipleSockets.Open(args);
        var receiver = inputs.Tasks;
        var subscriber = inputs.Updates;
        long tasksNeeded = inputs.TasksNeeded;
        long updatesNeeded = inputs.UpdatesNeeded;

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

        MultipleSockets.PrintTotals(tasks, updates);
        return 0;
    }
}
