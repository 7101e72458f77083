using ZmqNative.Interop;
using ZmqNative.SafeHandles;

namespace ZmqNative;

/// <summary>
/// What a <see cref="ZmqPoller"/> waits with: its registrations as libzmq sees them, and the wait.
/// The poller keeps the registrations' order and lookup; a backend keeps libzmq's side in step.
/// Two backends: <see cref="ZmqDraftPollSet"/> (zmq_poller(3), draft API: registration kept in
/// libzmq, only ready items returned) and <see cref="ZmqArrayPollSet"/> (zmq_poll(3): the item
/// array passed on every wait). Both wait through <see cref="ZmqWait"/>.
/// </summary>
internal abstract unsafe class ZmqPollSet
{
    /// <summary>Creates the backend for <paramref name="backend"/> (not Auto).</summary>
    public static ZmqPollSet Create(ZmqPollerBackend backend, ZmqPollerHandle handle) =>
        backend == ZmqPollerBackend.DraftPoller ? new ZmqDraftPollSet(handle) : new ZmqArrayPollSet();

    /// <summary>Makes room for <paramref name="length"/> registrations.</summary>
    public abstract void EnsureLength(int length);

    /// <summary>Registers a socket as item <paramref name="index"/>; throws <see cref="ZmqException"/> when libzmq refuses.</summary>
    public abstract void AddSocket(int index, void* socket, ZmqPollEvents events);

    /// <summary>Registers a descriptor as item <paramref name="index"/>.</summary>
    public abstract void AddFd(int index, nint fd, ZmqPollEvents events);

    /// <summary>Changes what item <paramref name="index"/>, a socket, waits for.</summary>
    public abstract void ModifySocket(int index, void* socket, ZmqPollEvents events);

    /// <summary>Changes what item <paramref name="index"/>, a descriptor, waits for.</summary>
    public abstract void ModifyFd(int index, nint fd, ZmqPollEvents events);

    /// <summary>Unregisters a socket (before the poller moves its last item into the place).</summary>
    public abstract void RemoveSocket(void* socket);

    /// <summary>Unregisters a descriptor.</summary>
    public abstract void RemoveFd(nint fd);

    /// <summary>The poller moved item <paramref name="from"/> to <paramref name="to"/> (after a removal).</summary>
    public abstract void Move(int from, int to);

    /// <summary>
    /// Waits until one of the <paramref name="count"/> items is ready or the deadline passes
    /// (EINTR: again for the time left) and writes what is ready into <paramref name="hits"/>.
    /// </summary>
    /// <returns>The number of hits; 0 when the deadline passed.</returns>
    public abstract int Wait(int count, Deadline deadline, Span<ZmqPollHit> hits);
}

/// <summary>One ready item found by <see cref="ZmqPollSet.Wait"/>: by index, or (index -1) by its socket or descriptor.</summary>
internal readonly record struct ZmqPollHit(int Index, nint Socket, nint Fd, ZmqPollEvents Events);

/// <summary>zmq_poller(3) (draft API): libzmq keeps the registrations and returns only the ready items.</summary>
internal sealed unsafe class ZmqDraftPollSet(ZmqPollerHandle handle) : ZmqPollSet
{
    private readonly LibZmq.PollerEvents _events = new();

    // zmq_poller_wait_all fills at most one event per registered item.
    public override void EnsureLength(int length) => _events.EnsureLength(length);

    public override void AddSocket(int index, void* socket, ZmqPollEvents events) =>
        ZmqCall.Check(LibZmq.zmq_poller_add(handle.Poller, socket, null, (short)events), "zmq_poller_add");

    public override void AddFd(int index, nint fd, ZmqPollEvents events)
    {
        if (LibZmq.PollerAddFd(handle.Poller, fd, (short)events) != 0)
        {
            ZmqException.ThrowLast("zmq_poller_add_fd", fd);
        }
    }

