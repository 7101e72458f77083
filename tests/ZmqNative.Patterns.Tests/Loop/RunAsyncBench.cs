using System.Diagnostics;
using System.Globalization;
using System.Text;
using ZmqNative.Patterns.Freelance;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Tests.Freelance;

namespace ZmqNative.Patterns.Tests.Loop;

/// <summary>
/// Not a test (nothing is asserted about speed): the blocking and awaitable forms measured side by side,
/// alternating in one run, printed as medians with their spread and the per-round ratio. Run with
/// <c>dotnet test tests/ZmqNative.Patterns.Tests -c Release --filter "FullyQualifiedName~RunAsyncBench" --logger "console;verbosity=normal"</c>.
/// </summary>
[TestFixture]
[Explicit("a measurement, run by hand")]
[Category("Bench")]
[CancelAfter(600_000)]
public class RunAsyncBench
{
    private const int Rounds = 7;

    /// <summary>Majordomo broker, Run on a thread vs RunAsync awaited: requests per second through one worker, 100 in flight.</summary>
    [Test]
    public void MajordomoBroker_RunVersusRunAsync_Throughput()
    {
        Alternate("broker req/s", "Run", "RunAsync", awaited => BrokerRound(awaited, 20_000), higherIsBetter: true);
    }

    /// <summary>FreelanceClient, TryRequest vs RequestAsync: round trip through the agent to an in-process server.</summary>
    [Test]
    public void FreelanceClient_TryRequestVersusRequestAsync_RoundTrip()
    {
        using var context = new ZmqContext();
        using var server = new NamedServer(context, "A");
        using var client = new FreelanceClient(context, new FreelanceClientOptions { PingInterval = TimeSpan.FromMilliseconds(200) });
        client.Connect(server.Endpoint);
        while (!client.TryRequest("warm", out _))
        {
        }

        Alternate("freelance round trip us", "TryRequest", "RequestAsync", awaited => FreelanceRound(client, awaited, 3_000), higherIsBetter: false);
    }

    private static double BrokerRound(bool awaited, int requests)
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        using var broker = new MajordomoBroker(context, new MajordomoBrokerOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(500) });
        broker.Bind("inproc://bench-broker");
        var brokerRun = awaited ? broker.RunAsync(stop.Token) : Task.Factory.StartNew(() => broker.Run(stop.Token), TaskCreationOptions.LongRunning);
        var workerRun = Task.Factory.StartNew(
            () =>
            {
                using var worker = new MajordomoWorker(context, "inproc://bench-broker", "echo", new MajordomoWorkerOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(500) });
                worker.Run(body => body, stop.Token);
            },
            TaskCreationOptions.LongRunning);
        using var client = new MajordomoAsyncClient(context, "inproc://bench-broker", new MajordomoClientOptions { Timeout = TimeSpan.FromSeconds(20) });
        byte[] body = Encoding.ASCII.GetBytes("x");
        Assert.That(Roundtrip(client, body), Is.Not.Null, "warm-up");

        var clock = Stopwatch.StartNew();
        int sent = 0;
        for (; sent < 100; sent++)
        {
            client.Send("echo", [body]);
        }

        for (int received = 0; received < requests; received++)
        {
            Assert.That(client.Receive("echo"), Is.Not.Null);
            if (sent < requests)
            {
                client.Send("echo", [body]);
                sent++;
            }
        }

        double rate = requests / clock.Elapsed.TotalSeconds;
        stop.Cancel();
        Assert.That(Task.WaitAll([brokerRun, workerRun], RunAsyncTesting.Wait), Is.True);
        return rate;
    }

    private static List<byte[]>? Roundtrip(MajordomoAsyncClient client, byte[] body)
    {
        client.Send("echo", [body]);
        return client.Receive("echo");
    }

    private static double FreelanceRound(FreelanceClient client, bool awaited, int calls)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++)
        {
            string? reply = awaited ? client.RequestAsync("x").AsTask().GetAwaiter().GetResult() : client.TryRequest("x", out var r) ? r : null;
            Assert.That(reply, Is.EqualTo("A:x"));
        }

        return clock.Elapsed.TotalMicroseconds / calls;
    }

    /// <summary>Runs the two forms alternately, <see cref="Rounds"/> each, and prints medians, spreads and the paired ratio (b / a).</summary>
    private static void Alternate(string what, string a, string b, Func<bool, double> round, bool higherIsBetter)
    {
        var first = new List<double>();
        var second = new List<double>();
        var ratios = new List<double>();
        for (int i = 0; i < Rounds; i++)
        {
            bool bFirst = i % 2 == 1; // alternate which form goes first within a round
            double x, y;
            if (bFirst)
            {
                y = round(true);
                x = round(false);
            }
            else
            {
                x = round(false);
                y = round(true);
            }

            first.Add(x);
            second.Add(y);
            ratios.Add(y / x);
        }

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {a} {Median(first):F1} ({first.Min():F1}..{first.Max():F1}), {b} {Median(second):F1} ({second.Min():F1}..{second.Max():F1}); {b}/{a} per round {Median(ratios):F2} ({ratios.Min():F2}..{ratios.Max():F2}){(higherIsBetter ? " (higher is better)" : " (lower is better)")}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
