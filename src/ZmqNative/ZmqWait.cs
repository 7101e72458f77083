using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// The one waiting path. Every blocking or timed call of the library (send, receive, a socket's
/// poll, the poller's wait, the proxy, option access, context shutdown) waits here or makes its
/// single call through <see cref="ZmqCall"/>, by one rule: a wait ends at the time its call began
/// plus its timeout (<see cref="Deadline"/>), and an interruption (EINTR: the .NET runtime signals
/// its own threads) is retried for the time left, never for a fresh timeout.
/// </summary>
/// <remarks>
/// Each single non-blocking call is an attempt (<see cref="ZmqAttempt"/>: done, would block,
/// failed); a timed call is attempt, <see cref="ForSocket"/>, attempt again until the deadline.
/// A blocking send or receive without a timeout of its own waits inside libzmq (the call without
/// ZMQ_DONTWAIT, honouring ZMQ_SNDTIMEO/ZMQ_RCVTIMEO): a poll before every call would cost a system
/// call per message. Only when that call is interrupted does it continue here
/// (<see cref="AfterBlockingFailure"/>), as attempt and poll until the deadline.
/// </remarks>
internal static unsafe class ZmqWait
{
    /// <summary>One native wait that takes the time left in milliseconds and returns -1 with errno set when it fails.</summary>
    internal interface ITimedCall
    {
        /// <summary>Makes the call once.</summary>
        /// <param name="timeoutMs">The time left: -1 without end, 0 only checks.</param>
        /// <returns>What the call returned.</returns>
        int Call(int timeoutMs);
    }

    /// <summary>
    /// Makes <paramref name="call"/> until it is not interrupted, each time with the time left
    /// until <paramref name="deadline"/>: its result when not negative; -1 when it failed with
    /// <paramref name="quietErrno"/> (an expected end, e.g. EAGAIN for a poller's timeout); any
    /// other error is thrown.
    /// </summary>
    /// <typeparam name="T">The call (a struct, so the loop is compiled for it and nothing is allocated).</typeparam>
    /// <param name="call">The call.</param>
    /// <param name="deadline">When waiting ends.</param>
    /// <param name="name">The call's name for the exception.</param>
    /// <param name="quietErrno">An errno that ends the wait without an exception; 0 for none.</param>
    /// <returns>The call's result, or -1 for <paramref name="quietErrno"/>.</returns>
    internal static int Interruptible<T>(ref T call, Deadline deadline, string name, int quietErrno = 0)
        where T : struct, ITimedCall
    {
        while (true)
        {
            int rc = call.Call(deadline.RemainingMilliseconds());
            if (rc >= 0)
            {
                return rc;
            }

            int errno = LibZmq.LastErrno();
            if (errno == Errno.EINTR)
            {
                continue; // an interrupted wait waits again for what is left
            }

            if (errno == quietErrno && quietErrno != 0)
            {
                return -1;
            }

            ZmqCall.Throw(errno, name);
        }
    }

    /// <summary>zmq_poll(3) on one socket until <paramref name="deadline"/>; an interrupted poll waits again for the time left.</summary>
    /// <param name="socket">The socket, held by the caller.</param>
    /// <param name="events">What to wait for.</param>
    /// <param name="deadline">When waiting ends.</param>
    /// <returns>The ready events; none when the deadline passed.</returns>
    internal static ZmqPollEvents PollOne(void* socket, ZmqPollEvents events, Deadline deadline)
    {
        var poll = new PollOneCall(socket, (short)events);
        Interruptible(ref poll, deadline, "zmq_poll");
        return (ZmqPollEvents)poll.Revents;
    }

