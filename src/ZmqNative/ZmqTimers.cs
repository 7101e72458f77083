using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using ZmqNative.Interop;
using ZmqNative.SafeHandles;

namespace ZmqNative;

/// <summary>
/// A set of repeating timers driven by the caller's own loop (zmq_timers(3)): nothing runs by
/// itself. Ask <see cref="TimeUntilNext"/> how long the loop may wait (for example as a
/// <see cref="ZmqPoller"/> timeout), then call <see cref="Execute"/>, which runs the handlers of the
/// timers that are due, on the calling thread.
/// </summary>
/// <remarks>
/// <para>A timer repeats every interval from when it last ran until it is cancelled. Intervals have
/// millisecond resolution (rounded up) and are at least 1 ms.</para>
/// <para><b>Handlers</b> run inside <see cref="Execute"/>. They may call <see cref="Add"/>,
/// <see cref="Cancel"/>, <see cref="SetInterval"/>, <see cref="Reset"/> and <see cref="Dispose"/> on the
/// same set; <see cref="SetInterval"/> and <see cref="Reset"/> then take effect when the handlers of this
/// <see cref="Execute"/> are done (libzmq's timer list may not be reordered while it is being walked).
/// An exception from a handler never reaches libzmq: the other due handlers still run, and
/// <see cref="Execute"/> then rethrows it (several are thrown as an <see cref="AggregateException"/>).</para>
/// <para>Like a socket, a timer set is used by one thread at a time; overlapping calls throw
/// <see cref="InvalidOperationException"/>.</para>
/// </remarks>
public sealed unsafe class ZmqTimers : IDisposable
{
    private readonly ZmqTimersHandle _handle;
    private readonly Dictionary<int, Action<int>> _handlers = [];
    private readonly List<(int Id, bool IsReset, nuint Interval)> _deferred = [];
    private List<Exception>? _errors;
    private int _ownerThread;
    private bool _executing;
    private volatile bool _disposed;

    /// <summary>Creates an empty timer set (zmq_timers_new).</summary>
    public ZmqTimers()
    {
        _handle = new ZmqTimersHandle(this);
    }

    /// <summary>The number of timers added and not cancelled.</summary>
    public int Count => _handlers.Count;

    /// <summary>
    /// How long until the next timer is due (zmq_timers_timeout): <see cref="TimeSpan.Zero"/> when one
    /// is due now, null when there is no timer.
    /// </summary>
    /// <exception cref="InvalidOperationException">Read from a handler, during <see cref="Execute"/>.</exception>
    public TimeSpan? TimeUntilNext
    {
        get
        {
            EnterOuter(nameof(TimeUntilNext));
            try
            {
                // zmq_timers_timeout also sweeps cancelled timers off libzmq's list, so it is not
                // allowed while Execute walks that list.
                long ms = LibZmq.zmq_timers_timeout(_handle.Timers).Value;
                return ms < 0 ? null : TimeSpan.FromMilliseconds(ms);
            }
            finally
            {
                Exit(outer: true);
            }
        }
    }

    /// <summary>Adds a timer that runs <paramref name="handler"/> every <paramref name="interval"/>, first one interval from now.</summary>
    /// <param name="interval">The interval: at least 1 ms (rounded up to whole milliseconds).</param>
    /// <param name="handler">Called with the timer's id each time it is due, inside <see cref="Execute"/>.</param>
    /// <returns>The timer's id, for <see cref="Cancel"/>, <see cref="SetInterval"/> and <see cref="Reset"/>.</returns>
    public int Add(TimeSpan interval, Action<int> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        nuint ms = ToInterval(interval);
        bool outer = Enter();
        try
        {
            int id = LibZmq.zmq_timers_add(_handle.Timers, ms, &OnTimer, _handle.CallbackArgument);
            if (id == -1)
            {
                ZmqException.ThrowLast("zmq_timers_add");
            }

            _handlers.Add(id, handler);
            return id;
        }
        finally
        {
            Exit(outer);
        }
    }

    /// <summary>Cancels a timer (zmq_timers_cancel): its handler is not called again.</summary>
    /// <param name="id">The id <see cref="Add"/> returned.</param>
    /// <exception cref="ZmqException">EINVAL: no such timer, or it is already cancelled.</exception>
    public void Cancel(int id)
    {
        bool outer = Enter();
        try
        {
            CheckId(id, "zmq_timers_cancel");
            if (LibZmq.zmq_timers_cancel(_handle.Timers, id) != 0)
            {
                ZmqException.ThrowLast("zmq_timers_cancel", id);
            }

            _handlers.Remove(id);
        }
        finally
        {
            Exit(outer);
        }
    }

    /// <summary>Changes a timer's interval (zmq_timers_set_interval); it is next due one new interval from now.</summary>
    /// <param name="id">The id <see cref="Add"/> returned.</param>
    /// <param name="interval">The new interval: at least 1 ms.</param>
    /// <exception cref="ZmqException">EINVAL: no such timer.</exception>
    public void SetInterval(int id, TimeSpan interval)
    {
        nuint ms = ToInterval(interval);
        Change(id, isReset: false, ms, "zmq_timers_set_interval");
    }

