using System.Text;

namespace ZmqNative.Patterns.Titanic;

/// <summary>
/// Titanic's disk store (the Guide's "one file per message", made crash-safe): requests and replies
/// in a directory the caller chooses, as <c>UUID.req</c> and <c>UUID.rep</c>, plus the queue of
/// requests that have no reply yet, in submission order. Thread-safe: TitanicService's three
/// services and its dispatcher share one store.
/// </summary>
/// <remarks>
/// <para>Every file is written to a temporary name in the same directory, flushed to the device
/// (<c>FileStream.Flush(flushToDisk: true)</c>, fsync), renamed into place and the directory flushed,
/// so a crash at any point leaves either the whole file or none of it under its final name. The
/// pending queue is not a file of its own: each request file carries a sequence number, and the queue
/// is rebuilt at start from the request files that have no reply file, in sequence order. Storing a
/// request therefore costs one file write whatever the queue's length (the Guide's queue file is a
/// second write per request, can be torn by a crash, and is scanned whole on every dispatch pass).</para>
/// <para>At start the store deletes temporary files a crash left (they never became requests or
/// replies), deletes replies whose request is gone (a crash in the middle of a close, which removes
/// the request first so a closed request never looks pending again), and renames any file that does
/// not parse to <c>*.corrupt</c> (only a disk that returns other bytes than were written can cause
/// that; the file is kept for inspection, its UUID becomes unknown).</para>
/// <para>Beside the files the store keeps an index in memory (rebuilt at start from the files): each
/// pending request's service and when it was stored, and when each unclosed reply was stored. A dispatch
/// pass and the retention sweep (<see cref="RemoveExpired"/>) use it and read no file.</para>
/// <para>UUIDs are 32 hexadecimal characters (RFC 9/TSP); anything else is unknown and never becomes a
/// path, so no UUID from the network can make the store write, read or delete outside its directory. Survives: process crashes at any point (kill -9), and power loss for everything acknowledged
/// (a request is on the device before its UUID is returned). Does not survive: loss or corruption of
/// the disk itself, and two stores (two Titanic processes) on one directory at once.</para>
/// </remarks>
public sealed class TitanicStore
{
    private const string RequestExtension = ".req";
    private const string ReplyExtension = ".rep";
    private const string CorruptSuffix = ".corrupt";

    private readonly object _gate = new();
    private readonly SortedDictionary<long, string> _pending = [];
    private readonly Dictionary<string, long> _sequenceOf = new(StringComparer.Ordinal);

    // The index kept beside the files, so a dispatch pass or an expiry sweep reads no file: the service
    // of each pending request, when each request was stored, and when each unclosed reply was stored.
    private readonly Dictionary<string, string> _serviceOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _storedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _answeredAt = new(StringComparer.Ordinal);
    private readonly Action<string>? _log;
    private readonly TimeProvider _time;
    private long _lastSequence;
    private int _requestReads;

    /// <summary>Opens (creating if needed) the store in <paramref name="directory"/>, cleans up after a crash and rebuilds the pending queue.</summary>
    /// <param name="directory">Where requests and replies live (the Guide uses ".titanic"); only one store may use it at a time.</param>
    /// <param name="log">Receives one line per file cleaned up or set aside; null for none.</param>
    /// <param name="timeProvider">
    /// The clock of the retention sweep (<see cref="RemoveExpired"/>); <see cref="TimeProvider.System"/> when null. It is
    /// wall-clock time, compared with the files' modification times after a restart, since an age on disk must outlive the process.
    /// </param>
    public TitanicStore(string directory, Action<string>? log = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        _log = log;
        _time = timeProvider ?? TimeProvider.System;
        System.IO.Directory.CreateDirectory(Directory);
        Recover();
    }

    /// <summary>The store's directory (full path).</summary>
    public string Directory { get; }

