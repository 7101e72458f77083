namespace ZmqNative;

/// <summary>What a socket is ready for (ZMQ_POLLIN, ZMQ_POLLOUT, ZMQ_POLLERR, ZMQ_POLLPRI).</summary>
[Flags]
public enum ZmqPollEvents : short
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>ZMQ_POLLIN: at least one message can be received without blocking.</summary>
    In = 1,
    /// <summary>ZMQ_POLLOUT: at least one message can be sent without blocking.</summary>
    Out = 2,
    /// <summary>ZMQ_POLLERR: an error condition (raw file descriptors only).</summary>
    Error = 4,
    /// <summary>ZMQ_POLLPRI: urgent data (raw file descriptors only).</summary>
    Priority = 8,
}

/// <summary>The security mechanism of a socket (ZMQ_MECHANISM).</summary>
public enum ZmqSecurityMechanism
{
    /// <summary>ZMQ_NULL: no security.</summary>
    Null = 0,
    /// <summary>ZMQ_PLAIN: user name and password, in clear text.</summary>
    Plain = 1,
    /// <summary>ZMQ_CURVE: CurveZMQ encryption and authentication.</summary>
    Curve = 2,
    /// <summary>ZMQ_GSSAPI: Kerberos.</summary>
    GssApi = 3,
}
