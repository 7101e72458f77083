using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ZmqNative;

/// <summary>
/// The one deadline rule of every timed or interrupted wait in the library: a wait ends at the
/// time its call began plus its timeout, so an interruption (EINTR: the .NET runtime signals its
/// own threads) is retried for the time left, never for a fresh timeout.
/// </summary>
internal readonly struct Deadline
{
    private readonly long _start;
    private readonly int _timeoutMs;

    private Deadline(long start, int timeoutMs)
    {
        _start = start;
        _timeoutMs = timeoutMs;
    }

    /// <summary>No deadline: waits for ever; reads no clock.</summary>
    public static Deadline Infinite => new(0, -1);

    /// <summary>Whether this deadline never passes.</summary>
    public bool IsInfinite => _timeoutMs < 0;

    /// <summary>From now, for a TimeSpan timeout (<see cref="Timeout.InfiniteTimeSpan"/> is infinite).</summary>
    /// <param name="timeout">The timeout.</param>
    /// <param name="name">The parameter name an invalid timeout is reported under.</param>
    public static Deadline Start(TimeSpan timeout, [CallerArgumentExpression(nameof(timeout))] string name = "timeout") =>
        FromMilliseconds(ZmqSocket.ToMilliseconds(timeout, name));

    /// <summary>From now, in milliseconds as libzmq counts them: -1 infinite, 0 already passed.</summary>
    /// <param name="timeoutMs">The timeout.</param>
    public static Deadline FromMilliseconds(int timeoutMs) =>
        timeoutMs < 0 ? Infinite : new(Stopwatch.GetTimestamp(), timeoutMs);

    /// <summary>Milliseconds left (at least 1 while not passed), 0 when passed, -1 for infinite.</summary>
    public int RemainingMilliseconds()
    {
        if (_timeoutMs < 0)
        {
            return -1;
        }

        long left = _timeoutMs - (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
        return left <= 0 ? 0 : (int)left;
    }
}
