using System.Diagnostics;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter1;

/// <summary>
/// tasksink: the Guide's result collector (chapter 1, "Divide and Conquer"). It waits for the
/// ventilator's start-of-batch message, then PULLs one result per task (fair-queued from every
/// worker) and prints how long the whole batch took.
/// </summary>
[Example("tasksink", 1, "task sink: PULLs every worker's results and times the batch", "zguide tasksink [--bind tcp://*:5558] [--tasks 100]")]
internal static class TaskSinkExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string bind = a.Text("bind", "tcp://*:5558");
        int tasks = a.Int("tasks", 100);
        a.RejectUnknown();
        if (tasks < 0)
        {
            throw new ExampleUsageException("--tasks takes 0 or more");
        }

        using var context = new ZmqContext();
        using var receiver = context.CreateSocket(ZmqSocketType.Pull);
        receiver.Bind(bind);

        // Wait for the start of the batch, then start the clock.
        using var message = new ZmqMessage();
        receiver.Receive(message);
        var clock = Stopwatch.StartNew();

        for (int task = 0; task < tasks; task++)
        {
            receiver.Receive(message);
            Console.Write(task % 10 == 0 ? ":" : ".");
        }

        Console.WriteLine($"Total elapsed time: {clock.ElapsedMilliseconds} msec");
        return 0;
    }
}
