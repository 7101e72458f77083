using System.Diagnostics.CodeAnalysis;
using System.Globalization;
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
    /// <param name="errno">The platform's errno, as the failed call captured it (zmq_errno(3)).</param>
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

    /// <summary>Throws the exception for the errno the last failed libzmq call captured: call right after it returned -1 or NULL.</summary>
    [DoesNotReturn]
    internal static void ThrowLast(string operation) => throw FromErrno(LibZmq.LastErrno(), operation);

    /// <summary>Throws the exception for the last failed call, named <c>call(value)</c>; see <see cref="FromLast(string, long)"/>.</summary>
    [DoesNotReturn]
    internal static void ThrowLast(string call, long value) => throw FromLast(call, value);

    /// <summary>
    /// The exception for the last failed call, named <c>call(value)</c>. The errno is read before
    /// the value is formatted: the captured error is per thread and shared with the runtime's own
    /// P/Invokes, and formatting a number the first time sets up culture data, which makes some.
    /// (A -1 formatted before reading errno made the first failure of a process report errno 203.)
    /// </summary>
    internal static ZmqException FromLast(string call, long value)
    {
        int errno = LibZmq.LastErrno();
        return FromErrno(errno, call + "(" + value.ToString(CultureInfo.InvariantCulture) + ")");
    }

    /// <summary>Throws the exception for the last failed call, named <c>call(name, value)</c>; errno is read first (<see cref="FromLast(string, long)"/>).</summary>
    [DoesNotReturn]
    internal static void ThrowLast(string call, string name, long value)
    {
        int errno = LibZmq.LastErrno();
        throw FromErrno(errno, call + "(" + name + ", " + value.ToString(CultureInfo.InvariantCulture) + ")");
    }

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

/// <summary>
/// A frame received is too large for what was asked of it: its size does not fit an int, so it
/// cannot be a span, an array or a string (a frame of 2 GiB or more; ZMTP allows 64-bit sizes).
/// Read such a frame's size with <see cref="ZmqMessage.LongSize"/>; refuse such frames with
/// <see cref="ZmqSocket.MaxMessageSize"/>.
/// </summary>
public sealed class ZmqFrameTooLargeException : ZmqException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was too large, and what to do.</param>
    /// <param name="frameSize">The frame's size in bytes, or -1 when libzmq did not report it (zmq_recv clips it to int.MaxValue).</param>
    public ZmqFrameTooLargeException(string message, long frameSize = -1)
        : base(message)
    {
        FrameSize = frameSize;
    }

    /// <summary>The frame's size in bytes, or -1 when it is only known to be at least int.MaxValue.</summary>
    public long FrameSize { get; }
}
