using System.Diagnostics;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// tasksink2: the pipeline's sink, now also the one that ends the batch (Guide chapter 2,
/// "Handling Errors and ETERM"). It collects the results the workers PUSH to it, as tasksink
/// does, and then broadcasts "KILL" on a PUB socket every worker (taskwork2) subscribes to,
/// because the sink is the one that knows when the batch is done.
/// </summary>
[Example("tasksink2", 2, "pipeline sink that counts the batch's results, then publishes KILL to the workers",
    "zguide tasksink2 [--bind tcp://*:5558] [--controller tcp://*:5559] [--tasks 100]")]
internal static class Tasksink2Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string bind = a.Text("bind", "tcp://*:5558");
        string controllerEndpoint = a.Text("controller", "tcp://*:5559");
        int tasks = a.Int("tasks", 100);
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var receiver = context.CreateSocket(ZmqSocketType.Pull);
        receiver.Bind(bind);
        using var controller = context.CreateSocket(ZmqSocketType.Pub);
        controller.Bind(controllerEndpoint);

        // The ventilator's first message ("0") marks the start of the batch.
        receiver.ReceiveString();
        var clock = Stopwatch.StartNew();

        for (int taskNbr = 0; taskNbr < tasks; taskNbr++)
        {
            receiver.ReceiveString();
            Console.Write(taskNbr % 10 == 0 ? ":" : ".");
        }

        Console.WriteLine();
        Console.WriteLine($"Total elapsed time: {(int)clock.ElapsedMilliseconds} msec");

        // Any message on the controller means KILL to the workers. Disposing the context waits
        // (up to the socket's linger) until it has gone out.
        controller.Send("KILL");
        return 0;
    }
}
