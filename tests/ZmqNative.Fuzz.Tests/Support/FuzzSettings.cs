using System.Globalization;

namespace ZmqNative.Fuzz.Tests.Support;

/// <summary>
/// How long and with which seed the fuzz cases run. The default test run is bounded (24 s of
/// traffic in all, split over the cases; about a minute with set-up) with a fixed seed, so a failure in CI is the
/// same traffic when replayed; `./build.sh --target=Fuzz --fuzz-minutes=N` sets the environment
/// variables below for a long run with a fresh seed.
/// </summary>
internal static class FuzzSettings
{
    /// <summary>Replays a run: the seed a failing case printed (its cases derive their own seeds from it).</summary>
    public const string SeedVariable = "ZMQNATIVE_FUZZ_SEED";

    /// <summary>Total seconds of traffic over every case (the default run: 24).</summary>
    public const string SecondsVariable = "ZMQNATIVE_FUZZ_SECONDS";

    /// <summary>The number of fuzz cases the total is split over; a test keeps this in step with the cases.</summary>
    public const int Cases = 26;

    /// <summary>The run's seed: ZMQNATIVE_FUZZ_SEED, or 16 (issue 16) for the default run.</summary>
    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) ? seed : 16;

    /// <summary>Total traffic time over every case.</summary>
    public static TimeSpan Total { get; } = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 ? seconds : 24);

    /// <summary>Whether this is a long run (the Fuzz target), which also sends larger oversized frames.</summary>
    public static bool Long => Total > TimeSpan.FromSeconds(120);

    /// <summary>Traffic time for one case.</summary>
    public static TimeSpan PerCase => Total / Cases;

    /// <summary>The largest oversized frame the generator makes.</summary>
    public static int MaxOversizedBytes => Long ? 4 * 1024 * 1024 : 256 * 1024;

    /// <summary>A case's own seed, so cases differ and each is replayed alone with the run's seed.</summary>
    public static int SeedFor(string name)
    {
        // FNV-1a over the name: stable across processes (string.GetHashCode is randomised per process).
        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash ^ Seed;
    }
}
