using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Patterns.Tests.BinaryStar;

/// <summary>
/// Fault injection with real processes: a `zguide bstarsrv2` pair with a 200 ms heartbeat, `zguide bstarcli`
/// clients and a probe that asks both servers in turn. The primary is killed with SIGKILL (kill -9) and
/// restarted, and the pair is misconfigured the ways the Guide warns about (two primaries, a state link that
/// cannot connect, a one-way link after a failover).
/// </summary>
[TestFixture]
[Category("Fault")]
[CancelAfter(120_000)]
public partial class BinaryStarFaultTests
{
    private const string Heartbeat = "200";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public void PrimaryKilled_BackupBecomesActiveAndServesEveryRequestOnceInOrder()
    {
        var pair = new Ports();
        using var backup = Server("-b", pair.BackupFront, pair.BackupState, pair.PrimaryState);
        var primary = Server("-p", pair.PrimaryFront, pair.PrimaryState, pair.BackupState);
        try
        {
            WaitForPair(primary, backup);
            using var client = Client(pair, requests: 40);
            client.WaitForLine("I: server replied OK (5)", Wait);

            Kill(primary);

            backup.WaitForLine("I: failover successful, ready as active", Wait);
            Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
            // Every number answered exactly once, in order: the one in flight at the kill was resent to the backup.
            Assert.That(Replies(client.Lines), Is.EqualTo(Enumerable.Range(1, 40)));
            // Timeout + settle delay (500 + 300 ms) outlast two heartbeats (400 ms): the backup took the very first vote.
            Assert.That(client.Lines.Count(l => l == "W: no response from server, failing over"), Is.EqualTo(1), string.Join('\n', client.Lines));
            Assert.That(client.Lines, Does.Contain($"I: connecting to server at tcp://127.0.0.1:{pair.BackupFront}..."));
            TestContext.Out.WriteLine($"failed over after reply {Replies(client.Lines.TakeWhile(l => !l.StartsWith("W:", StringComparison.Ordinal))).Last()}; 40 of 40 answered in order");
        }
        finally
        {
            primary.Dispose();
        }
    }

    [Test]
    public void PrimaryRestartedAfterFailover_ComesBackPassiveAndTheBackupKeepsServing()
    {
        var pair = new Ports();
        using var backup = Server("-b", pair.BackupFront, pair.BackupState, pair.PrimaryState);
        var primary = Server("-p", pair.PrimaryFront, pair.PrimaryState, pair.BackupState);
        ZguideProcess? restarted = null;
        try
        {
            WaitForPair(primary, backup);
            using var client = Client(pair, requests: 60);
            client.WaitForLine("I: server replied OK (5)", Wait);
            Kill(primary);
            backup.WaitForLine("I: failover successful, ready as active", Wait);
            int beforeRestart = Replies(client.WaitForLines(l => ReplyLine().IsMatch(l), 1, Wait)).Count;

            restarted = Server("-p", pair.PrimaryFront, pair.PrimaryState, pair.BackupState, "-v");

            restarted.WaitForLine("I: connected to backup (active), ready as passive", Wait);
            // The restarted primary refuses a client while its peer is alive: recovery is manual.
            using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
            using var probe = new Probe(context, pair);
            probe.Ask(0, 1);
            restarted.WaitForLine("D: request refused while Passive", Wait);

            Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
            Assert.That(Replies(client.Lines), Is.EqualTo(Enumerable.Range(1, 60)));
            Assert.That(client.Lines.Count(l => l == "W: no response from server, failing over"), Is.EqualTo(1), "served by the backup after the restart too");
            Assert.That(backup.Lines.Where(l => l.StartsWith("I: ", StringComparison.Ordinal) || l.StartsWith("E: ", StringComparison.Ordinal)), Is.EqualTo(new[]
            {
                "I: Backup passive, waiting for primary (active)",
                "I: connected to primary (active), ready as passive",
                "I: failover successful, ready as active",
            }), "the backup stayed active through the restart");
            Assert.That(restarted.Lines, Has.None.Contains("ready as active"));
            Assert.That(beforeRestart, Is.LessThan(60));
        }
        finally
        {
            primary.Dispose();
            restarted?.Dispose();
        }
    }