    /// <summary>How many stored requests have no reply yet.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>How many stored requests have not been closed (pending or answered): what the store holds on disk.</summary>
    public int StoredCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count + _answeredAt.Count;
            }
        }
    }

    /// <summary>How many request files have been read (by <see cref="TryGetRequest"/>) since the store was opened: lets tests see that a pass reads no file it does not send.</summary>
    internal int RequestReads => Volatile.Read(ref _requestReads);

    /// <summary>Whether <paramref name="uuid"/> is a TSP UUID: exactly 32 hexadecimal characters (RFC 9).</summary>
    /// <param name="uuid">The text to check.</param>
    /// <returns>True for 32 characters 0-9, A-F, a-f; false for anything else, null included.</returns>
    public static bool IsValidUuid(string? uuid) => uuid is { Length: 32 } && uuid.All(char.IsAsciiHexDigit);

    /// <summary>A new UUID as Titanic hands them out: 32 upper-case hexadecimal characters (as the Guide's C titanic).</summary>
    /// <returns>The new UUID.</returns>
    public static string NewUuid() => Guid.NewGuid().ToString("N").ToUpperInvariant();

    /// <summary>
    /// Stores a request durably and queues it as pending; when this returns, the request survives a
    /// crash of the process and of the machine.
    /// </summary>
    /// <param name="request">The TSP request: the service name, then the body frames (RFC 9 titanic.request).</param>
    /// <returns>The request's new UUID.</returns>
    public string StoreRequest(IReadOnlyList<byte[]> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count < 1 || request[0].Length == 0)
        {
            throw new ArgumentException("A TSP request starts with a service name frame.", nameof(request));
        }

        string uuid = NewUuid();
        long sequence = Interlocked.Increment(ref _lastSequence);
        string path = PathOf(uuid, RequestExtension);
        string temp = TitanicFile.WriteTemporary(path, TitanicFile.Encode(sequence, request));
        CrashPoint?.Invoke("request-written");
        lock (_gate)
        {
            TitanicFile.Commit(temp, path);
            _pending.Add(sequence, uuid);
            _sequenceOf.Add(uuid, sequence);
            _serviceOf.Add(uuid, Encoding.UTF8.GetString(request[0]));
            _storedAt.Add(uuid, _time.GetUtcNow());
        }

        return uuid;
    }

    /// <summary>Reads a stored request (service name, then body), whether it has a reply or not.</summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <param name="request">The request's frames, or null.</param>
    /// <returns>False when the UUID is malformed or unknown (closed, never stored, or its file set aside).</returns>
    public bool TryGetRequest(string uuid, out List<byte[]>? request)
    {
        request = null;
        if (Normalize(uuid) is not { } id)
        {
            return false;
        }

        Interlocked.Increment(ref _requestReads);
        return TitanicFile.TryRead(PathOf(id, RequestExtension), out _, out request);
    }

    /// <summary>The service a pending request is for, from the store's index (no file is read).</summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <returns>The service name, or null when the request is not pending (answered, closed, expired, unknown or malformed).</returns>
    public string? PendingService(string uuid)
    {
        if (Normalize(uuid) is not { } id)
        {
            return null;
        }

        lock (_gate)
        {
            return _sequenceOf.ContainsKey(id) && _serviceOf.TryGetValue(id, out string? service) ? service : null;
        }
    }

    /// <summary>
    /// Removes from disk the requests that have waited longer than <paramref name="pendingRetention"/> for a
    /// reply, and the requests whose reply has waited longer than <paramref name="replyRetention"/> for a
    /// titanic.close (as titanic.close would: request first, then reply). Their UUIDs become unknown (RFC 9: 400).
    /// </summary>
    /// <param name="pendingRetention">How long a request may stay pending; <see cref="Timeout.InfiniteTimeSpan"/>: for ever.</param>
    /// <param name="replyRetention">How long an answered request may stay unclosed; <see cref="Timeout.InfiniteTimeSpan"/>: for ever.</param>
    /// <returns>How many requests were removed.</returns>
    public int RemoveExpired(TimeSpan pendingRetention, TimeSpan replyRetention)
    {
        DateTimeOffset now = _time.GetUtcNow();
        List<string> expired;
        lock (_gate)
        {
            expired = [];
            if (pendingRetention != Timeout.InfiniteTimeSpan)
            {
                expired.AddRange(_pending.Values.Where(u => _storedAt.TryGetValue(u, out var at) && now - at > pendingRetention));
            }

            if (replyRetention != Timeout.InfiniteTimeSpan)
            {
                expired.AddRange(_answeredAt.Where(a => now - a.Value > replyRetention).Select(a => a.Key));
            }
        }

        foreach (string uuid in expired)
        {
            Close(uuid);
            _log?.Invoke($"I: request {uuid} expired and removed");
        }

        return expired.Count;
    }

    /// <summary>What titanic.reply answers for <paramref name="uuid"/> (RFC 9): the reply, pending, or unknown.</summary>
    /// <param name="uuid">The request's UUID (either case).</param>
    /// <param name="reply">The stored reply's frames when the result is <see cref="TitanicStatus.Ok"/>.</param>
    /// <returns>
    /// <see cref="TitanicStatus.Ok"/> with the reply; <see cref="TitanicStatus.Pending"/> while the request
    /// waits; <see cref="TitanicStatus.Unknown"/> for a malformed, unknown or closed UUID;
    /// <see cref="TitanicStatus.Error"/> if the reply file cannot be read.
    /// </returns>
    public TitanicStatus GetReply(string uuid, out List<byte[]>? reply)
    {
        reply = null;
        if (Normalize(uuid) is not { } id)
        {
            return TitanicStatus.Unknown;
        }

        string replyPath = PathOf(id, ReplyExtension);
        if (File.Exists(replyPath))
        {
            if (TitanicFile.TryRead(replyPath, out _, out reply))
            {
                return TitanicStatus.Ok;
            }

            // Closed between the two calls (gone), or unreadable (kept for a person to look at).
            return File.Exists(replyPath) ? TitanicStatus.Error : TitanicStatus.Unknown;
        }

        return File.Exists(PathOf(id, RequestExtension)) ? TitanicStatus.Pending : TitanicStatus.Unknown;
    }

    /// <summary>
    /// Stores the reply to a pending request durably and takes it off the queue. A reply for a request
    /// that was closed meanwhile, or already has one, is dropped (a request gets at most one reply).
    /// </summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <param name="reply">The service's reply frames.</param>
    /// <returns>True if stored; false if dropped.</returns>
    public bool StoreReply(string uuid, IReadOnlyList<byte[]> reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (Normalize(uuid) is not { } id)
        {
            return false;
        }

        long sequence;
        lock (_gate)
        {
            if (!_sequenceOf.TryGetValue(id, out sequence))
            {
                return false;
            }
        }

        string path = PathOf(id, ReplyExtension);
        string temp = TitanicFile.WriteTemporary(path, TitanicFile.Encode(sequence, reply));
        CrashPoint?.Invoke("reply-written");
        lock (_gate)
        {
            // Checked again under the lock: titanic.close may have run while the file was written.
            if (!_sequenceOf.Remove(id))
            {
                File.Delete(temp);
                return false;
            }

            TitanicFile.Commit(temp, path);
            _pending.Remove(sequence);
            _serviceOf.Remove(id);
            _storedAt.Remove(id);
            _answeredAt[id] = _time.GetUtcNow();
            return true;
        }
    }

    /// <summary>Deletes a request and its reply (RFC 9 titanic.close); idempotent, an unknown UUID is fine.</summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <returns>False only for a malformed UUID (nothing is touched); true otherwise.</returns>
    public bool Close(string uuid)
    {
        if (Normalize(uuid) is not { } id)
        {
            return false;
        }

        lock (_gate)
        {
            // The request goes first: a crash between the two deletes leaves an orphan reply (removed
            // at start), never a request without reply, which would look pending and run again.
            string request = PathOf(id, RequestExtension);
            if (File.Exists(request))
            {
                File.Delete(request);
                TitanicFile.FlushDirectory(Directory);
            }

            File.Delete(PathOf(id, ReplyExtension));
            if (_sequenceOf.Remove(id, out long sequence))
            {
                _pending.Remove(sequence);
            }

            _serviceOf.Remove(id);
            _storedAt.Remove(id);
            _answeredAt.Remove(id);
        }

        return true;
    }

    /// <summary>The UUIDs of the requests that have no reply yet, oldest first (a snapshot).</summary>
    /// <returns>The pending UUIDs in submission order.</returns>
    public IReadOnlyList<string> PendingRequests()
    {
        lock (_gate)
        {
            return [.. _pending.Values];
        }
    }

    /// <summary>Test hook: called after a file is written under its temporary name, before the rename ("request-written", "reply-written"); throw to simulate a crash there.</summary>
    internal Action<string>? CrashPoint { get; set; }

    private static string? Normalize(string? uuid) => IsValidUuid(uuid) ? uuid!.ToUpperInvariant() : null;

    private string PathOf(string uuid, string extension) => Path.Combine(Directory, uuid + extension);

    private void Recover()
    {
        var requests = new List<(long Sequence, string Uuid, string Service, DateTimeOffset At)>();
        var replies = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(TitanicFile.TempSuffix, StringComparison.Ordinal))
            {
                // A write a crash interrupted before its rename: it never was a request or reply.
                File.Delete(path);
                _log?.Invoke($"I: removed unfinished write {name}");
                continue;
            }

            string extension = Path.GetExtension(name);
            string uuid = Path.GetFileNameWithoutExtension(name);
            if ((extension != RequestExtension && extension != ReplyExtension) || !IsValidUuid(uuid) || uuid != uuid.ToUpperInvariant())
            {
                continue; // not ours (the Guide's queue file, *.corrupt, anything else)
            }

            if (!TitanicFile.TryRead(path, out long sequence, out var frames))
            {
                File.Move(path, path + CorruptSuffix, overwrite: true);
                _log?.Invoke($"E: {name} does not parse, set aside as {name}{CorruptSuffix}");
                continue;
            }

            // The file's modification time is when it was stored: the age retention counts from, across restarts.
            DateTimeOffset at = File.GetLastWriteTimeUtc(path);
            if (extension == RequestExtension)
            {
                requests.Add((sequence, uuid, frames!.Count > 0 ? Encoding.UTF8.GetString(frames[0]) : string.Empty, at));
            }
            else
            {
                replies.Add(uuid, at);
            }
        }

        var known = new HashSet<string>(requests.Select(r => r.Uuid), StringComparer.Ordinal);
        foreach (string uuid in replies.Keys.Where(r => !known.Contains(r)))
        {
            File.Delete(PathOf(uuid, ReplyExtension));
            _log?.Invoke($"I: removed reply {uuid} whose request was closed");
        }

        foreach (var (sequence, uuid, service, at) in requests)
        {
            _lastSequence = Math.Max(_lastSequence, sequence);
            if (replies.TryGetValue(uuid, out DateTimeOffset answered))
            {
                _answeredAt[uuid] = answered;
            }
            else if (_pending.TryAdd(sequence, uuid))
            {
                _sequenceOf.Add(uuid, sequence);
                _serviceOf[uuid] = service;
                _storedAt[uuid] = at;
            }
        }

        TitanicFile.FlushDirectory(Directory);
    }
}
