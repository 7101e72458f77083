using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// A libzmq call failed. Carries the platform's errno, its portable meaning
/// (<see cref="Error"/>), and libzmq's own text for it (<c>zmq_strerror</c>).
/// </summary>
/// <remarks>
/// EAGAIN from a non-blocking <c>Try*</c> call is not an exception: those return false.
/// EINTR is retried inside ZmqNative. ETERM is a <see cref="ContextTerminatedException"/>.
/// </remarks>
public class ZmqException : Exception
{
    /// <summary>Creates an exception for an errno, naming the operation that failed.</summary>
    /// <param name="errno">The platform's errno as <c>zmq_errno()</c> returned it.</param>
    /// <param name="operation">What failed, e.g. <c>"zmq_bind(tcp://127.0.0.1:5555)"</c>.</param>
    public ZmqException(int errno, string operation)
        : base(Describe(errno, operation))
    {
        Errno = errno;
        Error = Interop.Errno.ToCode(errno);
        Operation = operation;
        ErrorText = StrError(errno);
    }

    /// <summary>Creates an exception with a message of the caller's and no errno.</summary>
    /// <param name="message">The message.</param>
    public ZmqException(string message)
        : base(message)
    {
        Operation = string.Empty;
    }

    /// <summary>Creates an exception with a message of the caller's and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ZmqException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
    }

    /// <summary>Creates an exception with no details.</summary>
    public ZmqException()
        : this("a ZeroMQ call failed")
    {
    }

    /// <summary>The platform's errno number (Linux, macOS and Windows differ).</summary>
    public int Errno { get; }

    /// <summary>The error's meaning, the same on every platform.</summary>
    public ZmqErrorCode Error { get; }

    /// <summary>The symbolic name of the error (<c>"EAGAIN"</c>, <c>"ETERM"</c>), or <c>"errno N"</c> when it has none.</summary>
    public string ErrorName => Error == ZmqErrorCode.Unknown ? "errno " + Errno : Error.ToString();

    /// <summary>What was being done when the error happened.</summary>
    public string Operation { get; }

    /// <summary>libzmq's description of the error (<c>zmq_strerror</c>), e.g. "Resource temporarily unavailable"; empty when there is no errno.</summary>
    public string ErrorText { get; } = string.Empty;

    /// <summary>Throws the exception for <c>zmq_errno()</c>: call right after a libzmq call returned -1.</summary>
    [DoesNotReturn]
    internal static void ThrowLast(string operation) => throw FromErrno(LibZmq.zmq_errno(), operation);

    internal static ZmqException FromErrno(int errno, string operation) =>
        errno == Interop.Errno.ETERM ? new ContextTerminatedException(operation) : new ZmqException(errno, operation);

    private static unsafe string Describe(int errno, string operation)
    {
        var code = Interop.Errno.ToCode(errno);
        string name = code == ZmqErrorCode.Unknown ? "errno " + errno : code + " (" + errno + ")";
        return operation + " failed: " + name + ": " + StrError(errno);
    }

    private static unsafe string StrError(int errno) =>
        Marshal.PtrToStringUTF8((nint)LibZmq.zmq_strerror(errno)) ?? "unknown error";
}

/// <summary>
/// The socket's context was shut down or disposed (ETERM): every blocking call on its sockets
/// ends with this, so threads waiting in receive can finish.
/// </summary>
public sealed class ContextTerminatedException : ZmqException
{
    /// <summary>Creates the exception for an operation that ended because its context was terminated.</summary>
    /// <param name="operation">What was being done.</param>
    public ContextTerminatedException(string operation)
        : base(Interop.Errno.ETERM, operation)
    {
    }
}
