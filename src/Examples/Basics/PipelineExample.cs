using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Basics;

/// <summary>
/// pipeline: a producer PUSHes numbered tasks, several consumers PULL them, square the number
/// and PUSH the result to one collector, which counts what each consumer delivered. PUSH deals
/// tasks round-robin over the connected consumers and PULL fair-queues the results
/// (zmq_socket(3), ZMQ_PUSH and ZMQ_PULL), so the work spreads evenly.
/// </summary>
/// <remarks>
/// Everything is a thread with its own sockets on inproc. The producer starts only once every
/// consumer has said it is ready (its first message to the collector), because PUSH deals only
/// over the consumers connected at the time: one that connects late would get nothing. The Guide's
/// own advice is to coordinate threads with messages rather than locks or sleeps.
/// </remarks>
[Example("pipeline", 0, "producer -> consumers -> collector over PUSH/PULL, counting each consumer's results", "zguide pipeline [--tasks 100] [--consumers 3] [--work-ms 10]")]
internal static class PipelineExample
{
    private const string TasksEndpoint = "inproc://pipeline-tasks";
    private const string ResultsEndpoint = "inproc://pipeline-results";

    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int tasks = a.Int("tasks", 100);
        int consumerCount = a.Int("consumers", 3);
        int workMs = a.Int("work-ms", 10);
        a.RejectUnknown();
        if (tasks < 1 || consumerCount < 1 || workMs < 0)
        {
            throw new ExampleUsageException("--tasks and --consumers take 1 or more, --work-ms 0 or more");
        }

        using var context = new ZmqContext();
        using var collector = context.CreateSocket(ZmqSocketType.Pull);
        collector.Bind(ResultsEndpoint);

        var consumers = Enumerable.Range(1, consumerCount)
            .Select(id => new Thread(() => Consume(context, id, workMs)) { Name = "consumer " + id })
            .ToList();
        consumers.ForEach(t => t.Start());

        // Each consumer connects to the tasks before it says "ready", so once every consumer is
        // ready the producer deals over all of them.
        for (int ready = 0; ready < consumerCount; ready++)
        {
            collector.ReceiveString();
        }

        var producer = new Thread(() => Produce(context, tasks)) { Name = "producer" };
        producer.Start();

        var delivered = new int[consumerCount + 1];
        long sum = 0;
        for (int i = 0; i < tasks; i++)
        {
            // "result <consumer> <task> <task squared>"
            string[] fields = collector.ReceiveString().Split(' ');
            delivered[int.Parse(fields[1], CultureInfo.InvariantCulture)]++;
            sum += long.Parse(fields[3], CultureInfo.InvariantCulture);
        }

        for (int id = 1; id <= consumerCount; id++)
        {
            Console.WriteLine($"consumer {id} delivered {delivered[id]} results");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"collected {tasks} results, sum of squares {sum}"));

        producer.Join();

        // Shutting the context down ends the consumers' blocking receives with ETERM (zmq_ctx_shutdown(3)).
        context.Shutdown();
        consumers.ForEach(t => t.Join());
        return 0;
    }

    private static void Produce(ZmqContext context, int tasks)
    {
        using var producer = context.CreateSocket(ZmqSocketType.Push);

        // Binding after the consumers connected is fine over inproc: their pending connections
        // are attached at bind (zmq_inproc(7)).
        producer.Bind(TasksEndpoint);
        for (int task = 1; task <= tasks; task++)
        {
            producer.Send(task.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void Consume(ZmqContext context, int id, int workMs)
    {
        try
        {
            using var tasks = context.CreateSocket(ZmqSocketType.Pull);
            tasks.Connect(TasksEndpoint);
            using var results = context.CreateSocket(ZmqSocketType.Push);
            results.Connect(ResultsEndpoint);
            results.Send(string.Create(CultureInfo.InvariantCulture, $"ready {id}"));
            while (true)
            {
                long task = long.Parse(tasks.ReceiveString(), CultureInfo.InvariantCulture);
                if (workMs > 0)
                {
                    Thread.Sleep(workMs); // pretend the square takes a while
                }

                results.Send(string.Create(CultureInfo.InvariantCulture, $"result {id} {task} {task * task}"));
            }
        }
        catch (ContextTerminatedException)
        {
            // Every result is in: the context was shut down.
        }
    }
}
