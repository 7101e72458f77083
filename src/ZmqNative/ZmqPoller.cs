using System.Runtime.CompilerServices;
using ZmqNative.SafeHandles;

namespace ZmqNative;

/// <summary>
/// Waits until any of a set of <see cref="ZmqSocket"/>s and raw file descriptors is ready to
/// receive or send (zmq_poller(3), or zmq_poll(3) where the draft API is missing).
/// </summary>
/// <remarks>
/// <para><b>Use.</b> <see cref="Add(ZmqSocket, ZmqPollEvents)"/> sockets and descriptors once, then call
/// <see cref="Wait(TimeSpan)"/> in a loop and ask <see cref="ReadyEvents(ZmqSocket)"/> or walk
/// <see cref="Ready"/>. Readiness is level-triggered: a socket stays ready while a message waits.
/// A steady-state <see cref="Wait(TimeSpan)"/> allocates nothing on the managed heap.</para>
/// <para><b>One thread at a time.</b> Like a socket, a poller is used by one thread at a time; a call
/// that overlaps another throws <see cref="InvalidOperationException"/>. During <see cref="Wait(TimeSpan)"/>
/// every registered socket is marked busy, so using one of them from another thread at the same time
/// also throws instead of racing inside libzmq. <see cref="Dispose"/> may be called from any thread;
/// while a wait is in progress the native poller is destroyed when that wait returns.</para>
/// <para><b>Lifetime of registered sockets.</b> A registered socket is kept open (its handle is held)
/// until it is removed or the poller is disposed, so the poller never reaches a closed socket. If a
/// registered socket is disposed (directly, or by disposing its context), the next
/// <see cref="Wait(TimeSpan)"/> or <see cref="Modify(ZmqSocket, ZmqPollEvents)"/> throws
/// <see cref="ObjectDisposedException"/> naming it; <see cref="Remove(ZmqSocket)"/> still works and
/// lets the socket close. A wait in progress when the context is shut down ends with
/// <see cref="ContextTerminatedException"/>. Because registered sockets stay open, the context's
/// termination (zmq_ctx_term(3)) happens only once the poller is disposed: dispose it with the sockets.</para>
/// <para><b>Raw descriptors</b> are an <c>int</c> file descriptor on Linux and macOS and a
/// <c>SOCKET</c> on Windows (for example <c>System.Net.Sockets.Socket.Handle</c>). The poller does not
/// own them: keep them open while registered.</para>
/// <para>Interrupted waits (EINTR) are retried with the time that is left.</para>
/// </remarks>
public sealed unsafe partial class ZmqPoller : IDisposable
{
    private const int NoDescriptor = -1;

    private readonly ZmqPollerHandle _handle;
    private readonly ZmqPollSet _set;
    private readonly Dictionary<nint, int> _socketIndex = [];
    private readonly Dictionary<nint, int> _fdIndex = [];
    private Entry[] _entries = new Entry[4];
    private ZmqPollResult[] _ready = new ZmqPollResult[4];
    private ZmqPollHit[] _hits = new ZmqPollHit[4];
    private int _count;
    private int _readyCount;
    private int _generation;
    private int _busy;

    /// <summary>
    /// Creates an empty poller. It uses libzmq's draft poller (zmq_poller_new) when the loaded libzmq
    /// has the draft API (<c>Zmq.Has("draft")</c>), and zmq_poll otherwise; both behave the same.
    /// </summary>
    public ZmqPoller()
        : this(ZmqPollerBackend.Auto)
    {
    }

    /// <summary>Creates a poller on a chosen backend (tests run both).</summary>
    internal ZmqPoller(ZmqPollerBackend backend)
    {
        if (backend == ZmqPollerBackend.Auto)
        {
            backend = Zmq.Has("draft") ? ZmqPollerBackend.DraftPoller : ZmqPollerBackend.Poll;
        }
        else if (backend == ZmqPollerBackend.DraftPoller && !Zmq.Has("draft"))
        {
            throw new NotSupportedException("zmq_poller needs a libzmq built with the draft API.");
        }

        Backend = backend;
        _handle = new ZmqPollerHandle(native: backend == ZmqPollerBackend.DraftPoller);
        _set = ZmqPollSet.Create(backend, _handle);
    }

