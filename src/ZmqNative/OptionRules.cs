using System.Runtime.InteropServices;
using static ZmqNative.Interop.LibZmq;

namespace ZmqNative;

/// <summary>
/// The one table of option values libzmq accepts, checked in the safe layer before libzmq sees a
/// value, so a value out of range is an <see cref="ArgumentOutOfRangeException"/> naming the
/// option rather than a <see cref="ZmqException"/> EINVAL (or, where libzmq checks nothing, a
/// value silently taken). The ranges are zmq_setsockopt(3) and zmq_ctx_set(3) of libzmq 4.3.4, and
/// where the page gives none, what options.cpp/ctx.cpp of that release accept. One row per option:
/// a generator can produce the options from it.
/// </summary>
internal static class OptionRules
{
    /// <summary>How a value is passed: an int, a 64-bit integer, or bytes (the limits are then a length).</summary>
    internal enum ValueKind
    {
        /// <summary>A C int.</summary>
        Int32,

        /// <summary>An int64_t.</summary>
        Int64,

        /// <summary>A byte string: Min and Max bound its length.</summary>
        Bytes,
    }

    /// <summary>One option's rule: values from <paramref name="Min"/> to <paramref name="Max"/>, and also <paramref name="Extra"/> when set.</summary>
    /// <param name="Option">The ZMQ_* number.</param>
    /// <param name="Name">The ZMQ_* name.</param>
    /// <param name="Kind">How the value is passed.</param>
    /// <param name="Min">The smallest value (or length).</param>
    /// <param name="Max">The largest value (or length).</param>
    /// <param name="Extra">One more allowed value outside the range (-1 for "the OS default"), or null.</param>
    /// <param name="Meaning">What the allowed values mean, for the exception message.</param>
    internal readonly record struct Rule(int Option, string Name, ValueKind Kind, long Min, long Max, long? Extra, string Meaning)
    {
        /// <summary>Whether <paramref name="value"/> is allowed.</summary>
        public bool Allows(long value) => (value >= Min && value <= Max) || value == Extra;
    }

    private const long IntMax = int.MaxValue;

