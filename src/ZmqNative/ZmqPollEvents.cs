using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>What a socket is ready for (ZMQ_POLLIN, ZMQ_POLLOUT, ZMQ_POLLERR, ZMQ_POLLPRI).</summary>
[Flags]
public enum ZmqPollEvents : short
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>ZMQ_POLLIN: at least one message can be received without blocking.</summary>
    In = LibZmq.ZMQ_POLLIN,
    /// <summary>ZMQ_POLLOUT: at least one message can be sent without blocking.</summary>
    Out = LibZmq.ZMQ_POLLOUT,
    /// <summary>ZMQ_POLLERR: an error condition (raw file descriptors only).</summary>
    Error = LibZmq.ZMQ_POLLERR,
    /// <summary>ZMQ_POLLPRI: urgent data (raw file descriptors only).</summary>
    Priority = LibZmq.ZMQ_POLLPRI,
}

/// <summary>The security mechanism of a socket (ZMQ_MECHANISM).</summary>
public enum ZmqSecurityMechanism
{
    /// <summary>ZMQ_NULL: no security.</summary>
    Null = LibZmq.ZMQ_NULL,
    /// <summary>ZMQ_PLAIN: user name and password, in clear text.</summary>
    Plain = LibZmq.ZMQ_PLAIN,
    /// <summary>ZMQ_CURVE: CurveZMQ encryption and authentication.</summary>
    Curve = LibZmq.ZMQ_CURVE,
    /// <summary>ZMQ_GSSAPI: Kerberos.</summary>
    GssApi = LibZmq.ZMQ_GSSAPI,
}
