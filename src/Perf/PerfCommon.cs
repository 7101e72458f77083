using System.Diagnostics;
using System.Globalization;

namespace ZmqNative.Perf;

/// <summary>What the tools share: argument parsing, the clock, the context and the output lines.</summary>
internal static class PerfCommon
{
    /// <summary>
    /// Parses a count or size the way the C tools' atoi does for well-formed input; rejects the rest
    /// (the C tools take "abc" as 0, and a count of 0 as a loop that never ends).
    /// </summary>
    public static int Int(string text, string name, int min = 0) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min
            ? value
            : throw new ArgumentException($"{name} must be an integer of at least {min}, not '{text}'");

    /// <summary>
    /// A context set like zmq_init(1): one I/O thread and libzmq's own infinite linger, so that
    /// closing a sender waits until everything queued was handed over (as the C tools rely on),
    /// instead of ZmqContext's bounded default.
    /// </summary>
    public static ZmqContext CreateContext() => new() { DefaultLinger = Timeout.InfiniteTimeSpan };

    /// <summary>Starts a stopwatch (zmq_stopwatch_start: the monotonic clock).</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>Whole microseconds since <paramref name="start"/> (zmq_stopwatch_stop).</summary>
    public static ulong ElapsedMicroseconds(long start) =>
        (ulong)((Stopwatch.GetTimestamp() - start) * 1_000_000.0 / Stopwatch.Frequency);

    /// <summary>The C tools print "%.3f".</summary>
    public static string F3(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    public static int WrongSize()
    {
        Console.WriteLine("message of incorrect size received");
        return 255;
    }

    public static int PrintUsage(string usage)
    {
        Console.WriteLine("usage: " + usage);
        return 1;
    }

    /// <summary>Waits for a helper thread, failing with its exception if it failed.</summary>
    public static void Join(Thread thread, Func<Exception?> failure)
    {
        thread.Join();
        if (failure() is { } e)
        {
            throw new InvalidOperationException("the worker thread failed: " + e.Message, e);
        }
    }
}
