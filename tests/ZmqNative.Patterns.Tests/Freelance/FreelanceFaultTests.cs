using System.Collections.Concurrent;
using System.Diagnostics;
using ZmqNative.Examples.Tests.Support;
using ZmqNative.Patterns.Freelance;

namespace ZmqNative.Patterns.Tests.Freelance;

/// <summary>
/// Fault injection with real processes: three `zguide` Freelance servers, one killed with SIGKILL
/// (kill -9) while clients run; the clients keep getting answers from the others.
/// </summary>
[TestFixture]
[CancelAfter(180_000)]
public class FreelanceFaultTests
{
    internal static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Test]
    public void Flclient3_OneOfThreeServersKilled_CompletesEveryLookup()
    {
        var endpoints = Enumerable.Range(0, 3).Select(_ => $"tcp://127.0.0.1:{ZguideProcess.FreePort()}").ToList();
        var servers = endpoints.Select(StartServer3).ToList();
        try
        {
            Kill(servers[0]);
            using var client = ZguideProcess.Start(["flclient3", .. endpoints, "--requests", "300", "--ping-ms", "300", "--ttl-ms", "1500", "--retry-ms", "500", "-v"]);

            Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
            Assert.That(client.Lines.Last(), Does.StartWith("Average round trip cost: "));
            Assert.That(client.Lines, Does.Not.Contain("E: name service not available, aborting"));
            // The killed server never answers a ping; the live ones do (how many before the run ends depends on timing).
            var alive = client.Lines.Where(l => l.StartsWith("I: server alive", StringComparison.Ordinal)).ToList();
            Assert.That(alive, Is.Not.Empty);
            Assert.That(alive, Is.SubsetOf(new[] { $"I: server alive: {endpoints[1]}", $"I: server alive: {endpoints[2]}" }));
        }
        finally
        {
            servers.ForEach(s => s.Dispose());
        }
    }

    [Test]
    public void Flclient2_OneOfThreeServersKilled_CompletesEveryLookup()
    {
        var endpoints = Enumerable.Range(0, 3).Select(_ => $"tcp://127.0.0.1:{ZguideProcess.FreePort()}").ToList();
        var servers = endpoints.Select(e => ZguideProcess.Start("flserver2", e)).ToList();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                servers[i].WaitForLine($"I: service is ready at {endpoints[i]}", Wait);
            }

            Kill(servers[1]);
            using var client = ZguideProcess.Start(["flclient2", .. endpoints, "--requests", "300"]);

            Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
            Assert.That(client.Lines, Has.Count.EqualTo(1));
            Assert.That(client.Lines[0], Does.StartWith("Average round trip cost: "));
        }
        finally
        {
            servers.ForEach(s => s.Dispose());
        }
    }

    [Test]
    public void Flclient1_FirstServerKilled_FailsOverToTheSecond()
    {
        var endpoints = Enumerable.Range(0, 2).Select(_ => $"tcp://127.0.0.1:{ZguideProcess.FreePort()}").ToList();
        var servers = endpoints.Select(e => ZguideProcess.Start("flserver1", e)).ToList();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                servers[i].WaitForLine($"I: echo service is ready at {endpoints[i]}", Wait);
            }

            Kill(servers[0]);
            using var client = ZguideProcess.Start(["flclient1", .. endpoints, "--timeout-ms", "500"]);

            Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
            Assert.That(client.Lines, Is.EqualTo(new[]
            {
                $"I: trying echo service at {endpoints[0]}...",
                $"W: no response from {endpoints[0]}",
                $"I: trying echo service at {endpoints[1]}...",
                "Service is running OK",
            }));
        }
        finally
        {
            servers.ForEach(s => s.Dispose());
        }
    }

    [Test]
    public void Flclient1_OnlyServerGone_RetriesThenGivesUp()
    {
        string endpoint = $"tcp://127.0.0.1:{ZguideProcess.FreePort()}";
        using var client = ZguideProcess.Start("flclient1", endpoint, "--timeout-ms", "200");

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(1));
        Assert.That(client.Lines.Count(l => l == $"W: no response from {endpoint}, retrying..."), Is.EqualTo(3));
        Assert.That(client.Lines, Does.Not.Contain("Service is running OK"));
    }

    internal static ZguideProcess StartServer3(string endpoint)
    {
        var server = ZguideProcess.Start("flserver3", "--bind", endpoint, "--connect", endpoint);
        server.WaitForLine($"I: service is ready at {endpoint}", Wait);
        return server;
    }

    internal static void Kill(ZguideProcess process)
    {
        using var target = Process.GetProcessById(process.Id);
        target.Kill();
        Assert.That(target.WaitForExit(Wait), Is.True);
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds, re-checking each time the request loop signals progress.</summary>
    internal static void WaitUntil(AutoResetEvent progress, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            var left = Wait - clock.Elapsed;
            Assert.That(left > TimeSpan.Zero && progress.WaitOne(left), Is.True, "the condition did not come true in time");
        }
    }
}

