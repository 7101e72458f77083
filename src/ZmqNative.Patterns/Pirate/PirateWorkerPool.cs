namespace ZmqNative.Patterns.Pirate;

/// <summary>
/// The queue's view of its workers: the idle ones in least-recently-used order (the one that has
/// waited longest gets the next request), the busy ones (holding a request), and when each expires.
/// The Simple Pirate queue uses it without expiry; the Paranoid Pirate queue with the worker TTL
/// (heartbeat interval times liveness, as the Guide's ppqueue computes it).
/// </summary>
/// <remarks>
/// Two deliberate differences from the Guide's ppqueue, which appends a worker to its list on every
/// message: a heartbeat from an idle worker refreshes its expiry but keeps its place (a heartbeat is
/// not work, so it must not make a worker "recently used"), and a heartbeat from a busy worker keeps
/// it busy (so a worker is never given a second request while it works on one). Times are
/// milliseconds on any monotonic clock the caller chooses. Not thread-safe: the queue's loop owns it.
/// </remarks>
internal sealed class PirateWorkerPool
{
    private readonly Dictionary<string, Worker> _workers = new(StringComparer.Ordinal);
    private readonly LinkedList<Worker> _idle = new();
    private readonly long _ttl;

    /// <summary>Creates an empty pool.</summary>
    /// <param name="ttlMilliseconds">How long a worker stays without a sign of life; <see cref="long.MaxValue"/> never expires.</param>
    public PirateWorkerPool(long ttlMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttlMilliseconds, 0);
        _ttl = ttlMilliseconds;
    }

    /// <summary>Workers known (idle and busy).</summary>
    public int Count => _workers.Count;

    /// <summary>Workers waiting for a request.</summary>
    public int IdleCount => _idle.Count;

    /// <summary>Every known worker's identity (idle first in LRU order, then busy), for heartbeats.</summary>
    public List<byte[]> Identities()
    {
        var all = _idle.Select(w => w.Identity).ToList();
        all.AddRange(_workers.Values.Where(w => w.Busy).Select(w => w.Identity));
        return all;
    }

    /// <summary>The earliest expiry among the known workers, or null when there are none (or none expire).</summary>
    public long? NextExpiry()
    {
        if (_ttl == long.MaxValue || _workers.Count == 0)
        {
            return null;
        }

        return _workers.Values.Min(w => w.Expiry);
    }

    /// <summary>Whether a worker is known.</summary>
    public bool Contains(byte[] identity) => _workers.ContainsKey(Key(identity));

    /// <summary>Whether a known worker holds a request.</summary>
    public bool IsBusy(byte[] identity) => _workers.TryGetValue(Key(identity), out var w) && w.Busy;

    /// <summary>
    /// The worker is ready for work: it said READY, or it returned a reply. A new or busy worker
    /// goes to the end of the idle list; an idle one keeps its place. Its expiry is refreshed.
    /// </summary>
    /// <returns>True when it was not idle before (it became available).</returns>
    public bool Ready(byte[] identity, long now)
    {
        var worker = Find(identity, now, out bool created);
        worker.Expiry = Expiry(now);
        if (!created && !worker.Busy)
        {
            return false;
        }

        worker.Busy = false;
        worker.Node = _idle.AddLast(worker);
        return true;
    }

    /// <summary>
    /// A heartbeat (or any other sign of life): refreshes the worker's expiry. An unknown worker is
    /// taken as idle (after a queue restart, workers that said READY to the old queue announce
    /// themselves only by their heartbeats, and the Guide's queue accepts them so).
    /// </summary>
    /// <returns>True when the worker was unknown and is now idle.</returns>
    public bool Heartbeat(byte[] identity, long now)
    {
        var worker = Find(identity, now, out bool created);
        worker.Expiry = Expiry(now);
        if (created)
        {
            worker.Node = _idle.AddLast(worker);
        }

        return created;
    }

    /// <summary>Takes the least recently used idle worker and marks it busy.</summary>
    /// <returns>Its identity, or null when no worker is idle.</returns>
    public byte[]? Next()
    {
        var first = _idle.First;
        if (first is null)
        {
            return null;
        }

        _idle.RemoveFirst();
        var worker = first.Value;
        worker.Node = null;
        worker.Busy = true;
        return worker.Identity;
    }

    /// <summary>Forgets a worker (it disconnected).</summary>
    /// <returns>True when it was known.</returns>
    public bool Remove(byte[] identity)
    {
        if (!_workers.Remove(Key(identity), out var worker))
        {
            return false;
        }

        if (worker.Node is not null)
        {
            _idle.Remove(worker.Node);
            worker.Node = null;
        }

        return true;
    }

    /// <summary>Drops every worker whose expiry has come.</summary>
    /// <returns>The dropped workers: identity and whether it was holding a request.</returns>
    public List<(byte[] Identity, bool Busy)> Purge(long now)
    {
        var expired = new List<(byte[], bool)>();
        if (_ttl == long.MaxValue)
        {
            return expired;
        }

        foreach (var worker in _workers.Values.Where(w => now >= w.Expiry).ToList())
        {
            Remove(worker.Identity);
            expired.Add((worker.Identity, worker.Busy));
        }

        return expired;
    }

    private static string Key(byte[] identity) => Convert.ToHexString(identity);

    private long Expiry(long now) => _ttl == long.MaxValue ? long.MaxValue : now + _ttl;

    private Worker Find(byte[] identity, long now, out bool created)
    {
        string key = Key(identity);
        if (_workers.TryGetValue(key, out var worker))
        {
            created = false;
            return worker;
        }

        worker = new Worker(identity) { Expiry = Expiry(now) };
        _workers.Add(key, worker);
        created = true;
        return worker;
    }

    private sealed class Worker(byte[] identity)
    {
        public byte[] Identity { get; } = identity;

        public long Expiry { get; set; }

        public bool Busy { get; set; }

        public LinkedListNode<Worker>? Node { get; set; }
    }
}
