namespace ZmqNative;

/// <summary>
/// Whether a socket's next receive first tries a non-blocking call without the GC transition:
/// a non-blocking receive always does; after a blocking receive's attempt found nothing, the next
/// <see cref="SkipsAfterMiss"/> blocking receives go straight to the blocking call.
/// </summary>
/// <remarks>
/// A failed attempt is dear: on an empty queue libzmq polls its mailbox (a syscall), and when the
/// peer shares the core, that return is where the scheduler switches to it. A request-reply waits
/// on every receive, so its attempts always miss and skipping them wins; a stream misses only when
/// the receiver has caught up, so it keeps attempting. Skipping a fixed 16 came closest to the best
/// of both (measurements: docs/bench/hot-path-decisions.md).
/// </remarks>
internal struct ReceiveAttempts
{
    /// <summary>How many blocking receives skip the attempt after one missed.</summary>
    internal const int SkipsAfterMiss = 16;

    private int _skips;

    /// <summary>Whether this receive makes the attempt; a skipped blocking receive counts down.</summary>
    /// <param name="blocking">Whether the receive may wait (no ZMQ_DONTWAIT).</param>
    public bool Next(bool blocking)
    {
        if (!blocking || _skips == 0)
        {
            return true;
        }

        _skips--;
        return false;
    }

    /// <summary>A blocking receive's attempt found nothing waiting.</summary>
    public void Missed() => _skips = SkipsAfterMiss;
}