    /// <summary>
    /// Waits until <paramref name="socket"/> is ready for <paramref name="events"/> or the deadline
    /// passes; false when it had passed already. <paramref name="refused"/> counts the times the socket
    /// reported ready and the attempt that followed still would block: a ROUTER with
    /// ZMQ_ROUTER_MANDATORY reports POLLOUT when any peer has room, not the one addressed, so polling
    /// again would return at once and spin. Such a wait sleeps instead, 1, 2, 4, 8, then 16 ms at a
    /// time, up to the deadline.
    /// </summary>
    /// <param name="socket">The socket.</param>
    /// <param name="events">What to wait for.</param>
    /// <param name="deadline">When waiting ends.</param>
    /// <param name="refused">The caller's count of ready reports its attempts found false.</param>
    /// <returns>True to attempt again (ready or not: the caller's attempt decides), false when the time is up.</returns>
    internal static bool ForSocket(ZmqSocket socket, ZmqPollEvents events, Deadline deadline, ref int refused)
    {
        int ms = deadline.RemainingMilliseconds();
        if (ms == 0)
        {
            return false;
        }

        if (refused > 0)
        {
            int pause = 1 << Math.Min(refused - 1, 4);
            Thread.Sleep(ms < 0 ? pause : Math.Min(pause, ms));
        }

        using var lease = socket.Enter();
        if ((PollOne(lease.Socket, events, deadline) & events) != 0)
        {
            refused++; // if the next attempt would block anyway, the next wait backs off
        }

        return true;
    }

    /// <summary>
    /// After a blocking send or receive returned -1: returns to make the call again (with
    /// <paramref name="flags"/> as they now are); anything else is thrown, EAGAIN included (the
    /// socket's ZMQ_SNDTIMEO/ZMQ_RCVTIMEO passed).
    /// </summary>
    /// <remarks>
    /// EINTR is retried for the time left. A blocking call restarted as it was would wait the
    /// socket's whole timeout again, so after the first interruption the call continues as attempts
    /// (ZMQ_DONTWAIT added, <paramref name="resumed"/> set) with a poll in between, until
    /// <paramref name="deadline"/>, which started when the call did; EAGAIN then means the time ran out.
    /// Without a timeout, blocking again loses nothing, and the call stays blocking.
    /// </remarks>
    /// <param name="socket">The socket, held by the caller.</param>
    /// <param name="events">What the call waits for.</param>
    /// <param name="call">The call's name for the exception.</param>
    /// <param name="flags">The call's flags; ZMQ_DONTWAIT is added on the first interruption with a timeout.</param>
    /// <param name="resumed">Whether the call continues as attempts.</param>
    /// <param name="deadline">When the call began plus the socket's timeout.</param>
    internal static void AfterBlockingFailure(void* socket, ZmqPollEvents events, string call, ref int flags, ref bool resumed, Deadline deadline)
    {
        int errno = LibZmq.LastErrno();
        if (errno == Errno.EINTR || (errno == Errno.EAGAIN && resumed))
        {
            if (!resumed)
            {
                if (deadline.IsInfinite)
                {
                    return;
                }

                resumed = true;
                flags |= LibZmq.ZMQ_DONTWAIT;
            }

            if (deadline.RemainingMilliseconds() != 0)
            {
                PollOne(socket, events, deadline);
                return;
            }

            errno = Errno.EAGAIN;
        }

        ZmqCall.Throw(errno, call);
    }

    /// <summary>
    /// The deadline of a blocking send or receive: when the call began plus the socket's
    /// ZMQ_SNDTIMEO/ZMQ_RCVTIMEO (<paramref name="timeoutMs"/>, as the socket last set it).
    /// Infinite for no timeout, which then costs no clock read.
    /// </summary>
    /// <param name="timeoutMs">The socket's timeout, -1 for none.</param>
    /// <returns>The deadline.</returns>
    internal static Deadline ForBlockingCall(int timeoutMs) =>
        timeoutMs < 0 ? Deadline.Infinite : Deadline.FromMilliseconds(timeoutMs);

    private struct PollOneCall : ITimedCall
    {
        private readonly void* _socket;
        private readonly short _events;

        public PollOneCall(void* socket, short events)
        {
            _socket = socket;
            _events = events;
            Revents = 0;
        }

        public short Revents;

        public int Call(int timeoutMs) => LibZmq.PollOne(_socket, _events, timeoutMs, out Revents);
    }
}
