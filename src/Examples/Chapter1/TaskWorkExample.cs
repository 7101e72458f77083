using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter1;

/// <summary>
/// taskwork: the Guide's task worker (chapter 1, "Divide and Conquer"). It PULLs tasks from the
/// ventilator, "works" by sleeping the task's number of milliseconds, and PUSHes an empty result
/// to the sink. It prints each workload followed by a dot, on one line, as the Guide does.
/// </summary>
[Example("taskwork", 1, "task worker: PULLs tasks, sleeps their workload, PUSHes results to the sink", "zguide taskwork [--connect tcp://localhost:5557] [--sink tcp://localhost:5558] [--tasks N (0: forever)]")]
internal static class TaskWorkExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string connect = a.Text("connect", "tcp://localhost:5557");
        string sinkEndpoint = a.Text("sink", "tcp://localhost:5558");
        int tasks = a.Int("tasks", 0);
        a.RejectUnknown();
        if (tasks < 0)
        {
            throw new ExampleUsageException("--tasks takes 0 or more");
        }

        using var context = new ZmqContext();
        using var receiver = context.CreateSocket(ZmqSocketType.Pull);
        receiver.Connect(connect);

        using var sender = context.CreateSocket(ZmqSocketType.Push);
        sender.Linger = Timeout.InfiniteTimeSpan; // deliver the last result even when exiting right after it
        sender.Connect(sinkEndpoint);

        for (int done = 0; tasks == 0 || done < tasks; done++)
        {
            string workload = receiver.ReceiveString();
            while (receiver.ReceiveMore)
            {
                receiver.ReceiveBytes(); // a task is one frame; more is not ours to read as a task
            }

            Console.Write(workload + "."); // show progress (Console.Out flushes every write)

            // A workload that is not a number of milliseconds is no work (the Guide's atoi gives 0).
            Thread.Sleep(int.TryParse(workload, NumberStyles.None, CultureInfo.InvariantCulture, out int ms) ? ms : 0); // do the work
            sender.Send(ReadOnlySpan<byte>.Empty); // send the result to the sink
        }

        return 0;
    }
}
