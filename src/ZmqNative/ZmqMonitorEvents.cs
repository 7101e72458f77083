using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// The socket events a <see cref="ZmqMonitor"/> can report (the ZMQ_EVENT_* bits of zmq.h,
/// zmq_socket_monitor(3)). Combine them to choose what to monitor; each
/// <see cref="ZmqMonitorEvent"/> carries exactly one of them.
/// </summary>
/// <remarks>
/// Events are produced only by connection-oriented transports (tcp, ipc, tipc, and SOCKS proxies),
/// never by inproc.
/// </remarks>
[Flags]
public enum ZmqMonitorEvents
{
    /// <summary>No event.</summary>
    None = 0,

    /// <summary>ZMQ_EVENT_CONNECTED: a connection to a peer was made. Value: its file descriptor.</summary>
    Connected = LibZmq.ZMQ_EVENT_CONNECTED,

    /// <summary>ZMQ_EVENT_CONNECT_DELAYED: a connect is pending (the value is unspecified).</summary>
    ConnectDelayed = LibZmq.ZMQ_EVENT_CONNECT_DELAYED,

    /// <summary>ZMQ_EVENT_CONNECT_RETRIED: a connect failed and will be retried. Value: the wait before the retry in milliseconds (the reconnect interval plus a random jitter).</summary>
    ConnectRetried = LibZmq.ZMQ_EVENT_CONNECT_RETRIED,

    /// <summary>ZMQ_EVENT_LISTENING: the socket is bound and listening. Value: the listening file descriptor.</summary>
    Listening = LibZmq.ZMQ_EVENT_LISTENING,

    /// <summary>ZMQ_EVENT_BIND_FAILED: a bind failed. Value: the errno of the system call.</summary>
    BindFailed = LibZmq.ZMQ_EVENT_BIND_FAILED,

    /// <summary>ZMQ_EVENT_ACCEPTED: a connection from a peer was accepted. Value: its file descriptor.</summary>
    Accepted = LibZmq.ZMQ_EVENT_ACCEPTED,

    /// <summary>ZMQ_EVENT_ACCEPT_FAILED: accepting a connection failed. Value: the errno of the system call.</summary>
    AcceptFailed = LibZmq.ZMQ_EVENT_ACCEPT_FAILED,

    /// <summary>ZMQ_EVENT_CLOSED: a connection or listener was closed. Value: its (now closed) file descriptor.</summary>
    Closed = LibZmq.ZMQ_EVENT_CLOSED,

    /// <summary>ZMQ_EVENT_CLOSE_FAILED: closing failed (ipc only). Value: the errno of the system call.</summary>
    CloseFailed = LibZmq.ZMQ_EVENT_CLOSE_FAILED,

    /// <summary>ZMQ_EVENT_DISCONNECTED: a connection was broken unexpectedly. Value: its file descriptor.</summary>
    Disconnected = LibZmq.ZMQ_EVENT_DISCONNECTED,

    /// <summary>ZMQ_EVENT_MONITOR_STOPPED: monitoring ended (the monitor or the socket was closed); the last event.</summary>
    MonitorStopped = LibZmq.ZMQ_EVENT_MONITOR_STOPPED,

    /// <summary>ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: the ZMTP handshake failed for an unspecified reason. Value: an errno.</summary>
    HandshakeFailedNoDetail = LibZmq.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,

    /// <summary>ZMQ_EVENT_HANDSHAKE_SUCCEEDED: the ZMTP handshake (and its security mechanism) succeeded.</summary>
    HandshakeSucceeded = LibZmq.ZMQ_EVENT_HANDSHAKE_SUCCEEDED,

    /// <summary>
    /// ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: the handshake failed on a protocol error between the peers
    /// or with the ZAP handler (a configuration or implementation error). Value: a <see cref="ZmqProtocolError"/>.
    /// </summary>
    HandshakeFailedProtocol = LibZmq.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,

    /// <summary>
    /// ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: the peer was refused by authentication. Value: the ZAP
    /// handler's status code (300, 400 or 500).
    /// </summary>
    HandshakeFailedAuth = LibZmq.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH,

    /// <summary>Any of the three handshake failures (no detail, protocol, authentication).</summary>
    HandshakeFailed = HandshakeFailedNoDetail | HandshakeFailedProtocol | HandshakeFailedAuth,

    /// <summary>ZMQ_EVENT_ALL: every event of event version 1 (every value above except <see cref="PipesStats"/>).</summary>
    All = LibZmq.ZMQ_EVENT_ALL,

    /// <summary>
    /// ZMQ_EVENT_PIPES_STATS (draft API, event version 2): the queue lengths of one connection,
    /// sent for each connection when <see cref="ZmqMonitor.RequestPipesStats"/> is called.
    /// Values: messages queued outbound, then inbound. Needs a libzmq with the draft API.
    /// </summary>
    PipesStats = LibZmq.ZMQ_EVENT_PIPES_STATS,
}
