using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter3;

/// <summary>`zguide lbbroker`, `lbbroker2` and `lbbroker3`: the load-balancing broker with clients and workers as threads.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class LbbrokerExampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Test]
    public void Lbbroker_SixClientsThreeWorkers_EveryClientAnsweredAndEveryWorkerUsed() =>
        ServesEveryClient("lbbroker", requestsEach: 1, workerLine: "^(Worker-\\d): HELLO$");

    [Test]
    public void Lbbroker_OverTcp_EveryClientAnswered()
    {
        int frontend = ZguideProcess.FreePort();
        int backend = ZguideProcess.FreePort();
        var result = Zguide.Run(["lbbroker", "--frontend", $"tcp://127.0.0.1:{frontend}", "--backend", $"tcp://127.0.0.1:{backend}", "--clients", "4", "--workers", "2"], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("Client-0: OK").And.Contain("Client-3: OK"));
    }

    /// <summary>
    /// Runs a load-balancing broker example with 6 clients and 3 workers over ipc in a temporary
    /// folder, and checks that each client printed one OK per request, that the workers together
    /// printed one line per request, and that every worker handled at least one.
    /// </summary>
    internal static void ServesEveryClient(string example, int requestsEach, string workerLine, params string[] extra)
    {
        var folder = Directory.CreateTempSubdirectory("zguide-lb-");
        try
        {
            string[] arguments =
            [
                example, "--frontend", $"ipc://{folder.FullName}/frontend.ipc", "--backend", $"ipc://{folder.FullName}/backend.ipc",
                "--clients", "6", "--workers", "3", .. extra,
            ];
            var result = Zguide.Run(arguments, Wait);

            Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
            var lines = result.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
            var clients = lines.Where(l => l.StartsWith("Client-", StringComparison.Ordinal)).ToList();
            Assert.That(clients, Has.All.Match("^Client-[0-5]: OK$"), result.Stdout);
            Assert.That(clients.GroupBy(c => c).Select(g => g.Count()), Has.All.EqualTo(requestsEach), "each client got a reply to each request");
            Assert.That(clients.Distinct().Count(), Is.EqualTo(6), "every client was answered");

            var workers = lines.Select(l => Regex.Match(l, workerLine)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
            Assert.That(workers, Has.Count.EqualTo(6 * requestsEach), "one worker line per request:\n" + result.Stdout);
            Assert.That(workers.Distinct().Order(), Is.EqualTo(new[] { "Worker-0", "Worker-1", "Worker-2" }), "the broker spread the work over all workers");
            Assert.That(lines.Length, Is.EqualTo(clients.Count + workers.Count), "nothing else was printed:\n" + result.Stdout);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
