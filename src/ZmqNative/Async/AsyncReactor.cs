using System.Runtime.InteropServices;
using ZmqNative.Interop;

namespace ZmqNative.Async;

/// <summary>
/// One thread per context that waits, with one zmq_poll, on the fd of every socket that has
/// pending async operations, plus a wake-up socket; when an fd signals it lets that socket's
/// state serve its queues. Started with the first operation that has to wait, ended with the
/// context. It never runs user code: completions continue on the thread pool.
/// </summary>
internal sealed unsafe class AsyncReactor
{
    /// <summary>How often the thread-safe types are re-read while they have pending operations (a synchronous call in another thread may consume their signal).</summary>
    private const int ThreadSafeRecheckMs = 100;

    private static readonly object s_wakeContextGate = new();
    private static void* s_wakeContext;
    private static AsyncReactor? s_shared;
    private static long s_wakeCount;

    private readonly object _gate = new();
    private readonly List<AsyncSocketState> _incoming = [];
    private readonly List<AsyncSocketState> _active = []; // the reactor thread's own
    private readonly List<AsyncPollWait> _incomingWaits = [];
    private readonly List<AsyncPollWait> _waits = []; // the reactor thread's own
    private readonly object _wakeSendGate = new();
    private Thread? _thread;
    private bool _stopping;
    private int _wakePending;
    private void* _wakeSend;
    private void* _wakeReceive;
    private nint _wakeFd;

    /// <summary>
    /// Tests only: while set, the thread stops before its next wait (and sets <see cref="TestAtGate"/>),
    /// so a test can make an fd signal and be drained while no one waits on it.
    /// </summary>
    internal volatile ManualResetEventSlim? TestGate;

    /// <summary>Tests only: set while the thread is held at <see cref="TestGate"/>.</summary>
    internal readonly ManualResetEventSlim TestAtGate = new();

    private volatile int _polling = -1; // while in zmq_poll: the number of sockets waited on; else -1
    private long _cycles;

    /// <summary>For a test's failure message: where the thread is and how many cycles it ran.</summary>
    internal string Describe() =>
        $"polling={_polling} cycles={Interlocked.Read(ref _cycles)} incoming={_incoming.Count} wakePending={Volatile.Read(ref _wakePending)} alive={_thread?.IsAlive}";

    /// <summary>
    /// The reactor of waits that belong to no context (a poller holding only raw descriptors):
    /// one for the process, started by the first such wait, never stopped (a background thread).
    /// </summary>
    internal static AsyncReactor Shared
    {
        get
        {
            var reactor = Volatile.Read(ref s_shared);
            return reactor ?? Interlocked.CompareExchange(ref s_shared, new AsyncReactor(), null) ?? s_shared!;
        }
    }

    /// <summary>The reactor's thread, for tests that check where continuations run.</summary>
    internal Thread? Thread => _thread;

