using System.Diagnostics;
using ZmqNative.Fuzz.Tests.Generator;

namespace ZmqNative.Fuzz.Tests.Support;

/// <summary>A server under fuzz: where to send, and how to check the four rules on it.</summary>
internal sealed class FuzzTarget
{
    /// <summary>The case's name (also what its seed is derived from).</summary>
    public required string Name { get; init; }

    /// <summary>Where hostile peers go.</summary>
    public required IReadOnlyList<FuzzEndpoint> Endpoints { get; init; }

    /// <summary>Rule 1: null while the server is up, otherwise why it is not (exit code, exception, output).</summary>
    public required Func<string?> CheckUp { get; init; }

    /// <summary>Rule 2: one well-behaved request/reply through the server; null when it was served, otherwise what went wrong.</summary>
    public required Func<string?> RoundTrip { get; init; }

    /// <summary>Rule 3: the server's descriptors and memory.</summary>
    public required Func<ResourceSample> Sample { get; init; }

    /// <summary>Rule 4 (servers that write files): null when nothing was written, changed or removed outside the server's directory.</summary>
    public Func<string?>? CheckFiles { get; init; }

    /// <summary>Where a flood of requests that an unbounded queue would keep goes (none: no flood).</summary>
    public FuzzEndpoint? Flood { get; init; }

    /// <summary>Hostile traffic of the server's own kind, sent in every burst besides the common kinds.</summary>
    public Action<FuzzAttacker, TrafficGenerator, CancellationToken>? Extra { get; init; }
}

/// <summary>
/// Runs bursts of hostile traffic at a <see cref="FuzzTarget"/> and checks after each: the server
/// is still up, a well-behaved client is still served, nothing was written outside its directory;
/// and at the end: descriptors and memory stayed within a generous bound of what they were after
/// the warm-up burst (a bound on growth, never a timing).
/// </summary>
internal static class FuzzRun
{
    /// <summary>Descriptors a server may hold beyond its warm-up count (connections still closing, lazily opened files).</summary>
    public const int FileDescriptorSlack = 64;

    /// <summary>Memory a server may gain beyond its warm-up sample; each burst floods more than half of this, so an unbounded queue exceeds it within two bursts.</summary>
    public const long MemorySlackBytes = 64L * 1024 * 1024;

    /// <summary>How long the end sample may wait for connections and queued data that a burst left behind to go (shorter than any server's own expiry, so a queue that only empties by expiring still fails).</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(15);

    /// <summary>Flood requests per burst and their body size: 3,000 x 16 KiB = 48 MiB offered per burst.</summary>
    public const int FloodRequests = 3000;

    /// <summary>The body size of a flood request.</summary>
    public const int FloodBodyBytes = 16 * 1024;

    /// <summary>Bursts after the warm-up, at least, whatever the time budget: the resource rule needs growth to show.</summary>
    public const int MinimumBursts = 2;

    /// <summary>Runs the case; fails the test with the seed and the burst when a rule breaks.</summary>
    public static void Run(ZmqContext context, FuzzTarget target)
    {
        int seed = FuzzSettings.SeedFor(target.Name);
        var generator = new TrafficGenerator(seed, FuzzSettings.MaxOversizedBytes);
        var attacker = new FuzzAttacker(context, generator);
        var cancellation = TestContext.CurrentContext.CancellationToken;
        string replay = $"seed {seed}; replay with {FuzzSettings.SeedVariable}={FuzzSettings.Seed} and --filter \"Name~{target.Name}\"";
        TestContext.Out.WriteLine($"fuzz {target.Name}: {replay}; {FuzzSettings.PerCase.TotalSeconds:F1} s of traffic");

        void Check(int burst)
        {
            string where = burst == 0 ? "the warm-up burst" : $"burst {burst}";
            string? broken = target.CheckUp() is { } down ? $"the server is down: {down}"
                : target.RoundTrip() is { } unserved ? $"a well-behaved client was not served: {unserved}"
                : target.CheckFiles?.Invoke() is { } outside ? $"a file outside its directory changed: {outside}"
                : null;
            if (broken is not null)
            {
                Assert.Fail($"{target.Name}: {broken}\n(after {where}: {attacker.Counts}; {replay})");
            }
        }

        // Served before any hostile traffic: a process that is still starting is not a failure.
        if ((target.CheckUp() ?? target.RoundTrip()) is { } notServing)
        {
            Assert.Fail($"{target.Name}: not serving before the fuzzing started: {notServing}");
        }

        Burst(target, attacker, generator, cancellation);
        Check(0);
        var baseline = target.Sample();
        TestContext.Out.WriteLine($"  warm-up: {attacker.Counts}; then {baseline}");
        var clock = Stopwatch.StartNew();
        int bursts = 0;
        while ((bursts < MinimumBursts || clock.Elapsed < FuzzSettings.PerCase) && !cancellation.IsCancellationRequested)
        {
            bursts++;
            Burst(target, attacker, generator, cancellation);
            Check(bursts);
            TestContext.Out.WriteLine($"  burst {bursts}: {attacker.Counts}");
        }

        // Closing is asynchronous (libzmq closes a connection's fd in its I/O thread, a process frees
        // what a dropped peer held when it notices): what a burst left behind may still be going away
        // right after it. A bound that holds comes back within the settle time; growth that stays fails.
        var settle = Stopwatch.StartNew();
        var final = target.Sample();
        while ((final.FileDescriptors > baseline.FileDescriptors + FileDescriptorSlack || final.MemoryBytes > baseline.MemoryBytes + MemorySlackBytes)
            && settle.Elapsed < SettleTime)
        {
            Thread.Sleep(250);
            final = target.Sample();
        }

        TestContext.Out.WriteLine($"  {bursts} bursts in {clock.Elapsed.TotalSeconds:F1} s; after warm-up {baseline}, at the end {final} (settled in {settle.Elapsed.TotalSeconds:F1} s)");
        Assert.That(final.FileDescriptors, Is.LessThanOrEqualTo(baseline.FileDescriptors + FileDescriptorSlack),
            $"{target.Name}: file descriptors grew from {baseline.FileDescriptors} to {final.FileDescriptors} over {bursts} bursts ({replay})");
        Assert.That(final.MemoryBytes, Is.LessThanOrEqualTo(baseline.MemoryBytes + MemorySlackBytes),
            $"{target.Name}: {final.What} grew from {baseline.MemoryBytes >> 20} MiB to {final.MemoryBytes >> 20} MiB over {bursts} bursts, more than {MemorySlackBytes >> 20} MiB ({replay})");
    }

    private static void Burst(FuzzTarget target, FuzzAttacker attacker, TrafficGenerator generator, CancellationToken cancellation)
    {
        attacker.NewBurst();
        foreach (var endpoint in target.Endpoints)
        {
            attacker.Messages(endpoint, 300, cancellation);
        }

        if (target.Flood is { } flood)
        {
            attacker.Flood(flood, FloodRequests, FloodBodyBytes, cancellation);
        }

        target.Extra?.Invoke(attacker, generator, cancellation);
        attacker.Storm(target.Endpoints, 40);
        foreach (var endpoint in target.Endpoints.Where(e => !e.Bind))
        {
            attacker.RawTcp(endpoint.Endpoint, 16, cancellation);
        }
    }
}