    /// <summary>Socket options (zmq_setsockopt(3)).</summary>
    internal static readonly Rule[] Socket =
    [
        Int(ZMQ_SNDHWM, nameof(ZMQ_SNDHWM), 0, IntMax, null, "a message count: 0 (no limit) or more"),
        Int(ZMQ_RCVHWM, nameof(ZMQ_RCVHWM), 0, IntMax, null, "a message count: 0 (no limit) or more"),
        Bytes(ZMQ_ROUTING_ID, nameof(ZMQ_ROUTING_ID), 1, 255, "1 to 255 bytes"),
        Bytes(ZMQ_CONNECT_ROUTING_ID, nameof(ZMQ_CONNECT_ROUTING_ID), 1, 255, "1 to 255 bytes"),
        Int(ZMQ_RATE, nameof(ZMQ_RATE), 1, IntMax, null, "kilobits per second, more than 0"),
        Int(ZMQ_RECOVERY_IVL, nameof(ZMQ_RECOVERY_IVL), 0, IntMax, null, "0 or more milliseconds (not infinite)"),
        Int(ZMQ_SNDBUF, nameof(ZMQ_SNDBUF), 0, IntMax, -1, "bytes: -1 (the OS default) or 0 or more"),
        Int(ZMQ_RCVBUF, nameof(ZMQ_RCVBUF), 0, IntMax, -1, "bytes: -1 (the OS default) or 0 or more"),
        Int(ZMQ_TOS, nameof(ZMQ_TOS), 0, IntMax, null, "0 or more"),
        Int(ZMQ_LINGER, nameof(ZMQ_LINGER), 0, IntMax, -1, "milliseconds: -1 (infinite) or 0 or more"),
        Int(ZMQ_CONNECT_TIMEOUT, nameof(ZMQ_CONNECT_TIMEOUT), 0, IntMax, null, "0 (the OS default) or more milliseconds"),
        Int(ZMQ_TCP_MAXRT, nameof(ZMQ_TCP_MAXRT), 0, IntMax, null, "0 (the OS default) or more milliseconds"),
        Int(ZMQ_RECONNECT_STOP, nameof(ZMQ_RECONNECT_STOP), 0, 3, null, "0, or ZMQ_RECONNECT_STOP_CONN_REFUSED (1) and/or ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED (2)"),
        Int(ZMQ_RECONNECT_IVL, nameof(ZMQ_RECONNECT_IVL), 0, IntMax, -1, "milliseconds: -1 (no reconnection) or 0 or more"),
        Int(ZMQ_RECONNECT_IVL_MAX, nameof(ZMQ_RECONNECT_IVL_MAX), 0, IntMax, null, "0 (only ZMQ_RECONNECT_IVL) or more milliseconds"),
        Int(ZMQ_BACKLOG, nameof(ZMQ_BACKLOG), 0, IntMax, null, "a connection count, 0 or more"),
        Int64(ZMQ_MAXMSGSIZE, nameof(ZMQ_MAXMSGSIZE), 0, long.MaxValue, -1, "bytes: -1 (no limit) or 0 or more"),
        Int(ZMQ_MULTICAST_HOPS, nameof(ZMQ_MULTICAST_HOPS), 1, IntMax, null, "network hops, more than 0"),
        Int(ZMQ_MULTICAST_MAXTPDU, nameof(ZMQ_MULTICAST_MAXTPDU), 1, IntMax, null, "bytes, more than 0"),
        Int(ZMQ_RCVTIMEO, nameof(ZMQ_RCVTIMEO), 0, IntMax, -1, "milliseconds: -1 (infinite) or 0 or more"),
        Int(ZMQ_SNDTIMEO, nameof(ZMQ_SNDTIMEO), 0, IntMax, -1, "milliseconds: -1 (infinite) or 0 or more"),
        Int(ZMQ_TCP_KEEPALIVE, nameof(ZMQ_TCP_KEEPALIVE), -1, 1, null, "-1 (the OS default), 0 (off) or 1 (on)"),
        Int(ZMQ_TCP_KEEPALIVE_CNT, nameof(ZMQ_TCP_KEEPALIVE_CNT), 1, IntMax, -1, "-1 (the OS default) or more than 0"),
        Int(ZMQ_TCP_KEEPALIVE_IDLE, nameof(ZMQ_TCP_KEEPALIVE_IDLE), 1, IntMax, -1, "seconds: -1 (the OS default) or more than 0"),
        Int(ZMQ_TCP_KEEPALIVE_INTVL, nameof(ZMQ_TCP_KEEPALIVE_INTVL), 1, IntMax, -1, "seconds: -1 (the OS default) or more than 0"),
        Bool(ZMQ_IMMEDIATE, nameof(ZMQ_IMMEDIATE)),
        Bool(ZMQ_XPUB_VERBOSE, nameof(ZMQ_XPUB_VERBOSE)),
        Bool(ZMQ_ROUTER_MANDATORY, nameof(ZMQ_ROUTER_MANDATORY)),
        Bool(ZMQ_ROUTER_RAW, nameof(ZMQ_ROUTER_RAW)),
        Bool(ZMQ_IPV6, nameof(ZMQ_IPV6)),
        Bool(ZMQ_PLAIN_SERVER, nameof(ZMQ_PLAIN_SERVER)),
        Bytes(ZMQ_PLAIN_USERNAME, nameof(ZMQ_PLAIN_USERNAME), 0, 255, "0 (none) to 255 bytes"),
        Bytes(ZMQ_PLAIN_PASSWORD, nameof(ZMQ_PLAIN_PASSWORD), 0, 255, "0 (none) to 255 bytes"),
        Bool(ZMQ_CURVE_SERVER, nameof(ZMQ_CURVE_SERVER)),
        Bool(ZMQ_PROBE_ROUTER, nameof(ZMQ_PROBE_ROUTER)),
        Bool(ZMQ_REQ_CORRELATE, nameof(ZMQ_REQ_CORRELATE)),
        Bool(ZMQ_REQ_RELAXED, nameof(ZMQ_REQ_RELAXED)),
        Bool(ZMQ_CONFLATE, nameof(ZMQ_CONFLATE)),
        Bytes(ZMQ_ZAP_DOMAIN, nameof(ZMQ_ZAP_DOMAIN), 0, 255, "0 (none) to 255 bytes"),
        Bool(ZMQ_ROUTER_HANDOVER, nameof(ZMQ_ROUTER_HANDOVER)),
        Bool(ZMQ_GSSAPI_SERVER, nameof(ZMQ_GSSAPI_SERVER)),
        Bytes(ZMQ_GSSAPI_PRINCIPAL, nameof(ZMQ_GSSAPI_PRINCIPAL), 1, 255, "1 to 255 bytes"),
        Bytes(ZMQ_GSSAPI_SERVICE_PRINCIPAL, nameof(ZMQ_GSSAPI_SERVICE_PRINCIPAL), 1, 255, "1 to 255 bytes"),
        Bool(ZMQ_GSSAPI_PLAINTEXT, nameof(ZMQ_GSSAPI_PLAINTEXT)),
        Int(ZMQ_GSSAPI_PRINCIPAL_NAMETYPE, nameof(ZMQ_GSSAPI_PRINCIPAL_NAMETYPE), 0, 2, null, "ZMQ_GSSAPI_NT_HOSTBASED (0), ZMQ_GSSAPI_NT_USER_NAME (1) or ZMQ_GSSAPI_NT_KRB5_PRINCIPAL (2)"),
        Int(ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE, nameof(ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE), 0, 2, null, "ZMQ_GSSAPI_NT_HOSTBASED (0), ZMQ_GSSAPI_NT_USER_NAME (1) or ZMQ_GSSAPI_NT_KRB5_PRINCIPAL (2)"),
        Int(ZMQ_HANDSHAKE_IVL, nameof(ZMQ_HANDSHAKE_IVL), 0, IntMax, null, "0 (no limit) or more milliseconds"),
        Bool(ZMQ_XPUB_NODROP, nameof(ZMQ_XPUB_NODROP)),
        Bool(ZMQ_XPUB_MANUAL, nameof(ZMQ_XPUB_MANUAL)),
        Bool(ZMQ_STREAM_NOTIFY, nameof(ZMQ_STREAM_NOTIFY)),
        Bool(ZMQ_INVERT_MATCHING, nameof(ZMQ_INVERT_MATCHING)),
        Int(ZMQ_HEARTBEAT_IVL, nameof(ZMQ_HEARTBEAT_IVL), 0, IntMax, null, "0 (off) or more milliseconds"),
        // Sent as deciseconds in 16 bits (ZMTP PING): at most 6553599 ms (options.cpp).
        Int(ZMQ_HEARTBEAT_TTL, nameof(ZMQ_HEARTBEAT_TTL), 0, 6_553_599, null, "0 to 6553599 milliseconds (a 16-bit count of deciseconds)"),
        Int(ZMQ_HEARTBEAT_TIMEOUT, nameof(ZMQ_HEARTBEAT_TIMEOUT), 0, IntMax, null, "0 or more milliseconds"),
        Bool(ZMQ_XPUB_VERBOSER, nameof(ZMQ_XPUB_VERBOSER)),
        Int(ZMQ_USE_FD, nameof(ZMQ_USE_FD), 0, IntMax, -1, "a file descriptor, or -1 (none)"),
        Bool(ZMQ_ZAP_ENFORCE_DOMAIN, nameof(ZMQ_ZAP_ENFORCE_DOMAIN)),
        Bool(ZMQ_LOOPBACK_FASTPATH, nameof(ZMQ_LOOPBACK_FASTPATH)),
        Bool(ZMQ_MULTICAST_LOOP, nameof(ZMQ_MULTICAST_LOOP)),
        Int(ZMQ_ROUTER_NOTIFY, nameof(ZMQ_ROUTER_NOTIFY), 0, 3, null, "0, or ZMQ_NOTIFY_CONNECT (1) and/or ZMQ_NOTIFY_DISCONNECT (2)"),
        Bool(ZMQ_XPUB_MANUAL_LAST_VALUE, nameof(ZMQ_XPUB_MANUAL_LAST_VALUE)),
        Bytes(ZMQ_SOCKS_USERNAME, nameof(ZMQ_SOCKS_USERNAME), 0, 255, "0 (none) to 255 bytes"),
        Bytes(ZMQ_SOCKS_PASSWORD, nameof(ZMQ_SOCKS_PASSWORD), 0, 255, "0 (none) to 255 bytes"),
        Int(ZMQ_IN_BATCH_SIZE, nameof(ZMQ_IN_BATCH_SIZE), 1, IntMax, null, "a message count, more than 0"),
        Int(ZMQ_OUT_BATCH_SIZE, nameof(ZMQ_OUT_BATCH_SIZE), 1, IntMax, null, "a message count, more than 0"),
        Bool(ZMQ_ONLY_FIRST_SUBSCRIBE, nameof(ZMQ_ONLY_FIRST_SUBSCRIBE)),
    ];

