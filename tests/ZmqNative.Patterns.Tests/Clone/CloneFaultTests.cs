using System.Diagnostics;
using System.Globalization;
using ZmqNative.Examples.Tests.Support;
using ZmqNative.Patterns.Clone;

namespace ZmqNative.Patterns.Tests.Clone;

/// <summary>
/// Fault injection with real processes: a `zguide clonesrv6` Binary Star pair (200 ms heartbeats and HUGZ) and
/// <see cref="CloneClient"/>s updating it at rate; the primary is killed with SIGKILL (kill -9) mid-stream.
/// </summary>
[TestFixture]
[Category("Fault")]
[CancelAfter(120_000)]
public class CloneFaultTests
{
    [Test]
    public void PrimaryKilledWhileClientsUpdate_EveryClientConvergesToTheSameMapAsALateJoiner()
    {
        int primaryPort = CloneTesting.FreeTriple();
        int backupPort = CloneTesting.FreeTriple();
        int primaryState = ZguideProcess.FreePort();
        int backupState = ZguideProcess.FreePort();
        var primary = Server("-p", primaryPort, backupPort, primaryState, backupState);
        using var backup = Server("-b", backupPort, primaryPort, backupState, primaryState);
        try
        {
            primary.WaitForLine("I: connected to backup (passive), ready as active", CloneTesting.Wait);
            backup.WaitForLine("I: connected to primary (active), ready as passive", CloneTesting.Wait);
            using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
            var servers = new[] { CloneTesting.Address(primaryPort), CloneTesting.Address(backupPort) };
            var clients = Enumerable.Range(0, 3)
                .Select(_ => new RecordingClient(context, new CloneClientOptions { ServerTimeout = TimeSpan.FromSeconds(2) }, servers))
                .ToList();
            try
            {
                Assert.That(clients.All(c => c.Client.WaitForSync(CloneTesting.Wait)), Is.True);
                using var stop = new CancellationTokenSource();
                int[] sets = new int[clients.Count];
                var writers = clients.Select((c, n) => new Thread(() =>
                {
                    var random = new Random(n);
                    while (!stop.IsCancellationRequested)
                    {
                        // 40 shared keys, some deletes: clients overwrite each other's values all the time.
                        string key = "/k/" + random.Next(40).ToString(CultureInfo.InvariantCulture);
                        string value = random.Next(10) == 0 ? string.Empty : $"{n}:{sets[n]}";
                        c.Client.Set(key, value);
                        sets[n]++;
                        stop.Token.WaitHandle.WaitOne(5);
                    }
                })).ToList();
                writers.ForEach(w => w.Start());
                CloneTesting.Until(() => clients.All(c => c.Client.Sequence > 200), "200 updates seen by every client");

                Kill(primary);

                CloneTesting.Until(() => clients.All(c => c.Client.IsSynced && c.Client.CurrentServer.Port == backupPort), "every client on the backup");
                long atFailover = clients.Max(c => c.Client.Sequence);
                CloneTesting.Until(() => clients.All(c => c.Client.Sequence > atFailover + 200), "200 more updates through the backup");
                stop.Cancel();
                writers.ForEach(w => w.Join());

                // Every write has been sent; once the backup has published the last one, every replica must hold the same map.
                using var late = new RecordingClient(context, new CloneClientOptions { ServerTimeout = TimeSpan.FromSeconds(1) }, CloneTesting.Address(backupPort));
                Assert.That(late.Client.WaitForSync(CloneTesting.Wait), Is.True);
                CloneTesting.Until(() => clients.All(c => c.Client.Sequence == late.Client.Sequence) && clients.All(c => Same(c.Map(), late.Map())),
                    "every client to converge on the late joiner's map");

                var map = late.Map();
                Assert.That(map, Is.Not.Empty);
                Assert.That(clients.Select(c => c.Map()), Has.All.EqualTo(map));
                Assert.That(clients.Select(c => c.Events.Count(e => e.Kind == CloneClientEventKind.FailingOver)), Has.All.GreaterThanOrEqualTo(1), "at least the failover from the primary (a loaded machine may add a spurious one)");
                Assert.That(backup.Lines, Does.Contain("I: failover successful, ready as active"));
                TestContext.Out.WriteLine($"{sets.Sum()} sets by {clients.Count} clients; failover at sequence ~{atFailover}; final sequence {late.Client.Sequence}, {map.Count} keys; " +
                    $"backup published {backup.Lines.Count(l => l.StartsWith("I: publishing pending=", StringComparison.Ordinal))} pending updates on failover");
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }
        finally
        {
            primary.Dispose();
        }
    }

    private static bool Same(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    private static void Kill(ZguideProcess process)
    {
        Process.GetProcessById(process.Id).Kill(); // SIGKILL on Unix: no chance to say goodbye
        process.WaitForExit(CloneTesting.Wait);
    }

    private static ZguideProcess Server(string role, int port, int peer, int stateBind, int stateConnect) =>
        ZguideProcess.Start("clonesrv6", role, "--port", port.ToString(CultureInfo.InvariantCulture), "--peer", peer.ToString(CultureInfo.InvariantCulture),
            "--peer-address", "tcp://127.0.0.1", "--state-bind", $"tcp://127.0.0.1:{stateBind}", "--state-connect", $"tcp://127.0.0.1:{stateConnect}",
            "--heartbeat-ms", "200", "--hugz-ms", "200", "--flush-ms", "200");
}