    /// <summary>Adds a socket state to the set waited on, starting the thread if needed. Under the state's lock.</summary>
    public void Add(AsyncSocketState state)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                throw new ObjectDisposedException(nameof(ZmqContext), "the socket's context is disposed");
            }

            StartThread();
            _incoming.Add(state);
        }

        Wake();
    }

    /// <summary>A poller's pending WaitAsync: waited on with the sockets' fds until it ends. Throws when the context is disposed.</summary>
    public void AddWait(AsyncPollWait wait)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                throw new ObjectDisposedException(nameof(ZmqContext), "the context of a socket in the poller is disposed");
            }

            StartThread();
            _incomingWaits.Add(wait);
        }

        Wake();
    }

    /// <summary>Makes the thread look at its incoming states and re-check the set (coalesced: one signal until the thread runs).</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) != 0)
        {
            return;
        }

        lock (_wakeSendGate)
        {
            if (_wakeSend is not null)
            {
                LibZmq.zmq_send(_wakeSend, null, 0, 1 /* ZMQ_DONTWAIT */);
            }
        }
    }

    /// <summary>Ends the thread (the context is being disposed); the sockets have failed their operations by then.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
        }

        Interlocked.Exchange(ref _wakePending, 0);
        Wake();
    }

    /// <summary>Starts the thread with the first operation or wait (under <see cref="_gate"/>).</summary>
    private void StartThread()
    {
        if (_thread is null)
        {
            OpenWake();
            _thread = new Thread(Run) { IsBackground = true, Name = "ZmqNative async" };
            _thread.Start();
        }
    }

    private void OpenWake()
    {
        // A private context, never shut down by the user's, with no I/O thread (inproc only).
        lock (s_wakeContextGate)
        {
            if (s_wakeContext is null)
            {
                void* context = LibZmq.zmq_ctx_new();
                if (context is null)
                {
                    ZmqException.ThrowLast("zmq_ctx_new");
                }

                LibZmq.zmq_ctx_set(context, LibZmq.ZMQ_IO_THREADS, 0);
                s_wakeContext = context;
            }
        }

        var endpoint = System.Text.Encoding.UTF8.GetBytes($"inproc://zmqnative-async-wake-{Interlocked.Increment(ref s_wakeCount)}\0");
        void* receive = LibZmq.zmq_socket(s_wakeContext, LibZmq.ZMQ_PAIR);
        void* send = LibZmq.zmq_socket(s_wakeContext, LibZmq.ZMQ_PAIR);
        fixed (byte* p = endpoint)
        {
            if (receive is null || send is null || LibZmq.zmq_bind(receive, p) != 0 || LibZmq.zmq_connect(send, p) != 0)
            {
                int errno = LibZmq.LastErrno();
                if (receive is not null)
                {
                    LibZmq.zmq_close(receive);
                }

                if (send is not null)
                {
                    LibZmq.zmq_close(send);
                }

                throw ZmqException.FromErrno(errno, "the async reactor's wake-up sockets");
            }
        }

        int zero = 0;
        LibZmq.zmq_setsockopt(receive, LibZmq.ZMQ_LINGER, &zero, sizeof(int));
        LibZmq.zmq_setsockopt(send, LibZmq.ZMQ_LINGER, &zero, sizeof(int));
        _wakeReceive = receive;
        _wakeFd = ZmqSocket.ReadFd(receive);
        lock (_wakeSendGate)
        {
            _wakeSend = send;
        }
    }

    private void Run()
    {
        var fresh = new List<AsyncSocketState>();
        var freshWaits = new List<AsyncPollWait>();
        var items = new LibZmq.PollItems();
        int failures = 0;
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_stopping)
                    {
                        break;
                    }

                    fresh.AddRange(_incoming);
                    _incoming.Clear();
                    freshWaits.AddRange(_incomingWaits);
                    _incomingWaits.Clear();
                }

                // The same rule for a poller's new wait: check it before waiting on its fds.
                foreach (var wait in freshWaits)
                {
                    if (!wait.Check())
                    {
                        _waits.Add(wait);
                    }
                }

                freshWaits.Clear();

                // Before waiting on a new fd, ask the socket: what it already has never signals.
                foreach (var state in fresh)
                {
                    if (!_active.Contains(state) && state.OnSignalled())
                    {
                        _active.Add(state);
                    }
                }

                fresh.Clear();
                bool anyThreadSafe = false;
                int count = 0;
                int length = _active.Count + 1;
                for (int i = _waits.Count - 1; i >= 0; i--)
                {
                    if (_waits[i].IsDone)
                    {
                        RemoveWaitAt(i); // ended by a cancellation or a disposal
                    }
                    else
                    {
                        length += _waits[i].Fds.Length;
                    }
                }

                items.EnsureLength(length);
                items.Set(count++, null, _wakeFd, (short)ZmqPollEvents.In);
                foreach (var state in _active)
                {
                    items.Set(count++, null, state.Fd, (short)ZmqPollEvents.In);
                    anyThreadSafe |= state.ThreadSafe;
                }

                // Pollers' waits after the sockets' states; the soonest deadline bounds the wait.
                int timeoutMs = -1;
                foreach (var wait in _waits)
                {
                    wait.FirstItem = count;
                    foreach (var (fd, events) in wait.Fds)
                    {
                        items.Set(count++, null, fd, events);
                    }

                    anyThreadSafe |= wait.HasThreadSafe;
                    int left = wait.RemainingMilliseconds;
                    if (left >= 0 && (timeoutMs < 0 || left < timeoutMs))
                    {
                        timeoutMs = left;
                    }
                }

                if (anyThreadSafe && (timeoutMs < 0 || timeoutMs > ThreadSafeRecheckMs))
                {
                    timeoutMs = ThreadSafeRecheckMs;
                }

                if (TestGate is { } gate)
                {
                    TestAtGate.Set();
                    gate.Wait();
                    TestAtGate.Reset();
                }

                _polling = _active.Count;
                int rc = items.Poll(count, timeoutMs);
                _polling = -1;
                Interlocked.Increment(ref _cycles);
                int errno = rc < 0 ? LibZmq.LastErrno() : 0;
                // Drain first, then allow the next wake-up: a wake-up whose message this drain took
                // would otherwise leave the flag set with nothing in flight, and every later
                // Wake would be swallowed (seen: a stall with a state stuck in _incoming).
                // A state added before a swallowed Wake is already in _incoming, read below.
                DrainWake();
                Volatile.Write(ref _wakePending, 0);
                if (rc < 0)
                {
                    // EINTR, or an fd closed under us (a disposed socket, ENOTSOCK): re-check every
                    // state, which drops the closed ones; back off if it keeps failing.
                    if (errno != Errno.EINTR && ++failures > 1)
                    {
                        Thread.Sleep(Math.Min(failures, 10));
                    }

                    SignalAll(onlyThreadSafe: false);
                    CheckWaits(items, all: true);
                    continue;
                }

                failures = 0;
                if (rc == 0)
                {
                    SignalAll(onlyThreadSafe: true);
                    CheckWaits(items, all: true); // a deadline, or the thread-safe sockets' re-check
                    continue;
                }

                // The waits first: their items follow the states', whose removal below reorders _active only.
                CheckWaits(items, all: items.Revents(0) != 0);

                for (int i = _active.Count - 1; i >= 0; i--)
                {
                    if (items.Revents(i + 1) != 0 && !_active[i].OnSignalled())
                    {
                        RemoveAt(i);
                    }
                }
            }
        }
        finally
        {
            lock (_wakeSendGate)
            {
                LibZmq.zmq_close(_wakeSend);
                _wakeSend = null;
            }

            LibZmq.zmq_close(_wakeReceive);
            _wakeReceive = null;
            foreach (var state in _active)
            {
                state.OnSignalled();
            }

            _active.Clear();
            lock (_gate)
            {
                _waits.AddRange(_incomingWaits);
                _incomingWaits.Clear();
            }

            foreach (var wait in _waits)
            {
                wait.OnReactorStopped();
            }

            _waits.Clear();
        }
    }

    /// <summary>
    /// Re-checks the pollers' waits whose descriptors signalled or whose deadline passed (every
    /// one when <paramref name="all"/>: a wake-up may be a disposal they must see), dropping the
    /// ended ones.
    /// </summary>
    private void CheckWaits(LibZmq.PollItems items, bool all)
    {
        for (int i = _waits.Count - 1; i >= 0; i--)
        {
            var wait = _waits[i];
            bool due = all || wait.RemainingMilliseconds == 0;
            for (int k = 0; !due && k < wait.Fds.Length; k++)
            {
                due = items.Revents(wait.FirstItem + k) != 0;
            }

            if (due && wait.Check())
            {
                RemoveWaitAt(i);
            }
        }
    }

    private void RemoveWaitAt(int i)
    {
        _waits[i] = _waits[^1];
        _waits.RemoveAt(_waits.Count - 1);
    }

    private void SignalAll(bool onlyThreadSafe)
    {
        for (int i = _active.Count - 1; i >= 0; i--)
        {
            if ((!onlyThreadSafe || _active[i].ThreadSafe) && !_active[i].OnSignalled())
            {
                RemoveAt(i);
            }
        }
    }

    private void RemoveAt(int i)
    {
        _active[i] = _active[^1];
        _active.RemoveAt(_active.Count - 1);
    }

    private void DrainWake()
    {
        // The same edge-triggered rule as for the users' sockets: reading ZMQ_EVENTS may process
        // the command of a wake-up sent after the last receive, and then the fd stays quiet
        // although a message waits; so receive until ZMQ_EVENTS too says there is none.
        do
        {
            while (LibZmq.zmq_recv(_wakeReceive, null, 0, 1 /* ZMQ_DONTWAIT */) != -1)
            {
            }
        }
        while ((ZmqSocket.ReadEvents(_wakeReceive) & ZmqPollEvents.In) != 0);
    }
}