    /// <summary>Context options (zmq_ctx_set(3)); all are ints.</summary>
    internal static readonly Rule[] Context =
    [
        Int(ZMQ_IO_THREADS, nameof(ZMQ_IO_THREADS), 0, IntMax, null, "a thread count, 0 or more"),
        // libzmq also refuses more than the process may open (clipped_maxsocket): that stays its EINVAL.
        Int(ZMQ_MAX_SOCKETS, nameof(ZMQ_MAX_SOCKETS), 1, IntMax, null, "a socket count, more than 0"),
        Int(ZMQ_MAX_MSGSZ, nameof(ZMQ_MAX_MSGSZ), 0, IntMax, null, "bytes, 0 or more"),
        Int(ZMQ_THREAD_PRIORITY, nameof(ZMQ_THREAD_PRIORITY), 0, IntMax, null, "a scheduling priority, 0 or more"),
        Int(ZMQ_THREAD_SCHED_POLICY, nameof(ZMQ_THREAD_SCHED_POLICY), 0, IntMax, null, "a scheduling policy, 0 or more"),
        Int(ZMQ_THREAD_AFFINITY_CPU_ADD, nameof(ZMQ_THREAD_AFFINITY_CPU_ADD), 0, IntMax, null, "a CPU number, 0 or more"),
        Int(ZMQ_THREAD_AFFINITY_CPU_REMOVE, nameof(ZMQ_THREAD_AFFINITY_CPU_REMOVE), 0, IntMax, null, "a CPU number, 0 or more"),
        Int(ZMQ_THREAD_NAME_PREFIX, nameof(ZMQ_THREAD_NAME_PREFIX), 0, IntMax, null, "0 or more"),
        Bool(ZMQ_IPV6, nameof(ZMQ_IPV6)),
        Bool(ZMQ_BLOCKY, nameof(ZMQ_BLOCKY)),
        Bool(ZMQ_ZERO_COPY_RECV, nameof(ZMQ_ZERO_COPY_RECV)),
    ];

