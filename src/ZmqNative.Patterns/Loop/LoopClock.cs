namespace ZmqNative.Patterns.Loop;

/// <summary>
/// The one clock of the Patterns loops: milliseconds on a <see cref="TimeProvider"/>'s monotonic
/// timestamp (never the wall clock, which jumps). Components with a <c>TimeProvider</c> option (Majordomo,
/// Binary Star, Clone server) pass theirs, so tests can drive time; the others use
/// <see cref="TimeProvider.System"/>.
/// </summary>
internal static class LoopClock
{
    /// <summary>Now, in milliseconds on the provider's monotonic clock (an arbitrary origin: only differences count).</summary>
    /// <param name="time">The clock.</param>
    public static long NowMilliseconds(this TimeProvider time) => (long)time.GetElapsedTime(0).TotalMilliseconds;

    /// <summary>A TimeSpan as whole milliseconds, at least 1 (the loops' unit for intervals).</summary>
    /// <param name="span">The interval.</param>
    public static long Milliseconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalMilliseconds));

    /// <summary>From <paramref name="now"/> until <paramref name="at"/>, never negative (a poller timeout).</summary>
    /// <param name="at">The deadline, in <see cref="NowMilliseconds"/> units.</param>
    /// <param name="now">Now, in the same units.</param>
    public static TimeSpan Until(long at, long now) => TimeSpan.FromMilliseconds(Math.Max(0, at - now));
}
