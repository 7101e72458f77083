using System.Diagnostics;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter4;

/// <summary>
/// `zguide titanic` and `zguide ticlient` with `zguide mdbroker` and `zguide mdworker`, as the Guide runs
/// them: the client's requests wait on disk until the echo worker comes, and survive a titanic kill -9.
/// </summary>
[TestFixture]
[CancelAfter(90_000)]
public class TitanicExampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly List<ZguideProcess> _processes = [];
    private string _directory = string.Empty;
    private string _endpoint = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "titanic-example-" + Guid.NewGuid().ToString("N"));
        _endpoint = $"tcp://127.0.0.1:{ZguideProcess.FreePort()}";
        var broker = Start("mdbroker", "--bind", _endpoint, "--heartbeat-ms", "200");
        broker.WaitForLine("I: MDP broker/0.2.0 is active at", Wait);
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _processes.Clear();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public void Ticlient_WorkerStartsLate_NoReplyYetThenEveryReplyPrintedAndClosed()
    {
        StartTitanic();
        var client = Start("ticlient", "--connect", _endpoint, "--count", "3", "--poll-ms", "100");
        client.WaitForLines(l => l.StartsWith("I: request UUID ", StringComparison.Ordinal), 3, Wait);
        client.WaitForLine("I: no reply yet, trying again...", Wait);
        Assert.That(Directory.GetFiles(_directory, "*.req"), Has.Length.EqualTo(3), "the requests wait on disk");

        Start("mdworker", "--connect", _endpoint, "--heartbeat-ms", "200");

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
        Assert.That(client.Lines.Where(l => l.StartsWith("Reply: ", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "Reply: Hello world 1", "Reply: Hello world 2", "Reply: Hello world 3" }));
        Assert.That(client.Lines.Where(l => l.StartsWith("I: request UUID ", StringComparison.Ordinal)).Select(l => l[16..]),
            Has.All.Match("^[0-9A-F]{32}$"));
        Assert.That(Directory.GetFiles(_directory), Is.Empty, "titanic.close removed each request and reply");
    }

    [Test]
    public void Ticlient_TitanicKilledWhileRequestWaits_RestartedTitanicDeliversTheReply()
    {
        var titanic = StartTitanic();
        var client = Start("ticlient", "--connect", _endpoint, "--poll-ms", "100", "--timeout-ms", "1000", "--retries", "10");
        string uuid = client.WaitForLine("I: request UUID ", Wait)[16..];
        client.WaitForLine("I: no reply yet, trying again...", Wait);

        Process.GetProcessById(titanic.Id).Kill(); // kill -9: the request lives only on disk now
        titanic.WaitForExit(Wait);
        var restarted = StartTitanic();
        Assert.That(restarted.Lines, Has.Some.Contains("1 pending request(s)"));
        Start("mdworker", "--connect", _endpoint, "--heartbeat-ms", "200");

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
        Assert.That(client.Lines, Does.Contain("Reply: Hello world"));
        Assert.That(File.Exists(Path.Combine(_directory, uuid + ".req")), Is.False, "closed");
    }

    [Test]
    public void DemoTitanic_OneProcess_RequestsWaitThenEveryReplyAndSaysSo()
    {
        var result = Zguide.Run(["demo", "titanic"], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        Assert.That(result.Stdout, Does.Contain("-> 300 (Pending)"));
        Assert.That(result.Stdout.TrimEnd(), Does.EndWith("then 3 echoed replies and closed"));
        Assert.That(result.Stdout, Does.Match(@"stores requests in (\S+);"));
        string directory = System.Text.RegularExpressions.Regex.Match(result.Stdout, @"stores requests in (\S+);").Groups[1].Value;
        Assert.That(Directory.Exists(directory), Is.False, "the demo removes its temporary directory");
    }

    private ZguideProcess StartTitanic()
    {
        var titanic = Start("titanic", "--connect", _endpoint, "--dir", _directory, "--heartbeat-ms", "200", "--reconnect-ms", "200",
            "--dispatch-timeout-ms", "500", "--dispatch-interval-ms", "100");
        titanic.WaitForLine("I: titanic is active", Wait);
        return titanic;
    }

    private ZguideProcess Start(params string[] arguments)
    {
        var process = ZguideProcess.Start(arguments);
        _processes.Add(process);
        return process;
    }
}
