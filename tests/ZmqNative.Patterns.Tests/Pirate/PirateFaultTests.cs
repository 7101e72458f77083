using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>
/// Fault injection with real processes: `zguide` lpserver, spqueue, ppqueue and their workers are
/// killed with SIGKILL (kill -9) and restarted while an lpclient runs, and the client's output shows
/// that every reply matched its request, in order, with nothing lost or doubled.
/// </summary>
[TestFixture]
[CancelAfter(180_000)]
public partial class PirateFaultTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Test]
    public void LazyPirate_ServerKilledAndRestarted_ClientRetriesAndEveryReplyMatchesItsRequest()
    {
        int port = ZguideProcess.FreePort();
        string bind = $"tcp://127.0.0.1:{port}";
        var server = ZguideProcess.Start("lpserver", "--bind", bind, "--work-ms", "20", "--no-failures");
        ZguideProcess? restarted = null;
        try
        {
            using var client = ZguideProcess.Start("lpclient", "--connect", bind, "--timeout-ms", "1000", "--retries", "30", "--requests", "30");
            client.WaitForLine("I: server replied OK (5)", Wait);

            Kill(server);
            client.WaitForLine("W: no response from server, retrying...", Wait);
            int answeredBeforeRestart = Replies(client.Lines).Last();
            restarted = ZguideProcess.Start("lpserver", "--bind", bind, "--work-ms", "20", "--no-failures");

            Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
            // Every request answered once, in order: nothing lost, doubled or reordered across the crash.
            Assert.That(Replies(client.Lines), Is.EqualTo(Enumerable.Range(1, 30)));
            // The restarted server's first request is the one the client was retrying.
            Assert.That(restarted.Lines.First(), Is.EqualTo($"I: normal request ({answeredBeforeRestart + 1})"));
        }
        finally
        {
            server.Dispose();
            restarted?.Dispose();
        }
    }

    [Test]
    public void LazyPirate_ServerGoneForGood_ClientGivesUpAfterItsRetries()
    {
        int port = ZguideProcess.FreePort();
        string bind = $"tcp://127.0.0.1:{port}";
        using var server = ZguideProcess.Start("lpserver", "--bind", bind, "--work-ms", "0", "--no-failures");
        using var client = ZguideProcess.Start("lpclient", "--connect", bind, "--timeout-ms", "300", "--retries", "3");
        client.WaitForLine("I: server replied OK (3)", Wait);

        Kill(server);

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(1));
        var afterLastReply = client.Lines.SkipWhile(l => !l.StartsWith("W:", StringComparison.Ordinal)).ToList();
        Assert.That(afterLastReply, Is.EqualTo(new[]
        {
            "W: no response from server, retrying...",
            "I: connecting to server...",
            "W: no response from server, retrying...",
            "I: connecting to server...",
            "E: server seems to be offline, abandoning",
        }));
    }

    [Test]
    public void SimplePirate_OneWorkerKilledMidRequest_ClientRetryGoesToTheOther()
    {
        int front = ZguideProcess.FreePort();
        int back = ZguideProcess.FreePort();
        using var queue = ZguideProcess.Start("spqueue", "--frontend", $"tcp://127.0.0.1:{front}", "--backend", $"tcp://127.0.0.1:{back}", "-v");
        using var doomed = ZguideProcess.Start("spworker", "--connect", $"tcp://127.0.0.1:{back}", "--identity", "DOOMED", "--work-ms", "60000", "--no-failures");
        queue.WaitForLine("I: worker ready (DOOMED)", Wait);
        using var healthy = ZguideProcess.Start("spworker", "--connect", $"tcp://127.0.0.1:{back}", "--identity", "HEALTHY", "--work-ms", "0", "--no-failures");
        queue.WaitForLine("I: worker ready (HEALTHY)", Wait);

        using var client = ZguideProcess.Start("lpclient", "--connect", $"tcp://127.0.0.1:{front}", "--timeout-ms", "1500", "--retries", "5", "--requests", "5");
        // DOOMED waited longest, so it gets request 1; kill it while it works on it.
        queue.WaitForLine("I: request to worker (DOOMED)", Wait);
        Kill(doomed);

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
        Assert.That(Replies(client.Lines), Is.EqualTo(Enumerable.Range(1, 5)));
        Assert.That(client.Lines, Does.Contain("W: no response from server, retrying..."));
        Assert.That(healthy.Lines.Count(l => l == "I: (HEALTHY) normal reply"), Is.EqualTo(5));
    }

    [Test]
    public void ParanoidPirate_QueueKilledAndRestarted_WorkersReconnectWithBackoffAndClientCompletes()
    {
        int front = ZguideProcess.FreePort();
        int back = ZguideProcess.FreePort();
        string[] queueArgs = ["ppqueue", "--frontend", $"tcp://127.0.0.1:{front}", "--backend", $"tcp://127.0.0.1:{back}", "--heartbeat-ms", "250"];
        var queue = ZguideProcess.Start(queueArgs);
        ZguideProcess? restarted = null;
        var workers = new[] { "W1", "W2" }.Select(name => ZguideProcess.Start(
            "ppworker", "--connect", $"tcp://127.0.0.1:{back}", "--identity", name, "--heartbeat-ms", "250",
            "--reconnect-ms", "250", "--reconnect-max-ms", "1000", "--work-ms", "20", "--no-failures")).ToList();
        try
        {
            using var client = ZguideProcess.Start("lpclient", "--connect", $"tcp://127.0.0.1:{front}", "--timeout-ms", "1000", "--retries", "60", "--requests", "40");
            client.WaitForLine("I: server replied OK (5)", Wait);

            Kill(queue);
            // Each worker notices the silence and backs off: 250 ms, then 500 ms, ...
            foreach (var worker in workers)
            {
                worker.WaitForLine("W: heartbeat failure, can't reach queue", Wait);
                worker.WaitForLines(l => l.StartsWith("W: reconnecting in", StringComparison.Ordinal), 2, Wait);
            }

            int handledBeforeRestart = workers.Sum(w => w.Lines.Count(l => l == "I: normal reply"));
            restarted = ZguideProcess.Start(queueArgs);

            Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
            Assert.That(Replies(client.Lines), Is.EqualTo(Enumerable.Range(1, 40)));
            Assert.That(workers.Sum(w => w.Lines.Count(l => l == "I: normal reply")), Is.GreaterThan(handledBeforeRestart), "the reconnected workers served the rest");
            foreach (var worker in workers)
            {
                var delays = worker.Lines.Select(l => ReconnectDelay().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
                Assert.That(delays.Zip(delays.Skip(1)).All(p => p.Second == 250 || p.Second == Math.Min(p.First * 2, 1000)), Is.True, "each delay starts over or doubles up to the max: " + string.Join(", ", delays));
                Assert.That(delays.Zip(delays.Skip(1)).Any(p => p == (250, 500)), Is.True, "the delay doubled at least once: " + string.Join(", ", delays));
            }
        }
        finally
        {
            queue.Dispose();
            restarted?.Dispose();
            workers.ForEach(w => w.Dispose());
        }
    }

    [Test]
    public void ParanoidPirate_WorkerKilledMidRequest_QueueExpiresItAndNeverRoutesToItAgain()
    {
        int front = ZguideProcess.FreePort();
        int back = ZguideProcess.FreePort();
        using var queue = ZguideProcess.Start("ppqueue", "--frontend", $"tcp://127.0.0.1:{front}", "--backend", $"tcp://127.0.0.1:{back}", "--heartbeat-ms", "250", "-v");
        using var doomed = ZguideProcess.Start("ppworker", "--connect", $"tcp://127.0.0.1:{back}", "--identity", "DOOMED", "--heartbeat-ms", "250", "--work-ms", "60000", "--no-failures");
        queue.WaitForLine("I: worker ready (DOOMED)", Wait);
        using var healthy = ZguideProcess.Start("ppworker", "--connect", $"tcp://127.0.0.1:{back}", "--identity", "HEALTHY", "--heartbeat-ms", "250", "--work-ms", "0", "--no-failures");
        queue.WaitForLine("I: worker ready (HEALTHY)", Wait);

        using var client = ZguideProcess.Start("lpclient", "--connect", $"tcp://127.0.0.1:{front}", "--timeout-ms", "1500", "--retries", "5", "--requests", "6");
        queue.WaitForLine("I: request to worker (DOOMED)", Wait);
        Kill(doomed);

        queue.WaitForLine("W: busy worker expired, its request is lost: DOOMED", Wait);
        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
        Assert.That(Replies(client.Lines), Is.EqualTo(Enumerable.Range(1, 6)));
        Assert.That(healthy.Lines.Count(l => l == "I: normal reply"), Is.EqualTo(6));
        // Exactly one request ever went to the dead worker: the one it died holding.
        Assert.That(queue.Lines.Count(l => l == "I: request to worker (DOOMED)"), Is.EqualTo(1));
    }

    /// <summary>kill -9: the process gets no chance to close its sockets.</summary>
    private static void Kill(ZguideProcess process)
    {
        using var target = Process.GetProcessById(process.Id);
        target.Kill();
        Assert.That(target.WaitForExit(Wait), Is.True);
    }

    /// <summary>The sequence numbers of lpclient's "I: server replied OK (n)" lines, in order.</summary>
    private static List<int> Replies(IEnumerable<string> lines) =>
        lines.Select(l => ReplyLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"^I: server replied OK \((\d+)\)$")]
    private static partial Regex ReplyLine();

    [GeneratedRegex(@"^W: reconnecting in (\d+) msec\.\.\.$")]
    private static partial Regex ReconnectDelay();
}
