using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter1;

/// <summary>
/// taskvent: the Guide's task ventilator (chapter 1, "Divide and Conquer"). It tells the sink a
/// batch starts, then pushes 100 tasks (a random workload of 1 to 100 msec each) to whatever
/// workers are connected, and prints what the batch should cost one worker.
/// </summary>
/// <remarks>
/// The Guide waits for Enter so that every worker has connected before the first task goes out:
/// a PUSH socket deals tasks round-robin over the workers connected <i>now</i>, and a worker that
/// connects late gets none of the tasks already queued to the others. <c>--no-wait</c> skips the
/// prompt (start at once); <c>--workers N</c> replaces it with a real signal: a socket monitor on
/// the PUSH socket counts the workers whose handshake completed, and the batch starts once there
/// are N of them.
/// </remarks>
[Example("taskvent", 1, "task ventilator: PUSHes a batch of tasks to the workers and tells the sink it started", "zguide taskvent [--bind tcp://*:5557] [--sink tcp://localhost:5558] [--tasks 100] [--no-wait | --workers N]")]
internal static class TaskVentExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "no-wait");
        string bind = a.Text("bind", "tcp://*:5557");
        string sinkEndpoint = a.Text("sink", "tcp://localhost:5558");
        int tasks = a.Int("tasks", 100);
        bool noWait = a.Flag("no-wait");
        int workers = a.Int("workers", 0);
        a.RejectUnknown();
        if (tasks < 0 || workers < 0 || (workers > 0 && noWait))
        {
            throw new ExampleUsageException("--tasks takes 0 or more; --workers 1 or more, and not with --no-wait");
        }

        using var context = new ZmqContext();

        // libzmq's own default linger is infinite: closing waits until every queued task and the
        // start-of-batch message are delivered (zmq_setsockopt(3), ZMQ_LINGER). The Guide relies on
        // that to exit right after the last send; ZmqContext defaults to a bounded linger, so ask.
        using var sender = context.CreateSocket(ZmqSocketType.Push);
        sender.Linger = Timeout.InfiniteTimeSpan;

        // Watch before binding, so no worker's handshake is missed.
        using var monitor = workers > 0 ? new ZmqMonitor(sender, ZmqMonitorEvents.HandshakeSucceeded | ZmqMonitorEvents.Disconnected) : null;
        sender.Bind(bind);

        using var sink = context.CreateSocket(ZmqSocketType.Push);
        sink.Linger = Timeout.InfiniteTimeSpan;
        sink.Connect(sinkEndpoint);

        if (monitor is not null)
        {
            Console.WriteLine($"Waiting for {workers} workers to connect...");
            WaitForWorkers(monitor, workers);
        }
        else if (!noWait)
        {
            Console.Write("Press Enter when the workers are ready: ");
            Console.ReadLine();
        }

        Console.WriteLine("Sending tasks to workers...");

        // The first message is "0" and signals the start of the batch.
        sink.Send("0");

        int totalMsec = 0; // total expected cost in msec
        for (int task = 0; task < tasks; task++)
        {
            int workload = Random.Shared.Next(100) + 1; // 1 to 100 msec
            totalMsec += workload;
            sender.Send(workload.ToString(CultureInfo.InvariantCulture));
        }

        Console.WriteLine($"Total expected cost: {totalMsec} msec");
        return 0;
    }

    private static void WaitForWorkers(ZmqMonitor monitor, int workers)
    {
        // A connection's pipe is handed to the PUSH socket before libzmq reports its handshake
        // (ZMQ_EVENT_HANDSHAKE_SUCCEEDED, zmq_socket_monitor(3)), and the socket takes pending
        // pipes in at its next send: so the first task already goes round-robin over all of them.
        int connected = 0;
        while (connected < workers)
        {
            connected += monitor.Receive().Kind == ZmqMonitorEvents.HandshakeSucceeded ? 1 : -1;
        }

        // Nobody reads the events from here on, and unread events queue without limit: stop watching.
        monitor.Dispose();
    }
}
