using System.Globalization;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter1;

/// <summary>`zguide taskvent`, `taskwork` and `tasksink`: the Guide's parallel pipeline as four processes over tcp.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class TaskVentExampleTests
{
    private const int Tasks = 10;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public void TaskVent_TwoWorkersAndASink_SinkCountsEveryTaskAndBothWorkersWork()
    {
        int ventPort = ZguideProcess.FreePort();
        int sinkPort = ZguideProcess.FreePort();
        string vent = $"tcp://127.0.0.1:{ventPort}";
        string sinkEndpoint = $"tcp://127.0.0.1:{sinkPort}";
        using var sink = ZguideProcess.Start("tasksink", "--bind", sinkEndpoint, "--tasks", Tasks.ToString(CultureInfo.InvariantCulture));

        // --workers 2: the ventilator starts when its monitor has seen both workers' handshakes,
        // instead of waiting for someone to judge that and press Enter.
        using var ventilator = ZguideProcess.Start("taskvent", "--bind", vent, "--sink", sinkEndpoint, "--tasks", Tasks.ToString(CultureInfo.InvariantCulture), "--workers", "2");
        using var worker1 = ZguideProcess.Start("taskwork", "--connect", vent, "--sink", sinkEndpoint);
        using var worker2 = ZguideProcess.Start("taskwork", "--connect", vent, "--sink", sinkEndpoint);

        Assert.That(ventilator.WaitForExit(Timeout), Is.EqualTo(0), string.Join('\n', ventilator.Errors));
        Assert.That(sink.WaitForExit(Timeout), Is.EqualTo(0), string.Join('\n', sink.Errors));

        // The sink prints ':' for every tenth result and '.' for the others, then the time, on one line.
        var report = Regex.Match(sink.Lines.Single(), @"^([:.]*)Total elapsed time: \d+ msec$");
        Assert.That(report.Success, Is.True, sink.Lines.Single());
        Assert.That(report.Groups[1].Value, Is.EqualTo(":........."), "one mark per task");

        Assert.That(ventilator.Lines, Has.Count.EqualTo(3));
        Assert.That(ventilator.Lines[0], Is.EqualTo("Waiting for 2 workers to connect..."));
        Assert.That(ventilator.Lines[1], Is.EqualTo("Sending tasks to workers..."));
        var cost = Regex.Match(ventilator.Lines[2], @"^Total expected cost: (\d+) msec$");
        Assert.That(cost.Success, Is.True, ventilator.Lines[2]);

        // Each worker printed "workload." per task, on one line with no newline; they loop forever.
        var workloads = new[] { worker1, worker2 }.Select(w => Workloads(w.Stop(Timeout))).ToList();
        Assert.That(workloads, Has.All.Count.GreaterThan(0), "both workers got tasks");
        Assert.That(workloads.Sum(w => w.Count), Is.EqualTo(Tasks));
        Assert.That(workloads.SelectMany(w => w), Has.All.InRange(1, 100));
        Assert.That(workloads.Sum(w => w.Sum()), Is.EqualTo(int.Parse(cost.Groups[1].Value, CultureInfo.InvariantCulture)), "the workers did exactly the tasks the ventilator sent");
    }

    [Test]
    public void TaskVent_EnterPressed_PromptsThenSendsTheBatch()
    {
        var lines = RunOneTaskBatch(noWait: false);

        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0], Is.EqualTo("Press Enter when the workers are ready: Sending tasks to workers..."));
        Assert.That(lines[1], Does.Match(@"^Total expected cost: \d+ msec$"));
    }

    [Test]
    public void TaskVent_NoWait_SendsAtOnceWithoutPrompt()
    {
        var lines = RunOneTaskBatch(noWait: true);

        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0], Is.EqualTo("Sending tasks to workers..."));
        Assert.That(lines[1], Does.Match(@"^Total expected cost: \d+ msec$"));
    }

    /// <summary>Runs a sink, one worker and the ventilator for a batch of two tasks; returns what the ventilator printed.</summary>
    private static List<string> RunOneTaskBatch(bool noWait)
    {
        string vent = $"tcp://127.0.0.1:{ZguideProcess.FreePort()}";
        string sinkEndpoint = $"tcp://127.0.0.1:{ZguideProcess.FreePort()}";
        using var sink = ZguideProcess.Start("tasksink", "--bind", sinkEndpoint, "--tasks", "2");
        using var worker = ZguideProcess.Start("taskwork", "--connect", vent, "--sink", sinkEndpoint, "--tasks", "2");
        using var ventilator = noWait
            ? ZguideProcess.Start("taskvent", "--bind", vent, "--sink", sinkEndpoint, "--tasks", "2", "--no-wait")
            : ZguideProcess.Start("taskvent", "--bind", vent, "--sink", sinkEndpoint, "--tasks", "2");
        if (!noWait)
        {
            ventilator.Input.WriteLine();
            ventilator.Input.Flush();
        }

        Assert.That(ventilator.WaitForExit(Timeout), Is.EqualTo(0), string.Join('\n', ventilator.Errors));
        Assert.That(worker.WaitForExit(Timeout), Is.EqualTo(0), string.Join('\n', worker.Errors));
        Assert.That(sink.WaitForExit(Timeout), Is.EqualTo(0), string.Join('\n', sink.Errors));
        Assert.That(sink.Lines.Single(), Does.StartWith(":.Total elapsed time: "));
        Assert.That(Workloads(worker.Lines), Has.Count.EqualTo(2));
        return ventilator.Lines;
    }

    private static List<int> Workloads(List<string> lines) =>
        string.Concat(lines).Split('.', StringSplitOptions.RemoveEmptyEntries).Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToList();
}