    [Test]
    public void BothStartedAsPrimary_DualPrimariesReportedAndNeverBothServe()
    {
        var pair = new Ports();
        using var one = Server("-p", pair.PrimaryFront, pair.PrimaryState, pair.BackupState);
        using var two = Server("-p", pair.BackupFront, pair.BackupState, pair.PrimaryState);
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var probe = new Probe(context, pair);

        var rounds = new List<(bool, bool)>();
        var clock = Stopwatch.StartNew();
        while (one.Lines.Concat(two.Lines).All(l => !l.Contains("dual primaries", StringComparison.Ordinal)) && clock.Elapsed < Wait)
        {
            rounds.Add(probe.Round(rounds.Count + 1));
        }

        for (int i = 0; i < 4; i++)
        {
            rounds.Add(probe.Round(rounds.Count + 1));
        }

        var reported = new[] { one, two }.Where(s => s.Lines.Contains("E: fatal error - dual primaries, aborting")).ToList();
        Assert.That(reported, Is.Not.Empty, "the conflict was reported");
        Assert.That(reported.Select(s => s.WaitForExit(Wait)), Has.All.EqualTo(1), "a server in conflict stops");
        Assert.That(rounds, Has.None.EqualTo((true, true)), Describe(rounds));
        TestContext.Out.WriteLine(Describe(rounds));
    }

    [Test]
    public void StateLinkCannotConnect_OnlyThePrimaryServesAndTheBackupNeverDoes()
    {
        var pair = new Ports();
        int nowhere1 = ZguideProcess.FreePort();
        int nowhere2 = ZguideProcess.FreePort();
        using var primary = Server("-p", pair.PrimaryFront, pair.PrimaryState, nowhere1);
        using var backup = Server("-b", pair.BackupFront, pair.BackupState, nowhere2);
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var probe = new Probe(context, pair);

        var rounds = new List<(bool Primary, bool Backup)>();
        var clock = Stopwatch.StartNew();
        while (rounds.Count(r => r.Primary) < 5 && clock.Elapsed < Wait)
        {
            rounds.Add(probe.Round(rounds.Count + 1));
        }

        Assert.That(rounds.Count(r => r.Primary), Is.EqualTo(5), Describe(rounds));
        Assert.That(rounds, Has.None.Matches<(bool Primary, bool Backup)>(r => r.Backup), Describe(rounds));
        Assert.That(primary.Lines, Does.Contain("I: request from client, ready as active"));
        Assert.That(backup.Lines, Is.EqualTo(new[] { "I: Backup passive, waiting for primary (active)" }));
        TestContext.Out.WriteLine(Describe(rounds));
    }

    [Test]
    public void PrimaryRestartedWithAOneWayStateLink_DualActivesReportedAndNeverBothServe()
    {
        var pair = new Ports();
        using var backup = Server("-b", pair.BackupFront, pair.BackupState, pair.PrimaryState, "-v");
        var primary = Server("-p", pair.PrimaryFront, pair.PrimaryState, pair.BackupState);
        ZguideProcess? restarted = null;
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        try
        {
            WaitForPair(primary, backup);
            Kill(primary);
            using var probe = new Probe(context, pair);
            var rounds = new List<(bool Primary, bool Backup)>();
            var clock = Stopwatch.StartNew();
            while (!rounds.Any(r => r.Backup) && clock.Elapsed < Wait)
            {
                rounds.Add(probe.Round(rounds.Count + 1));
            }

            backup.WaitForLine("I: failover successful, ready as active", Wait);

            // The primary comes back but cannot hear the backup (its state link points nowhere); the backup hears it.
            int heard = backup.Lines.Count(l => l == "D: peer state: 1 (Primary)");
            restarted = Server("-p", pair.PrimaryFront, pair.PrimaryState, ZguideProcess.FreePort());
            backup.WaitForLines(l => l == "D: peer state: 1 (Primary)", heard + 1, Wait);

            // Votes reach both: the primary, hearing nobody, goes active after two heartbeats; the backup hears
            // it say so and stops.
            while (!backup.Lines.Contains("E: fatal error - dual actives, aborting") && clock.Elapsed < Wait * 2)
            {
                rounds.Add(probe.Round(rounds.Count + 1));
            }

            for (int i = 0; i < 4; i++)
            {
                rounds.Add(probe.Round(rounds.Count + 1));
            }

            Assert.That(backup.WaitForExit(Wait), Is.EqualTo(1), string.Join('\n', backup.Lines.Where(l => !l.StartsWith("D:", StringComparison.Ordinal))));
            Assert.That(backup.Lines, Does.Contain("E: fatal error - dual actives, aborting"));
            Assert.That(restarted.Lines, Does.Contain("I: request from client, ready as active"));
            Assert.That(rounds, Has.None.EqualTo((true, true)), Describe(rounds));
            Assert.That(rounds.TakeLast(4), Has.All.EqualTo((true, false)), "the one active server left serves: " + Describe(rounds));
            TestContext.Out.WriteLine(Describe(rounds));
        }
        finally
        {
            primary.Dispose();
            restarted?.Dispose();
        }
    }

