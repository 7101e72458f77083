namespace ZmqNative.Patterns.Pirate;

/// <summary>
/// Exponential reconnect back-off as the Paranoid Pirate worker does it (Guide chapter 4): wait the
/// current delay, then double it for next time, up to a maximum (INTERVAL_INIT 1 s, INTERVAL_MAX 32 s),
/// so a worker whose queue is gone does not open and close sockets in a tight loop. Any message from
/// the queue resets it.
/// </summary>
/// <remarks>
/// The Guide doubles while the delay is below the maximum, which can overshoot it when the initial
/// delay is not the maximum divided by a power of two; this class caps the delay at the maximum.
/// Not thread-safe: one loop owns it.
/// </remarks>
public sealed class ReconnectBackoff
{
    /// <summary>Creates a back-off that starts at <paramref name="initial"/>.</summary>
    /// <param name="initial">The first delay, more than zero.</param>
    /// <param name="max">The longest delay, at least <paramref name="initial"/>.</param>
    public ReconnectBackoff(TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        Initial = initial;
        Max = max;
        Current = initial;
    }

    /// <summary>The first delay, and the one after <see cref="Reset"/>.</summary>
    public TimeSpan Initial { get; }

    /// <summary>The cap.</summary>
    public TimeSpan Max { get; }

    /// <summary>The delay the next <see cref="Next"/> returns.</summary>
    public TimeSpan Current { get; private set; }

    /// <summary>Takes the delay to wait now and doubles the one after it, capped at <see cref="Max"/>.</summary>
    /// <returns>The delay to wait before this reconnect.</returns>
    public TimeSpan Next()
    {
        var delay = Current;
        Current = Current >= Max / 2 ? Max : Current * 2;
        return delay;
    }

    /// <summary>The peer is back: the next delay is <see cref="Initial"/> again.</summary>
    public void Reset() => Current = Initial;
}
