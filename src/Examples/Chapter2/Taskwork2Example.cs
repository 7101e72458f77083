using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// taskwork2: the pipeline's worker, now with a way to be told to stop (Guide chapter 2,
/// "Handling Errors and ETERM"). Besides pulling tasks from the ventilator and pushing results
/// to the sink, it subscribes to the sink's controller (tasksink2); it polls both sockets, and
/// any message from the controller means KILL: it exits its loop and closes cleanly.
/// </summary>
[Example("taskwork2", 2, "pipeline worker that also polls a controller SUB socket and exits on KILL",
    "zguide taskwork2 [--ventilator tcp://localhost:5557] [--sink tcp://localhost:5558] [--controller tcp://localhost:5559]")]
internal static class Taskwork2Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string ventilator = a.Text("ventilator", "tcp://localhost:5557");
        string sink = a.Text("sink", "tcp://localhost:5558");
        string controllerEndpoint = a.Text("controller", "tcp://localhost:5559");
        a.RejectUnknown();

        using var context = new ZmqContext();

        // Socket to receive messages on.
        using var receiver = context.CreateSocket(ZmqSocketType.Pull);
        receiver.Connect(ventilator);

        // Socket to send messages to.
        using var sender = context.CreateSocket(ZmqSocketType.Push);
        sender.Connect(sink);

        // Socket for control input.
        using var controller = context.CreateSocket(ZmqSocketType.Sub);
        controller.Connect(controllerEndpoint);
        controller.Subscribe(string.Empty);

        using var poller = new ZmqPoller();
        poller.Add(receiver, ZmqPollEvents.In);
        poller.Add(controller, ZmqPollEvents.In);

        // Process messages from either socket.
        while (true)
        {
            poller.Wait(Timeout.InfiniteTimeSpan);
            if (poller.IsReady(receiver))
            {
                string workload = receiver.ReceiveString();
                Console.Write(workload + "."); // show progress
                Thread.Sleep(int.TryParse(workload, out int ms) ? Math.Max(ms, 0) : 0); // do the work
                sender.Send(string.Empty); // send the result to the sink
            }

            // Any waiting controller command acts as 'KILL'.
            if (poller.IsReady(controller))
            {
                break;
            }
        }

        Console.WriteLine();
        return 0;
    }
}
