using System.Runtime.InteropServices;

namespace ZmqNative.Interop;

/// <summary>
/// The platform forms of zmq_poll(3) and zmq_poller(3) in one place. zmq_pollitem_t and
/// zmq_poller_event_t hold a <c>zmq_fd_t</c>, an <c>int</c> on POSIX and a <c>SOCKET</c> on
/// Windows, so the generated layer declares both forms; the rest of the library sees one shape,
/// with descriptors as <c>nint</c>, and never asks which platform it runs on.
/// </summary>
internal static unsafe partial class LibZmq
{
    /// <summary>zmq_poll(3) on one socket, once: the number of ready items (0 or 1), or -1 with errno set.</summary>
    /// <param name="socket">The socket.</param>
    /// <param name="events">ZMQ_POLLIN/ZMQ_POLLOUT to wait for.</param>
    /// <param name="timeoutMs">-1 waits without end, 0 only checks.</param>
    /// <param name="revents">The ready events.</param>
    /// <returns>What zmq_poll returned.</returns>
    internal static int PollOne(void* socket, short events, int timeoutMs, out short revents)
    {
        int rc;
        if (OperatingSystem.IsWindows())
        {
            var item = new zmq_pollitem_t_windows { socket = socket, events = events };
            rc = zmq_poll_windows(&item, 1, new CLong(timeoutMs));
            revents = item.revents;
        }
        else
        {
            var item = new zmq_pollitem_t { socket = socket, events = events };
            rc = zmq_poll(&item, 1, new CLong(timeoutMs));
            revents = item.revents;
        }

        return rc;
    }

    /// <summary>zmq_poller_add_fd(3) in this platform's form.</summary>
    internal static int PollerAddFd(void* poller, nint fd, short events) => OperatingSystem.IsWindows()
        ? zmq_poller_add_fd_windows(poller, (nuint)fd, null, events)
        : zmq_poller_add_fd(poller, (int)fd, null, events);

    /// <summary>zmq_poller_modify_fd(3) in this platform's form.</summary>
    internal static int PollerModifyFd(void* poller, nint fd, short events) => OperatingSystem.IsWindows()
        ? zmq_poller_modify_fd_windows(poller, (nuint)fd, events)
        : zmq_poller_modify_fd(poller, (int)fd, events);

    /// <summary>zmq_poller_remove_fd(3) in this platform's form.</summary>
    internal static int PollerRemoveFd(void* poller, nint fd) => OperatingSystem.IsWindows()
        ? zmq_poller_remove_fd_windows(poller, (nuint)fd)
        : zmq_poller_remove_fd(poller, (int)fd);

    /// <summary>
    /// The item array zmq_poll(3) takes on every call, in this platform's form. Items are kept in
    /// the order the caller numbers them; growing keeps them.
    /// </summary>
    internal sealed class PollItems
    {
        private zmq_pollitem_t[] _posix = [];
        private zmq_pollitem_t_windows[] _windows = [];

        /// <summary>Makes room for at least <paramref name="length"/> items.</summary>
        /// <param name="length">The number of items.</param>
        public void EnsureLength(int length)
        {
            if (OperatingSystem.IsWindows())
            {
                Grow(ref _windows, length);
            }
            else
            {
                Grow(ref _posix, length);
            }
        }

        /// <summary>Sets item <paramref name="index"/> to a socket (<paramref name="socket"/> not null) or a descriptor.</summary>
        public void Set(int index, void* socket, nint fd, short events)
        {
            if (OperatingSystem.IsWindows())
            {
                _windows[index] = new zmq_pollitem_t_windows { socket = socket, fd = socket is null ? (nuint)fd : 0, events = events };
            }
            else
            {
                _posix[index] = new zmq_pollitem_t { socket = socket, fd = socket is null ? (int)fd : 0, events = events };
            }
        }

        /// <summary>Changes what item <paramref name="index"/> waits for.</summary>
        public void SetEvents(int index, short events)
        {
            if (OperatingSystem.IsWindows())
            {
                _windows[index].events = events;
            }
            else
            {
                _posix[index].events = events;
            }
        }

        /// <summary>Copies item <paramref name="from"/> over item <paramref name="to"/>.</summary>
        public void Move(int from, int to)
        {
            if (OperatingSystem.IsWindows())
            {
                _windows[to] = _windows[from];
            }
            else
            {
                _posix[to] = _posix[from];
            }
        }

        /// <summary>What item <paramref name="index"/> was found ready for by the last <see cref="Poll"/>.</summary>
        public short Revents(int index) => OperatingSystem.IsWindows() ? _windows[index].revents : _posix[index].revents;

        /// <summary>zmq_poll(3) on the first <paramref name="count"/> items, once: the number ready, or -1 with errno set.</summary>
        public int Poll(int count, int timeoutMs)
        {
            if (OperatingSystem.IsWindows())
            {
                fixed (zmq_pollitem_t_windows* items = _windows)
                {
                    return zmq_poll_windows(items, count, new CLong(timeoutMs));
                }
            }

            fixed (zmq_pollitem_t* items = _posix)
            {
                return zmq_poll(items, count, new CLong(timeoutMs));
            }
        }
    }

    /// <summary>The event array zmq_poller_wait_all(3) fills, in this platform's form.</summary>
    internal sealed class PollerEvents
    {
        private zmq_poller_event_t[] _posix = [];
        private zmq_poller_event_t_windows[] _windows = [];

        /// <summary>Makes room for at least <paramref name="length"/> events.</summary>
        /// <param name="length">The number of events.</param>
        public void EnsureLength(int length)
        {
            if (OperatingSystem.IsWindows())
            {
                Grow(ref _windows, length);
            }
            else
            {
                Grow(ref _posix, length);
            }
        }

        /// <summary>zmq_poller_wait_all(3) for at most <paramref name="count"/> events, once: the number filled, or -1 with errno set.</summary>
        public int Wait(void* poller, int count, int timeoutMs)
        {
            if (OperatingSystem.IsWindows())
            {
                fixed (zmq_poller_event_t_windows* events = _windows)
                {
                    return zmq_poller_wait_all_windows(poller, events, count, new CLong(timeoutMs));
                }
            }

            fixed (zmq_poller_event_t* events = _posix)
            {
                return zmq_poller_wait_all(poller, events, count, new CLong(timeoutMs));
            }
        }

        /// <summary>Event <paramref name="index"/> of the last <see cref="Wait"/>: the socket (0 for a descriptor), the descriptor, the ready events.</summary>
        public (nint Socket, nint Fd, short Events) this[int index]
        {
            get
            {
                if (OperatingSystem.IsWindows())
                {
                    ref var w = ref _windows[index];
                    return ((nint)w.socket, (nint)w.fd, w.events);
                }

                ref var e = ref _posix[index];
                return ((nint)e.socket, e.fd, e.events);
            }
        }
    }

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            Array.Resize(ref array, length);
        }
    }
}