    /// <summary>Restarts a timer's interval from now (zmq_timers_reset).</summary>
    /// <param name="id">The id <see cref="Add"/> returned.</param>
    /// <exception cref="ZmqException">EINVAL: no such timer.</exception>
    public void Reset(int id) => Change(id, isReset: true, 0, "zmq_timers_reset");

    /// <summary>
    /// Runs the handlers of the timers that are due (zmq_timers_execute), on this thread, and
    /// reschedules them. Does nothing when none is due.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a handler.</exception>
    /// <exception cref="Exception">What a handler threw (an <see cref="AggregateException"/> when several did).</exception>
    public void Execute()
    {
        EnterOuter(nameof(Execute));
        List<Exception>? errors;
        try
        {
            _executing = true;
            try
            {
                LibZmq.zmq_timers_execute(_handle.Timers); // returns -1 only for an invalid timer set
            }
            finally
            {
                _executing = false;
            }

            foreach (var (id, isReset, interval) in _deferred)
            {
                // The timer may have been cancelled by a later handler: then there is nothing to change.
                if (_handlers.ContainsKey(id))
                {
                    _ = isReset ? LibZmq.zmq_timers_reset(_handle.Timers, id) : LibZmq.zmq_timers_set_interval(_handle.Timers, id, interval);
                }
            }

            _deferred.Clear();
            errors = _errors;
            _errors = null;
        }
        finally
        {
            Exit(outer: true);
        }

        if (errors is not null)
        {
            if (errors.Count == 1)
            {
                ExceptionDispatchInfo.Throw(errors[0]);
            }

            throw new AggregateException("several timer handlers threw", errors);
        }
    }

    /// <summary>
    /// Destroys the timer set (zmq_timers_destroy); no handler runs after it. Harmless when called
    /// again. Called from a handler, the set is destroyed when <see cref="Execute"/> returns.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnTimer(int id, void* arg)
    {
        // Nothing may unwind into libzmq: Dispatch keeps every exception for Execute to rethrow.
        if (GCHandle.FromIntPtr((nint)arg).Target is ZmqTimers timers)
        {
            timers.Dispatch(id);
        }
    }

    private static nuint ToInterval(TimeSpan interval)
    {
        // An interval of 0 would make zmq_timers_execute reschedule the timer at "now" and run it
        // again in the same pass, forever (timers.cpp), so the least is 1 ms.
        double ms = Math.Ceiling(interval.TotalMilliseconds);
        if (!(ms >= 1 && ms <= int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "a timer interval is from 1 ms to int.MaxValue ms");
        }

        return (nuint)ms;
    }

    private void Dispatch(int id)
    {
        if (!_handlers.TryGetValue(id, out var handler))
        {
            return;
        }

        try
        {
            handler(id);
        }
        catch (Exception error)
        {
            (_errors ??= []).Add(error);
        }
    }

    private void Change(int id, bool isReset, nuint interval, string operation)
    {
        bool outer = Enter();
        try
        {
            CheckId(id, operation);
            if (_executing)
            {
                // timers.cpp erases and reinserts the timer's node, which zmq_timers_execute may be
                // standing on: defer until it returns.
                _deferred.Add((id, isReset, interval));
                return;
            }

            int rc = isReset ? LibZmq.zmq_timers_reset(_handle.Timers, id) : LibZmq.zmq_timers_set_interval(_handle.Timers, id, interval);
            if (rc != 0)
            {
                ZmqException.ThrowLast(operation, id);
            }
        }
        finally
        {
            Exit(outer);
        }
    }

    private void CheckId(int id, string operation)
    {
        // libzmq keeps cancelled timers on its list until swept and would accept them here;
        // a cancelled or unknown id is EINVAL consistently.
        if (!_handlers.ContainsKey(id))
        {
            throw new ZmqException(Errno.ToErrno(ZmqErrorCode.EINVAL), operation + "(" + id + "): no such timer");
        }
    }

    /// <summary>Starts a call; returns false for a call from a handler on the executing thread (already entered).</summary>
    private bool Enter()
    {
        int me = Environment.CurrentManagedThreadId;
        int owner = Interlocked.CompareExchange(ref _ownerThread, me, 0);
        if (owner == me && _executing)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return false;
        }

        if (owner != 0)
        {
            ThrowConcurrentUse();
        }

        AddRef();
        return true;
    }

    /// <summary>Starts a call that may not come from a handler (Execute, TimeUntilNext).</summary>
    private void EnterOuter(string what)
    {
        int me = Environment.CurrentManagedThreadId;
        int owner = Interlocked.CompareExchange(ref _ownerThread, me, 0);
        if (owner == me && _executing)
        {
            throw new InvalidOperationException($"{what} cannot be used from a timer handler");
        }

        if (owner != 0)
        {
            ThrowConcurrentUse();
        }

        AddRef();
    }

    private void AddRef()
    {
        bool added = false;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _handle.DangerousAddRef(ref added);
        }
        catch
        {
            Volatile.Write(ref _ownerThread, 0);
            throw;
        }
    }

    private void Exit(bool outer)
    {
        if (outer)
        {
            _handle.DangerousRelease();
            Volatile.Write(ref _ownerThread, 0);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowConcurrentUse() =>
        throw new InvalidOperationException("the timer set is being used by two threads at once; use it from one thread at a time");
}
