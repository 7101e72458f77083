namespace ZmqNative;

/// <summary>
/// The error conditions libzmq reports, named as in errno.h and zmq.h, the same on every
/// operating system. The numbers behind them differ between Linux, macOS and Windows;
/// <see cref="ZmqException.Errno"/> carries the platform's number and this enum the meaning.
/// </summary>
public enum ZmqErrorCode
{
    /// <summary>An errno this binding has no name for; see <see cref="ZmqException.Errno"/>.</summary>
    Unknown = 0,
    /// <summary>Resource temporarily unavailable: a non-blocking call would block, or a timeout passed.</summary>
    EAGAIN,
    /// <summary>Interrupted by a signal (ZmqNative retries these itself).</summary>
    EINTR,
    /// <summary>Invalid argument: an unknown option, a bad value, a malformed endpoint.</summary>
    EINVAL,
    /// <summary>Bad address: an invalid socket or message pointer.</summary>
    EFAULT,
    /// <summary>Out of memory.</summary>
    ENOMEM,
    /// <summary>No such device: the endpoint names a network interface that does not exist.</summary>
    ENODEV,
    /// <summary>Too many open files: the process or the context's socket limit is reached.</summary>
    EMFILE,
    /// <summary>No such file or directory (ipc endpoints).</summary>
    ENOENT,
    /// <summary>Bad file descriptor.</summary>
    EBADF,
    /// <summary>Operation not supported by this socket type.</summary>
    ENOTSUP,
    /// <summary>The transport protocol is not supported (by this build of libzmq).</summary>
    EPROTONOSUPPORT,
    /// <summary>No buffer space available.</summary>
    ENOBUFS,
    /// <summary>Network is down.</summary>
    ENETDOWN,
    /// <summary>Address already in use.</summary>
    EADDRINUSE,
    /// <summary>Cannot assign the requested address (not local).</summary>
    EADDRNOTAVAIL,
    /// <summary>Connection refused.</summary>
    ECONNREFUSED,
    /// <summary>Operation in progress.</summary>
    EINPROGRESS,
    /// <summary>The handle is not a socket (it was closed).</summary>
    ENOTSOCK,
    /// <summary>Message too long.</summary>
    EMSGSIZE,
    /// <summary>Address family not supported.</summary>
    EAFNOSUPPORT,
    /// <summary>Network is unreachable.</summary>
    ENETUNREACH,
    /// <summary>Connection aborted.</summary>
    ECONNABORTED,
    /// <summary>Connection reset by peer.</summary>
    ECONNRESET,
    /// <summary>Not connected.</summary>
    ENOTCONN,
    /// <summary>Connection timed out.</summary>
    ETIMEDOUT,
    /// <summary>No route to host; also a ROUTER with ZMQ_ROUTER_MANDATORY sending to an unknown peer.</summary>
    EHOSTUNREACH,
    /// <summary>Connection reset by network.</summary>
    ENETRESET,
    /// <summary>The operation cannot be done in the socket's current state (e.g. REQ sending twice).</summary>
    EFSM,
    /// <summary>The transport is not compatible with the socket type.</summary>
    ENOCOMPATPROTO,
    /// <summary>The socket's context was terminated.</summary>
    ETERM,
    /// <summary>No I/O thread is available.</summary>
    EMTHREAD,
    /// <summary>Permission denied: e.g. an ipc endpoint in a directory the process cannot write.</summary>
    EACCES,
    /// <summary>File name too long: an ipc endpoint's path exceeds the platform's limit (about 107 bytes on Linux).</summary>
    ENAMETOOLONG,
}
