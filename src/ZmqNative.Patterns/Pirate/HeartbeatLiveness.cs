namespace ZmqNative.Patterns.Pirate;

/// <summary>
/// The Guide's heartbeat liveness counter (chapter 4, "Heartbeating for Paranoid Pirate"): how many
/// heartbeat intervals in a row may pass without a word from the peer before it is considered dead.
/// Any message from the peer resets it; each silent interval counts it down; at zero the peer is gone.
/// </summary>
/// <remarks>Not thread-safe: one loop owns it.</remarks>
public sealed class HeartbeatLiveness
{
    /// <summary>Creates a counter that starts full.</summary>
    /// <param name="liveness">Silent intervals tolerated, at least 1 (the Guide's HEARTBEAT_LIVENESS is 3; RFC 6: "usually 3-5").</param>
    public HeartbeatLiveness(int liveness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(liveness, 1);
        Liveness = liveness;
        Remaining = liveness;
    }

    /// <summary>The full count it is reset to.</summary>
    public int Liveness { get; }

    /// <summary>Silent intervals still tolerated; 0 means the peer is considered dead.</summary>
    public int Remaining { get; private set; }

    /// <summary>Whether the count has run out.</summary>
    public bool IsExhausted => Remaining == 0;

    /// <summary>The peer spoke: the count is full again.</summary>
    public void Reset() => Remaining = Liveness;

    /// <summary>One interval passed in silence: counts down (never below zero).</summary>
    /// <returns>True when the count has reached zero: the peer is considered dead.</returns>
    public bool Miss()
    {
        if (Remaining > 0)
        {
            Remaining--;
        }

        return Remaining == 0;
    }
}
