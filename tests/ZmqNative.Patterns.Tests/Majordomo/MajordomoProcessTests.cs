using System.Diagnostics;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Patterns.Tests.Majordomo;

/// <summary>
/// Real `zguide` processes: the examples end to end, a worker killed with SIGKILL (kill -9), and the
/// broker killed and restarted on the same port. Heartbeats are 200 ms so expiry takes well under a second.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public class MajordomoProcessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly List<ZguideProcess> _processes = [];

    [TearDown]
    public void TearDown()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _processes.Clear();
    }

    [Test]
    public void Mdclient2AndMmiecho_BrokerWithEchoWorker_AllRepliesAndLookup200()
    {
        var (broker, endpoint) = StartBroker(ZguideProcess.FreePort());
        StartWorker(endpoint);
        broker.WaitForLine("I: registering new worker", Wait);

        var lookup = Start("mmiecho", "--connect", endpoint);
        var missing = Start("mmiecho", "--connect", endpoint, "--service", "nosuch");
        var client = Start("mdclient2", "--connect", endpoint, "--requests", "200", "--timeout-ms", "5000");

        Assert.That(lookup.WaitForExit(Wait), Is.EqualTo(0));
        Assert.That(lookup.Lines, Does.Contain("Lookup echo service: 200"));
        Assert.That(missing.WaitForExit(Wait), Is.EqualTo(0));
        Assert.That(missing.Lines, Does.Contain("Lookup nosuch service: 404"));
        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0));
        Assert.That(client.Lines, Does.Contain("200 replies received"));
    }

    [Test]
    public void Broker_OneOfTwoWorkersKilled_ForgetsItAndRoutesEveryRequestToTheOther()
    {
        var (broker, endpoint) = StartBroker(ZguideProcess.FreePort());
        var doomed = StartWorker(endpoint);
        StartWorker(endpoint);
        broker.WaitForLines(l => l.StartsWith("I: registering new worker", StringComparison.Ordinal), 2, Wait);

        Process.GetProcessById(doomed.Id).Kill();
        // The kernel closes the killed worker's connection, so the broker forgets it at once (ROUTER_NOTIFY);
        // heartbeat expiry is the fallback when no close arrives (a cut link: Network/MajordomoLinkCutTests).
        broker.WaitForLines(l => l.StartsWith("I: deleting disconnected worker", StringComparison.Ordinal)
            || l.StartsWith("I: deleting expired worker", StringComparison.Ordinal), 1, Wait);

        // Retries 1: with the dead worker gone from the broker, no request may need a resend.
        var client = Start("mdclient", "--connect", endpoint, "--requests", "50", "--timeout-ms", "5000", "--retries", "1");
        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0));
        Assert.That(client.Lines, Does.Contain("50 requests/replies processed"));
    }

    [Test]
    public void Workers_BrokerKilledAndRestarted_ReRegisterAndRequestsCompleteAgain()
    {
        int port = ZguideProcess.FreePort();
        var (broker, endpoint) = StartBroker(port);
        StartWorker(endpoint);
        StartWorker(endpoint);
        broker.WaitForLines(l => l.StartsWith("I: registering new worker", StringComparison.Ordinal), 2, Wait);
        var before = Start("mdclient", "--connect", endpoint, "--requests", "10", "--timeout-ms", "5000");
        Assert.That(before.WaitForExit(Wait), Is.EqualTo(0));

        Process.GetProcessById(broker.Id).Kill();
        broker.WaitForExit(Wait);
        var (restarted, _) = StartBroker(port);
        restarted.WaitForLines(l => l.StartsWith("I: registering new worker", StringComparison.Ordinal), 2, Wait);

        var after = Start("mdclient", "--connect", endpoint, "--requests", "50", "--timeout-ms", "5000", "--retries", "1");
        Assert.That(after.WaitForExit(Wait), Is.EqualTo(0));
        Assert.That(after.Lines, Does.Contain("50 requests/replies processed"));
    }

    private ZguideProcess Start(params string[] arguments)
    {
        var process = ZguideProcess.Start(arguments);
        _processes.Add(process);
        return process;
    }

    private (ZguideProcess Broker, string Endpoint) StartBroker(int port)
    {
        var broker = Start("mdbroker", "--bind", $"tcp://127.0.0.1:{port}", "--heartbeat-ms", "200");
        broker.WaitForLine("I: MDP broker/0.2.0 is active at", Wait);
        return (broker, $"tcp://127.0.0.1:{port}");
    }

    private ZguideProcess StartWorker(string endpoint) =>
        Start("mdworker", "--connect", endpoint, "--heartbeat-ms", "200", "--reconnect-ms", "200");
}