    public override void ModifySocket(int index, void* socket, ZmqPollEvents events) =>
        ZmqCall.Check(LibZmq.zmq_poller_modify(handle.Poller, socket, (short)events), "zmq_poller_modify");

    public override void ModifyFd(int index, nint fd, ZmqPollEvents events)
    {
        if (LibZmq.PollerModifyFd(handle.Poller, fd, (short)events) != 0)
        {
            ZmqException.ThrowLast("zmq_poller_modify_fd", fd);
        }
    }

    public override void RemoveSocket(void* socket) =>
        ZmqCall.Check(LibZmq.zmq_poller_remove(handle.Poller, socket), "zmq_poller_remove");

    public override void RemoveFd(nint fd)
    {
        if (LibZmq.PollerRemoveFd(handle.Poller, fd) != 0)
        {
            ZmqException.ThrowLast("zmq_poller_remove_fd", fd);
        }
    }

    public override void Move(int from, int to)
    {
        // libzmq finds items by socket or descriptor, not by place.
    }

    public override int Wait(int count, Deadline deadline, Span<ZmqPollHit> hits)
    {
        var wait = new WaitAll(_events, handle.Poller, count);
        // zmq_poller(3): EAGAIN is the timeout passing with nothing ready.
        int n = ZmqWait.Interruptible(ref wait, deadline, "zmq_poller_wait_all", quietErrno: Errno.EAGAIN);
        for (int i = 0; i < n; i++)
        {
            var (socket, fd, events) = _events[i];
            hits[i] = new ZmqPollHit(-1, socket, socket != 0 ? -1 : fd, (ZmqPollEvents)events);
        }

        return Math.Max(n, 0);
    }

    private readonly struct WaitAll(LibZmq.PollerEvents events, void* poller, int count) : ZmqWait.ITimedCall
    {
        private readonly LibZmq.PollerEvents _events = events;
        private readonly void* _poller = poller;
        private readonly int _count = count;

        public int Call(int timeoutMs) => _events.Wait(_poller, _count, timeoutMs);
    }
}

/// <summary>zmq_poll(3): the item array, kept here in registration order, is passed on every wait.</summary>
internal sealed unsafe class ZmqArrayPollSet : ZmqPollSet
{
    private readonly LibZmq.PollItems _items = new();

    public override void EnsureLength(int length) => _items.EnsureLength(length);

    public override void AddSocket(int index, void* socket, ZmqPollEvents events) => _items.Set(index, socket, 0, (short)events);

    public override void AddFd(int index, nint fd, ZmqPollEvents events) => _items.Set(index, null, fd, (short)events);

    public override void ModifySocket(int index, void* socket, ZmqPollEvents events) => _items.SetEvents(index, (short)events);

    public override void ModifyFd(int index, nint fd, ZmqPollEvents events) => _items.SetEvents(index, (short)events);

    public override void RemoveSocket(void* socket)
    {
        // The poller moves its last item into the place (Move).
    }

    public override void RemoveFd(nint fd)
    {
    }

    public override void Move(int from, int to) => _items.Move(from, to);

    public override int Wait(int count, Deadline deadline, Span<ZmqPollHit> hits)
    {
        var poll = new Poll(_items, count);
        int n = ZmqWait.Interruptible(ref poll, deadline, "zmq_poll");
        int found = 0;
        for (int i = 0; i < count && found < n; i++)
        {
            short revents = _items.Revents(i);
            if (revents != 0)
            {
                hits[found++] = new ZmqPollHit(i, 0, -1, (ZmqPollEvents)revents);
            }
        }

        return found;
    }

    private readonly struct Poll(LibZmq.PollItems items, int count) : ZmqWait.ITimedCall
    {
        private readonly LibZmq.PollItems _items = items;
        private readonly int _count = count;

        public int Call(int timeoutMs) => _items.Poll(_count, timeoutMs);
    }
}
