using System.Globalization;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter4;

/// <summary>
/// `zguide bstarsrv`, `bstarsrv2` and `bstarcli`: the Binary Star pair forms (primary active, backup passive), the
/// client's numbers come back in order, both servers speak the same wire, and `zguide demo binarystar` fails over.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public partial class BstarExampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public void Bstarsrv_PrimaryAndBackup_PairFormsAndBstarcliGetsEveryNumberBack()
    {
        int[] ports = [ZguideProcess.FreePort(), ZguideProcess.FreePort(), ZguideProcess.FreePort(), ZguideProcess.FreePort()];
        using var primary = Server("bstarsrv", "-p", ports[0], ports[2], ports[3]);
        using var backup = Server("bstarsrv", "-b", ports[1], ports[3], ports[2]);
        primary.WaitForLine("I: connected to backup (passive), ready as active", Wait);
        backup.WaitForLine("I: connected to primary (active), ready as passive", Wait);

        using var client = Client(ports[0], ports[1], "--requests", "5");

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
        Assert.That(client.Lines, Is.EqualTo(new[]
        {
            $"I: connecting to server at tcp://127.0.0.1:{ports[0]}...",
            "I: server replied OK (1)",
            "I: server replied OK (2)",
            "I: server replied OK (3)",
            "I: server replied OK (4)",
            "I: server replied OK (5)",
        }));
        Assert.That(primary.Lines[0], Is.EqualTo("I: Primary active, waiting for backup (passive)"));
        Assert.That(backup.Lines[0], Is.EqualTo("I: Backup passive, waiting for primary (active)"));
    }

    [Test]
    public void Bstarsrv_WithBstarsrv2AsBackup_SameWireSoTheyPairAndFailOver()
    {
        int[] ports = [ZguideProcess.FreePort(), ZguideProcess.FreePort(), ZguideProcess.FreePort(), ZguideProcess.FreePort()];
        using var primary = Server("bstarsrv", "-p", ports[0], ports[2], ports[3]);
        using var backup = Server("bstarsrv2", "-b", ports[1], ports[3], ports[2]);
        primary.WaitForLine("I: connected to backup (passive), ready as active", Wait);
        backup.WaitForLine("I: connected to primary (active), ready as passive", Wait);
        using var client = Client(ports[0], ports[1], "--requests", "30");
        client.WaitForLine("I: server replied OK (3)", Wait);

        primary.Stop(Wait);

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
        Assert.That(Replies(client.Lines), Is.EqualTo(Enumerable.Range(1, 30)));
        Assert.That(client.Lines, Does.Contain("W: no response from server, failing over"));
        backup.WaitForLine("I: failover successful, ready as active", Wait);
    }

    [Test]
    public void Bstarsrv2_PrimaryAlone_ClientVoteMakesItActiveAfterTwoHeartbeats()
    {
        int[] ports = [ZguideProcess.FreePort(), ZguideProcess.FreePort(), ZguideProcess.FreePort(), ZguideProcess.FreePort()];
        using var primary = Server("bstarsrv2", "-p", ports[0], ports[2], ports[3]);
        primary.WaitForLine("I: Primary active, waiting for backup (passive)", Wait);

        using var client = Client(ports[0], ports[1], "--requests", "3");

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
        Assert.That(Replies(client.Lines), Is.EqualTo(new[] { 1, 2, 3 }));
        primary.WaitForLine("I: request from client, ready as active", Wait);
    }

    [TestCase("bstarsrv")]
    [TestCase("bstarsrv2")]
    public void Server_NoRole_ExitsWithTheGuidesUsage(string name)
    {
        var result = Zguide.Run([name], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain($"Usage: {name} {{ -p | -b }}"));
    }

    [Test]
    public void Bstarcli_NoServerAnswers_GivesUpAfterItsAttempts()
    {
        using var client = Client(ZguideProcess.FreePort(), ZguideProcess.FreePort(), "--requests", "1", "--attempts", "2", "--timeout-ms", "100", "--settle-ms", "0");

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(1));
        Assert.That(client.Lines.Skip(1), Is.EqualTo(new[]
        {
            "W: no response from server, failing over",
            client.Lines[2],
            "E: no server answers, abandoning",
        }));
        Assert.That(client.Lines[2], Does.StartWith("I: connecting to server at ").And.Not.EqualTo(client.Lines[0]), "the second attempt went to the other server");
    }

    [Test]
    public void Demo_BinaryStar_PrimaryStopsAndTheClientFailsOverToTheBackup()
    {
        var result = Zguide.Run(["demo", "binarystar"], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        var lines = result.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').ToList();
        int stop = lines.FindIndex(l => Regex.IsMatch(l, " ms  primary +stops"));
        int failover = lines.FindIndex(l => Regex.IsMatch(l, "client +no reply in 400 ms"));
        int active = lines.FindIndex(l => Regex.IsMatch(l, "backup +failover successful, ready as active"));
        Assert.That(stop, Is.GreaterThan(0), result.Stdout);
        Assert.That(failover, Is.GreaterThan(stop), result.Stdout);
        Assert.That(active, Is.GreaterThan(failover), result.Stdout);
        Assert.That(lines.Take(stop).Count(l => Regex.IsMatch(l, "client +<- \"\\d\" from the primary")), Is.EqualTo(3));
        Assert.That(lines.Skip(stop).Count(l => Regex.IsMatch(l, "client +<- \"\\d\" from the backup")), Is.EqualTo(3));
        Assert.That(lines[^1], Does.StartWith("binarystar: OK - "));
    }

    private static ZguideProcess Server(string name, string role, int front, int stateBind, int stateConnect) =>
        ZguideProcess.Start(name, role, "--frontend", $"tcp://127.0.0.1:{front}", "--state-bind", $"tcp://127.0.0.1:{stateBind}",
            "--state-connect", $"tcp://127.0.0.1:{stateConnect}", "--heartbeat-ms", "200");

    private static ZguideProcess Client(int primary, int backup, params string[] extra) =>
        ZguideProcess.Start(["bstarcli", "--primary", $"tcp://127.0.0.1:{primary}", "--backup", $"tcp://127.0.0.1:{backup}",
            "--timeout-ms", "600", "--settle-ms", "300", "--interval-ms", "10", .. extra]);

    private static List<int> Replies(IEnumerable<string> lines) =>
        lines.Select(l => ReplyLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"^I: server replied OK \((\d+)\)$")]
    private static partial Regex ReplyLine();
}
