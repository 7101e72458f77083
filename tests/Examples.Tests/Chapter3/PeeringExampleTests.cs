using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter3;

/// <summary>
/// `zguide peering1`, `peering2` and `peering3`: brokers as separate processes, named on the command
/// line, talking over ipc endpoints in a temporary folder.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public class PeeringExampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("zguide-peer-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    [Test]
    public void Peering1_ThreeBrokers_EachHearsTheOthersCapacity()
    {
        string[] names = ["DC1", "DC2", "DC3"];
        var brokers = names.Select(me => ZguideProcess.Start(
            ["peering1", me, .. names.Where(n => n != me), "--ipc-dir", _folder.FullName, "--heartbeat-ms", "100"])).ToList();
        try
        {
            foreach (var (me, broker) in names.Zip(brokers))
            {
                broker.WaitForLine($"I: preparing broker at {me}...", Wait);
                foreach (string peer in names.Where(n => n != me))
                {
                    broker.WaitForLines(l => Regex.IsMatch(l, $"^{peer} - [0-9] workers free$"), 2, Wait);
                }
            }

            foreach (var broker in brokers)
            {
                var lines = broker.Stop(Wait);
                Assert.That(lines.Skip(3), Has.All.Match("^DC[123] - [0-9] workers free$"));
            }
        }
        finally
        {
            brokers.ForEach(b => b.Dispose());
        }
    }

    [TestCase("peering1")]
    [TestCase("peering2")]
    [TestCase("peering3")]
    public void Peering_NoName_PrintsSyntax(string example)
    {
        var result = Zguide.Run([example], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Stdout.Trim(), Is.EqualTo($"syntax: {example} me {{you}}..."));
    }

    [Test]
    public void Peering2_BrokerWithoutClients_ItsWorkersServeThePeersRequests()
    {
        // A sends every request to the cloud; B has workers but no clients of its own, so every
        // request B's workers print came from A, and A's clients get their replies through B.
        using var a = ZguideProcess.Start("peering2", "A", "B", "--ipc-dir", _folder.FullName,
            "--clients", "3", "--workers", "1", "--cloud-percent", "100", "--interval-ms", "50");
        using var b = ZguideProcess.Start("peering2", "B", "A", "--ipc-dir", _folder.FullName, "--no-wait", "--clients", "0", "--workers", "2");

        // A waits for Enter, as the Guide's does, once its sockets are set up.
        a.WaitForLine("I: connecting to cloud frontend at 'B'", Wait);
        b.WaitForLine("I: connecting to cloud frontend at 'A'", Wait);
        a.Input.WriteLine();
        a.Input.Flush();

        b.WaitForLines(l => l.Contains("Worker: [005] HELLO", StringComparison.Ordinal), 3, Wait);
        a.WaitForLines(l => l.Contains("Client: OK", StringComparison.Ordinal), 3, Wait);
        Assert.That(b.Lines.Skip(2), Has.All.EqualTo("Worker: [005] HELLO"));
        Assert.That(b.Errors.Concat(a.Errors), Is.Empty);
    }

    [Test]
    public void Peering3_BrokerWithoutWorkers_ItsClientsTasksAreDoneByThePeersWorkers()
    {
        // A has clients and no workers: a task comes back only if it went to B's workers and back.
        using var a = ZguideProcess.Start("peering3", "A", "B", "--ipc-dir", _folder.FullName,
            "--clients", "2", "--workers", "0", "--pause-ms", "50", "--heartbeat-ms", "100");
        using var b = ZguideProcess.Start("peering3", "B", "A", "--ipc-dir", _folder.FullName,
            "--clients", "0", "--workers", "3", "--work-ms", "20", "--heartbeat-ms", "100");

        a.WaitForLines(l => Regex.IsMatch(l, "^[0-9A-F]{4}$"), 5, Wait);
        var lines = a.Stop(Wait);
        b.Stop(Wait);

        Assert.That(lines.Take(3), Is.EqualTo(new[] { "I: preparing broker at A...", "I: connecting to cloud frontend at 'B'", "I: connecting to state backend at 'B'" }));
        Assert.That(lines.Skip(3), Has.All.Match("^[0-9A-F]{4}$"), "only answered task ids; no client lost a task");
    }
}