    private static ZguideProcess Server(string role, int front, int stateBind, int stateConnect, params string[] extra) =>
        ZguideProcess.Start([
            "bstarsrv2", role,
            "--frontend", $"tcp://127.0.0.1:{front}",
            "--state-bind", $"tcp://127.0.0.1:{stateBind}",
            "--state-connect", $"tcp://127.0.0.1:{stateConnect}",
            "--heartbeat-ms", Heartbeat,
            .. extra]);

    private static ZguideProcess Client(Ports pair, int requests) =>
        ZguideProcess.Start(
            "bstarcli", "--primary", $"tcp://127.0.0.1:{pair.PrimaryFront}", "--backup", $"tcp://127.0.0.1:{pair.BackupFront}",
            "--timeout-ms", "500", "--settle-ms", "300", "--interval-ms", "20", "--requests", requests.ToString(CultureInfo.InvariantCulture));

    private static void WaitForPair(ZguideProcess primary, ZguideProcess backup)
    {
        primary.WaitForLine("I: connected to backup (passive), ready as active", Wait);
        backup.WaitForLine("I: connected to primary (active), ready as passive", Wait);
    }

    /// <summary>kill -9: the process gets no chance to close its sockets or say goodbye to its peer.</summary>
    private static void Kill(ZguideProcess process)
    {
        using var target = Process.GetProcessById(process.Id);
        target.Kill();
        Assert.That(target.WaitForExit(Wait), Is.True);
    }

    private static List<int> Replies(IEnumerable<string> lines) =>
        lines.Select(l => ReplyLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    private static string Describe(IEnumerable<(bool, bool)> rounds) =>
        "rounds (primary, backup answered): " + string.Join(" ", rounds.Select(r => $"{(r.Item1 ? 'P' : '-')}{(r.Item2 ? 'B' : '-')}"));

    [GeneratedRegex(@"^I: server replied OK \((\d+)\)$")]
    private static partial Regex ReplyLine();

    /// <summary>Four free ports: each server's frontend and state publisher.</summary>
    private sealed class Ports
    {
        public int PrimaryFront { get; } = ZguideProcess.FreePort();

        public int BackupFront { get; } = ZguideProcess.FreePort();

        public int PrimaryState { get; } = ZguideProcess.FreePort();

        public int BackupState { get; } = ZguideProcess.FreePort();
    }

    /// <summary>
    /// A client that talks to both servers (what the Guide says must not happen in production): DEALER sockets
    /// that ask one server, wait for its answer or a timeout, then the other. A round where both answer would be
    /// split brain seen by a client.
    /// </summary>
    private sealed class Probe : IDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(300);
        private readonly ZmqSocket[] _servers;

        public Probe(ZmqContext context, Ports pair)
        {
            _servers = [Open(context, pair.PrimaryFront), Open(context, pair.BackupFront)];
        }

        /// <summary>Asks the primary, then the backup, with the same number.</summary>
        public (bool Primary, bool Backup) Round(int number) => (Ask(0, number), Ask(1, number));

        /// <summary>Sends <paramref name="number"/> to one server and waits for its echo (older echoes are skipped).</summary>
        public bool Ask(int server, int number)
        {
            string text = number.ToString(CultureInfo.InvariantCulture);
            var socket = _servers[server];
            if (!socket.TrySendMultipart([[], Encoding.ASCII.GetBytes(text)], Patience))
            {
                return false;
            }

            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < Patience)
            {
                var left = Patience - deadline.Elapsed;
                if (left > TimeSpan.Zero && socket.TryReceiveMultipart(left, out var reply) && Encoding.ASCII.GetString(reply![^1]) == text)
                {
                    return true;
                }
            }

            return false;
        }

        public void Dispose()
        {
            foreach (var socket in _servers)
            {
                socket.Dispose();
            }
        }

        private static ZmqSocket Open(ZmqContext context, int port)
        {
            var socket = context.CreateSocket(ZmqSocketType.Dealer);
            socket.Connect($"tcp://127.0.0.1:{port}");
            return socket;
        }
    }
}
