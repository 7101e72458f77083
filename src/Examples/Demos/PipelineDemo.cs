using System.Diagnostics;
using System.Globalization;

namespace ZmqNative.Examples.Demos;

/// <summary>A parallel pipeline: ventilator, workers, sink (Guide chapter 1, taskvent/taskwork/tasksink).</summary>
internal static class PipelineDemo
{
    private const int Workers = 3;
    private const int Tasks = 9;

    public static DemoPattern Pattern { get; } = new(
        "pipeline",
        "parallel pipeline (PUSH -> PULL)",
        "A ventilator pushes tasks to three workers, round-robin; each worker does its task and\n" +
        "pushes the result to a sink, which collects them all. The work runs in parallel.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var ventilator = context.CreateSocket(ZmqSocketType.Push);
        using var sink = context.CreateSocket(ZmqSocketType.Pull);
        string tasksEndpoint = DemoKit.BindLoopback(ventilator);
        string resultsEndpoint = DemoKit.BindLoopback(sink);
        log.Say("ventilator", $"PUSH socket bound to {tasksEndpoint}");
        log.Say("sink", $"PULL socket bound to {resultsEndpoint}");

        var threads = new DemoThreads(log);
        using (var watch = DemoKit.WatchHandshakes(ventilator))
        {
            for (int w = 1; w <= Workers; w++)
            {
                string name = $"worker-{w}";
                var tasks = context.CreateSocket(ZmqSocketType.Pull);
                var results = context.CreateSocket(ZmqSocketType.Push);
                tasks.Connect(tasksEndpoint);
                results.Connect(resultsEndpoint);
                threads.Start(name, () => Work(name, tasks, results, log));
            }

            // PUSH deals only to the peers it has: were a worker not connected yet, the others
            // would get its share. So wait until all three have finished their handshake.
            DemoKit.WaitForHandshakes(watch, Workers, "workers");
        }

        log.Say("ventilator", $"all {Workers} workers connected; pushing {Tasks} tasks (a few ms of work each)");
        var clock = Stopwatch.StartNew();
        int totalWork = 0;
        for (int t = 1; t <= Tasks; t++)
        {
            int ms = Random.Shared.Next(10, 40);
            totalWork += ms;
            ventilator.Send(string.Create(CultureInfo.InvariantCulture, $"{t}:{ms}"));
        }

        var perWorker = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int collected = 0;
        for (; collected < Tasks; collected++)
        {
            if (!sink.TryReceiveString(DemoKit.Patience, out string? result))
            {
                log.Say("sink", $"waited {DemoKit.Patience.TotalSeconds:0} s for more results; giving up");
                break;
            }

            string worker = result!.Split(' ')[^1];
            perWorker[worker] = perWorker.GetValueOrDefault(worker) + 1;
        }

        long elapsed = clock.ElapsedMilliseconds;
        string spread = string.Join(", ", perWorker.Select(p => $"{p.Key}: {p.Value}"));
        log.Say("sink", $"collected {collected} results ({spread})");
        log.Say("sink", $"{totalWork} ms of work done in {elapsed} ms of time: the workers ran side by side");

        context.Shutdown();
        threads.Join(DemoKit.Patience);
        bool ok = collected == Tasks && threads.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? $"{Tasks} tasks shared by {perWorker.Count} workers ({spread}); the sink got every result"
            : $"the sink got {collected} of {Tasks} results");
    }

    /// <summary>A worker: pulls a task "N:ms", works that long, pushes "task N done by NAME".</summary>
    private static void Work(string name, ZmqSocket tasks, ZmqSocket results, DemoLog log)
    {
        using (tasks)
        using (results)
        {
            while (true)
            {
                string[] task = tasks.ReceiveString().Split(':'); // ends with ETERM when the demo is over
                int ms = int.Parse(task[1], CultureInfo.InvariantCulture);
                log.Say(name, $"<- task {task[0]} ({ms} ms of work)");
                Thread.Sleep(ms);
                results.Send($"task {task[0]} done by {name}");
            }
        }
    }
}