/// <summary>
/// FreelanceClient (model three) with real `zguide flserver3` processes, one killed with SIGKILL and
/// restarted while requests run; against TryRequest and RequestAsync.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
[CancelAfter(180_000)]
public class FreelanceClientFaultTests(bool awaitable)
{
    private static readonly TimeSpan Wait = FreelanceFaultTests.Wait;

    [Test]
    public void FreelanceClient_PreferredOfThreeServersKilledThenRestarted_NoRequestFailsAndItIsUsedAgain()
    {
        var endpoints = Enumerable.Range(0, 3).Select(_ => $"tcp://127.0.0.1:{ZguideProcess.FreePort()}").ToList();
        var servers = endpoints.Select(StartServer3).ToList();
        ZguideProcess? restarted = null;
        var replies = new ConcurrentQueue<string>();
        var alive = new ConcurrentDictionary<string, bool>();
        using var allAlive = new ManualResetEventSlim();
        var options = new FreelanceClientOptions
        {
            // The Guide's global timeout; shorter pings, TTL and retry so the test takes seconds.
            PingInterval = TimeSpan.FromMilliseconds(300),
            ServerTtl = TimeSpan.FromMilliseconds(1500),
            RetryInterval = TimeSpan.FromMilliseconds(500),
            Observer = e =>
            {
                if (e.Kind == FreelanceEventKind.ReplyReceived)
                {
                    replies.Enqueue(e.Endpoint!);
                }
                else if (e.Kind == FreelanceEventKind.ServerAlive && alive.TryAdd(e.Endpoint!, true) && alive.Count == 3)
                {
                    allAlive.Set();
                }
            },
        };
        int ok = 0;
        int failed = 0;
        using var stop = new CancellationTokenSource();
        using var progress = new AutoResetEvent(false);
        try
        {
            using var client = new FreelanceClient(options);
            endpoints.ForEach(client.Connect);
            Assert.That(allAlive.Wait(Wait), Is.True, "every server answers its first ping");
            // The awaitable loop runs on no thread of its own: the client's engine completes its calls.
            var requests = awaitable
                ? Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref await client.RequestAsync("random name") == "OK" ? ref ok : ref failed);
                        progress.Set();
                    }
                })
                : FreelanceTesting.Background(() =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref client.TryRequest("random name", out var reply) && reply == "OK" ? ref ok : ref failed);
                        progress.Set();
                    }
                });

            WaitUntil(progress, () => Volatile.Read(ref ok) >= 20);
            // The first connected server is preferred (a reply slower than the retry interval may also come from another).
            Assert.That(replies, Does.Contain(endpoints[0]));

            Kill(servers[0]);
            int atKill = Volatile.Read(ref ok);
            WaitUntil(progress, () => Volatile.Read(ref ok) >= atKill + 100);
            var whileDown = replies.Skip(atKill + 5).Distinct().ToList();

            restarted = StartServer3(endpoints[0]);
            int atRestart = replies.Count;
            WaitUntil(progress, () => replies.Skip(atRestart).Contains(endpoints[0]));

            stop.Cancel();
            FreelanceTesting.Join(requests);
            Assert.That(Volatile.Read(ref failed), Is.Zero, "no request failed while one of three servers was down");
            Assert.That(whileDown, Does.Contain(endpoints[1]), "the next server in line took over");
            Assert.That(whileDown, Is.SubsetOf(endpoints.Skip(1)));
        }
        finally
        {
            stop.Cancel();
            servers.ForEach(s => s.Dispose());
            restarted?.Dispose();
        }
    }

    private static ZguideProcess StartServer3(string endpoint) => FreelanceFaultTests.StartServer3(endpoint);

    private static void Kill(ZguideProcess process) => FreelanceFaultTests.Kill(process);

    private static void WaitUntil(AutoResetEvent progress, Func<bool> condition) => FreelanceFaultTests.WaitUntil(progress, condition);
}