    private static readonly Dictionary<int, Rule> SocketByOption = Socket.ToDictionary(r => r.Option);
    private static readonly Dictionary<int, Rule> ContextByOption = Context.ToDictionary(r => r.Option);

    /// <summary>Checks a socket option's value as zmq_setsockopt will get it; values of another size than the rule's are left to libzmq.</summary>
    /// <param name="option">The ZMQ_* number.</param>
    /// <param name="value">The value's bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the option's range.</exception>
    /// <exception cref="ArgumentException">A byte string's length is outside the option's range.</exception>
    internal static void CheckSocket(int option, ReadOnlySpan<byte> value)
    {
        if (!SocketByOption.TryGetValue(option, out var rule))
        {
            return;
        }

        switch (rule.Kind)
        {
            case ValueKind.Int32 when value.Length == sizeof(int):
                Check(rule, MemoryMarshal.Read<int>(value));
                break;
            case ValueKind.Int64 when value.Length == sizeof(long):
                Check(rule, MemoryMarshal.Read<long>(value));
                break;
            case ValueKind.Bytes when !rule.Allows(value.Length):
                throw new ArgumentException($"{rule.Name} takes {rule.Meaning}; this value has {value.Length} bytes", "value");
        }
    }

    /// <summary>Checks a context option's value (zmq_ctx_set).</summary>
    /// <param name="option">The ZMQ_* number.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the option's range.</exception>
    internal static void CheckContext(int option, int value)
    {
        if (ContextByOption.TryGetValue(option, out var rule))
        {
            Check(rule, value);
        }
    }

    private static void Check(Rule rule, long value)
    {
        if (!rule.Allows(value))
        {
            throw new ArgumentOutOfRangeException("value", value, $"{rule.Name} takes {rule.Meaning}");
        }
    }

    private static Rule Int(int option, string name, long min, long max, long? extra, string meaning) =>
        new(option, name, ValueKind.Int32, min, max, extra, meaning);

    private static Rule Int64(int option, string name, long min, long max, long? extra, string meaning) =>
        new(option, name, ValueKind.Int64, min, max, extra, meaning);

    private static Rule Bool(int option, string name) => new(option, name, ValueKind.Int32, 0, 1, null, "0 or 1");

    private static Rule Bytes(int option, string name, long min, long max, string meaning) =>
        new(option, name, ValueKind.Bytes, min, max, null, meaning);
}