    /// <summary>The number of registered sockets and descriptors.</summary>
    public int Count => _count;

    /// <summary>
    /// The items found ready by the last <see cref="Wait(TimeSpan)"/>, one per socket or descriptor,
    /// valid until the next call that changes the poller. Empty after a timeout.
    /// </summary>
    public ReadOnlySpan<ZmqPollResult> Ready => new(_ready, 0, _readyCount);

    /// <summary>Which implementation this poller uses.</summary>
    internal ZmqPollerBackend Backend { get; }

    /// <summary>
    /// Registers a socket to wait for <paramref name="events"/> (<see cref="ZmqPollEvents.In"/>,
    /// <see cref="ZmqPollEvents.Out"/>, or both; <see cref="ZmqPollEvents.None"/> parks it). The
    /// socket is held open until removed or the poller is disposed.
    /// </summary>
    /// <param name="socket">The socket.</param>
    /// <param name="events">What to wait for.</param>
    /// <exception cref="ArgumentException">The socket is already registered.</exception>
    /// <exception cref="ObjectDisposedException">The socket or the poller is disposed.</exception>
    public void Add(ZmqSocket socket, ZmqPollEvents events)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ThrowIfSocketDisposed(socket);
        Enter();
        try
        {
            // The pointer is the key: it identifies the socket while the handle is held.
            var socketHandle = socket.Handle;
            _handle.Hold(socketHandle);
            nint pointer = socketHandle.DangerousGetHandle();
            if (_socketIndex.ContainsKey(pointer))
            {
                _handle.Release(socketHandle);
                throw new ArgumentException($"the {socket.Type} socket is already registered with this poller", nameof(socket));
            }

            Grow();
            try
            {
                _set.AddSocket(_count, (void*)pointer, events);
            }
            catch
            {
                _handle.Release(socketHandle);
                throw;
            }

            Append(new Entry { Socket = socket, Pointer = pointer, Fd = NoDescriptor, Events = events });
            _socketIndex.Add(pointer, _count - 1);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Registers a raw file descriptor (POSIX) or <c>SOCKET</c> (Windows) to wait for
    /// <paramref name="events"/>, which may include <see cref="ZmqPollEvents.Error"/> and
    /// <see cref="ZmqPollEvents.Priority"/>. The poller does not own it.
    /// </summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="events">What to wait for.</param>
    /// <exception cref="ArgumentException">The descriptor is already registered.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Not a valid descriptor value for this platform.</exception>
    public void Add(nint fd, ZmqPollEvents events)
    {
        CheckDescriptor(fd);
        Enter();
        try
        {
            if (_fdIndex.ContainsKey(fd))
            {
                throw new ArgumentException($"descriptor {fd} is already registered with this poller", nameof(fd));
            }

            Grow();
            _set.AddFd(_count, fd, events);
            Append(new Entry { Fd = fd, Events = events });
            _fdIndex.Add(fd, _count - 1);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Changes what a registered socket is waited for.</summary>
    /// <param name="socket">A registered socket.</param>
    /// <param name="events">What to wait for from now on.</param>
    /// <exception cref="ArgumentException">The socket is not registered.</exception>
    /// <exception cref="ObjectDisposedException">The socket or the poller is disposed.</exception>
    public void Modify(ZmqSocket socket, ZmqPollEvents events)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ThrowIfSocketDisposed(socket);
        Enter();
        try
        {
            int index = IndexOf(socket);
            _set.ModifySocket(index, (void*)_entries[index].Pointer, events);
            _entries[index].Events = events;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Changes what a registered descriptor is waited for.</summary>
    /// <param name="fd">A registered descriptor.</param>
    /// <param name="events">What to wait for from now on.</param>
    /// <exception cref="ArgumentException">The descriptor is not registered.</exception>
    public void Modify(nint fd, ZmqPollEvents events)
    {
        Enter();
        try
        {
            int index = IndexOf(fd);
            _set.ModifyFd(index, fd, events);
            _entries[index].Events = events;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Unregisters a socket and drops the poller's hold on it (a socket disposed while registered
    /// closes now). Works on a disposed socket.
    /// </summary>
    /// <param name="socket">A registered socket.</param>
    /// <exception cref="ArgumentException">The socket is not registered.</exception>
    public void Remove(ZmqSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Enter();
        try
        {
            int index = IndexOf(socket);
            nint pointer = _entries[index].Pointer;
            _set.RemoveSocket((void*)pointer);

            _socketIndex.Remove(pointer);
            RemoveAt(index);
            _handle.Release(socket.Handle);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Unregisters a descriptor.</summary>
    /// <param name="fd">A registered descriptor.</param>
    /// <exception cref="ArgumentException">The descriptor is not registered.</exception>
    public void Remove(nint fd)
    {
        Enter();
        try
        {
            int index = IndexOf(fd);
            _set.RemoveFd(fd);

            _fdIndex.Remove(fd);
            RemoveAt(index);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Whether a socket is registered.</summary>
    /// <param name="socket">The socket.</param>
    /// <returns>True when it is registered.</returns>
    public bool Contains(ZmqSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return TryIndexOf(socket, out _);
    }

    /// <summary>Whether a descriptor is registered.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <returns>True when it is registered.</returns>
    public bool Contains(nint fd) => _fdIndex.ContainsKey(fd);

    /// <summary>
    /// Waits until at least one registered item is ready for what it is registered for, or the
    /// timeout passes.
    /// </summary>
    /// <param name="timeout">
    /// How long to wait: <see cref="TimeSpan.Zero"/> only checks, <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits until something is ready (or the context is shut down).
    /// </param>
    /// <returns>The number of ready sockets and descriptors (the length of <see cref="Ready"/>); 0 when the timeout passed.</returns>
    /// <exception cref="ContextTerminatedException">A registered socket's context was shut down (ETERM).</exception>
    /// <exception cref="ObjectDisposedException">The poller, or a registered socket, is disposed.</exception>
    /// <exception cref="InvalidOperationException">
    /// The poller is empty and the timeout infinite (nothing could end the wait), or the poller or a
    /// registered socket is in use by another thread.
    /// </exception>
    public int Wait(TimeSpan timeout)
    {
        int timeoutMs = ZmqSocket.ToMilliseconds(timeout, nameof(timeout));
        Enter();
        int marked = 0;
        try
        {
            _readyCount = 0;
            _generation++;
            if (_count == 0)
            {
                // libzmq fails (zmq_poller: EFAULT) or sleeps on an empty set; both ends are made plain here.
                if (timeoutMs < 0)
                {
                    throw new InvalidOperationException("the poller is empty: an infinite wait would never end");
                }

                Thread.Sleep(timeoutMs);
                return 0;
            }

            MarkSocketsBusy(ref marked);

            // EINTR: the set waits again for the time left (ZmqWait).
            int hits = _set.Wait(_count, Deadline.FromMilliseconds(timeoutMs), _hits);
            for (int i = 0; i < hits; i++)
            {
                var hit = _hits[i];
                int index = hit.Index >= 0 ? hit.Index : hit.Socket != 0 ? _socketIndex[hit.Socket] : _fdIndex[hit.Fd];
                MarkReady(index, hit.Events);
            }

            return _readyCount;
        }
        finally
        {
            UnmarkSocketsBusy(marked);
            Exit();
        }
    }

    /// <summary>
    /// Marks every registered socket busy for a wait (one thread at a time, zmq_socket(3)), counting
    /// in <paramref name="marked"/> those marked so far so that the caller can undo them when one fails.
    /// </summary>
    private void MarkSocketsBusy(ref int marked)
    {
        for (; marked < _count; marked++)
        {
            var socket = _entries[marked].Socket;
            if (socket is not null)
            {
                if (socket.DisposeRequested)
                {
                    ThrowRegisteredSocketDisposed(socket);
                }

                socket.EnterBusy();
            }
        }
    }

    /// <summary>Lets go of the first <paramref name="marked"/> sockets marked by <see cref="MarkSocketsBusy"/>.</summary>
    private void UnmarkSocketsBusy(int marked)
    {
        for (int i = 0; i < marked; i++)
        {
            _entries[i].Socket?.ExitBusy();
        }
    }

    /// <summary>What a socket was found ready for by the last <see cref="Wait(TimeSpan)"/>.</summary>
    /// <param name="socket">A registered socket.</param>
    /// <returns>The ready events, <see cref="ZmqPollEvents.None"/> when it was not ready (or is not registered).</returns>
    public ZmqPollEvents ReadyEvents(ZmqSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return TryIndexOf(socket, out int index) ? ReadyEventsAt(index) : ZmqPollEvents.None;
    }

    /// <summary>What a descriptor was found ready for by the last <see cref="Wait(TimeSpan)"/>.</summary>
    /// <param name="fd">A registered descriptor.</param>
    /// <returns>The ready events, <see cref="ZmqPollEvents.None"/> when it was not ready (or is not registered).</returns>
    public ZmqPollEvents ReadyEvents(nint fd) =>
        _fdIndex.TryGetValue(fd, out int index) ? ReadyEventsAt(index) : ZmqPollEvents.None;

    /// <summary>Whether the last <see cref="Wait(TimeSpan)"/> found a socket ready for any of <paramref name="events"/>.</summary>
    /// <param name="socket">A registered socket.</param>
    /// <param name="events">The events to test; <see cref="ZmqPollEvents.In"/> unless given.</param>
    /// <returns>True when one of them is ready.</returns>
    public bool IsReady(ZmqSocket socket, ZmqPollEvents events = ZmqPollEvents.In) => (ReadyEvents(socket) & events) != 0;

    /// <summary>Whether the last <see cref="Wait(TimeSpan)"/> found a descriptor ready for any of <paramref name="events"/>.</summary>
    /// <param name="fd">A registered descriptor.</param>
    /// <param name="events">The events to test; <see cref="ZmqPollEvents.In"/> unless given.</param>
    /// <returns>True when one of them is ready.</returns>
    public bool IsReady(nint fd, ZmqPollEvents events = ZmqPollEvents.In) => (ReadyEvents(fd) & events) != 0;

    /// <summary>
    /// Destroys the native poller and releases every registered socket (a socket disposed while
    /// registered closes now). Harmless when called again; callable from any thread.
    /// </summary>
    public void Dispose()
    {
        _handle.Dispose();
        Volatile.Read(ref _asyncWait)?.OnPollerDisposed(); // ends a pending WaitAsync, which lets the native poller go
    }

    private static void CheckDescriptor(nint fd)
    {
        // zmq_fd_t is int on POSIX; on Windows a SOCKET, where INVALID_SOCKET is ~0.
        if (OperatingSystem.IsWindows() ? fd == -1 : fd < 0 || fd > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(fd), fd, "not a valid file descriptor or socket handle");
        }
    }

    private static void ThrowIfSocketDisposed(ZmqSocket socket)
    {
        if (socket.DisposeRequested)
        {
            throw new ObjectDisposedException(nameof(ZmqSocket), $"the {socket.Type} socket is disposed");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowRegisteredSocketDisposed(ZmqSocket socket) =>
        throw new ObjectDisposedException(
            nameof(ZmqSocket),
            $"a {socket.Type} socket registered with the poller was disposed; remove it from the poller (Remove) when disposing it");

    private void MarkReady(int index, ZmqPollEvents revents)
    {
        ref var entry = ref _entries[index];
        entry.Ready = revents;
        entry.Generation = _generation;
        _ready[_readyCount++] = new ZmqPollResult(entry.Socket, entry.Socket is null ? entry.Fd : NoDescriptor, entry.Ready);
    }

    private ZmqPollEvents ReadyEventsAt(int index)
    {
        ref var entry = ref _entries[index];
        return entry.Generation == _generation ? entry.Ready : ZmqPollEvents.None;
    }

    private bool TryIndexOf(ZmqSocket socket, out int index)
    {
        // The handle's value stays the native pointer after it is closed, so this cannot match a
        // different socket: a registered socket's handle is held open, and pointers of open sockets differ.
        index = 0;
        return _socketIndex.TryGetValue(socket.Handle.DangerousGetHandle(), out index)
            && ReferenceEquals(_entries[index].Socket, socket);
    }

    private int IndexOf(ZmqSocket socket) =>
        TryIndexOf(socket, out int index)
            ? index
            : throw new ArgumentException($"the {socket.Type} socket is not registered with this poller", nameof(socket));

    private int IndexOf(nint fd) =>
        _fdIndex.TryGetValue(fd, out int index)
            ? index
            : throw new ArgumentException($"descriptor {fd} is not registered with this poller", nameof(fd));

    /// <summary>Makes room for one more entry, here and in the set.</summary>
    private void Grow()
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
            Array.Resize(ref _ready, _count * 2);
            Array.Resize(ref _hits, _count * 2);
        }

        _set.EnsureLength(_entries.Length);
    }

    /// <summary>Appends an entry the set has registered (after <see cref="Grow"/>).</summary>
    private void Append(Entry entry)
    {
        _entries[_count] = entry;
        _count++;
        _readyCount = 0; // earlier results may name moved items
    }

    /// <summary>Removes an entry by moving the last one into its place (the order of items does not matter).</summary>
    private void RemoveAt(int index)
    {
        int last = _count - 1;
        if (index != last)
        {
            var moved = _entries[last];
            _entries[index] = moved;
            if (moved.Socket is not null)
            {
                _socketIndex[moved.Pointer] = index;
            }
            else
            {
                _fdIndex[moved.Fd] = index;
            }

            _set.Move(last, index);
        }

        _entries[last] = default;
        _count = last;
        _readyCount = 0;
    }

    /// <summary>Marks the poller busy and keeps its native part alive for one call.</summary>
    private void Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("the poller is being used by two threads at once; a poller must be used by one thread at a time");
        }

        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            Volatile.Write(ref _busy, 0);
            throw new ObjectDisposedException(nameof(ZmqPoller));
        }
    }

    private void Exit()
    {
        _handle.DangerousRelease();
        Volatile.Write(ref _busy, 0);
    }

    /// <summary>One registration: a socket (Socket and Pointer set) or a descriptor (Fd set).</summary>
    private struct Entry
    {
        public ZmqSocket? Socket;
        public nint Pointer;
        public nint Fd;
        public ZmqPollEvents Events;
        public ZmqPollEvents Ready;
        public int Generation;
    }
}

/// <summary>One ready item from <see cref="ZmqPoller.Ready"/>: a socket or a raw descriptor, and what it is ready for.</summary>
/// <param name="socket">The socket, or null for a descriptor.</param>
/// <param name="fileDescriptor">The descriptor, or -1 for a socket.</param>
/// <param name="events">What it is ready for.</param>
public readonly struct ZmqPollResult(ZmqSocket? socket, nint fileDescriptor, ZmqPollEvents events)
{
    /// <summary>The ready socket, or null when the item is a raw descriptor.</summary>
    public ZmqSocket? Socket { get; } = socket;

    /// <summary>The ready raw descriptor, or -1 when the item is a socket.</summary>
    public nint FileDescriptor { get; } = fileDescriptor;

    /// <summary>What the item is ready for (a subset of what it was registered for, plus <see cref="ZmqPollEvents.Error"/> for descriptors).</summary>
    public ZmqPollEvents Events { get; } = events;
}

/// <summary>Which libzmq mechanism a <see cref="ZmqPoller"/> uses.</summary>
internal enum ZmqPollerBackend
{
    /// <summary>The draft poller when available, zmq_poll otherwise.</summary>
    Auto,

    /// <summary>zmq_poller_* (draft API): registration kept in libzmq, only ready items returned.</summary>
    DraftPoller,

    /// <summary>zmq_poll: the item array passed on every wait.</summary>
    Poll,
}
