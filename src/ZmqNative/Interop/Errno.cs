namespace ZmqNative.Interop;

/// <summary>
/// The one table that maps errno numbers to <see cref="ZmqErrorCode"/> and back. Linux, macOS and
/// Windows number errno differently; libzmq adds its own codes above ZMQ_HAUSNUMERO (zmq.h), and
/// uses ZMQ_HAUSNUMERO + n for POSIX codes a platform's errno.h lacks.
/// </summary>
internal static class Errno
{
    private const int HausNumero = LibZmq.ZMQ_HAUSNUMERO;

    private static readonly (ZmqErrorCode Code, int Linux, int MacOS, int Windows)[] Platform =
    [
        (ZmqErrorCode.EAGAIN, 11, 35, 11),
        (ZmqErrorCode.EINTR, 4, 4, 4),
        (ZmqErrorCode.EINVAL, 22, 22, 22),
        (ZmqErrorCode.EFAULT, 14, 14, 14),
        (ZmqErrorCode.ENOMEM, 12, 12, 12),
        (ZmqErrorCode.ENODEV, 19, 19, 19),
        (ZmqErrorCode.EMFILE, 24, 24, 24),
        (ZmqErrorCode.ENOENT, 2, 2, 2),
        (ZmqErrorCode.EBADF, 9, 9, 9),
        (ZmqErrorCode.ENOTSUP, 95, 45, 129),
        (ZmqErrorCode.EPROTONOSUPPORT, 93, 43, 135),
        (ZmqErrorCode.ENOBUFS, 105, 55, 119),
        (ZmqErrorCode.ENETDOWN, 100, 50, 116),
        (ZmqErrorCode.EADDRINUSE, 98, 48, 100),
        (ZmqErrorCode.EADDRNOTAVAIL, 99, 49, 101),
        (ZmqErrorCode.ECONNREFUSED, 111, 61, 107),
        (ZmqErrorCode.EINPROGRESS, 115, 36, 112),
        (ZmqErrorCode.ENOTSOCK, 88, 38, 128),
        (ZmqErrorCode.EMSGSIZE, 90, 40, 115),
        (ZmqErrorCode.EAFNOSUPPORT, 97, 47, 102),
        (ZmqErrorCode.ENETUNREACH, 101, 51, 118),
        (ZmqErrorCode.ECONNABORTED, 103, 53, 106),
        (ZmqErrorCode.ECONNRESET, 104, 54, 108),
        (ZmqErrorCode.ENOTCONN, 107, 57, 126),
        (ZmqErrorCode.ETIMEDOUT, 110, 60, 138),
        (ZmqErrorCode.EHOSTUNREACH, 113, 65, 110),
        (ZmqErrorCode.ENETRESET, 102, 52, 117),
        (ZmqErrorCode.EACCES, 13, 13, 13),
        (ZmqErrorCode.ENAMETOOLONG, 36, 63, 38),
    ];

    // zmq.h's fallbacks (ZMQ_HAUSNUMERO + n) for POSIX codes, and libzmq's own codes.
    private static readonly (ZmqErrorCode Code, int Offset)[] LibZmqOwn =
    [
        (ZmqErrorCode.ENOTSUP, 1), (ZmqErrorCode.EPROTONOSUPPORT, 2), (ZmqErrorCode.ENOBUFS, 3),
        (ZmqErrorCode.ENETDOWN, 4), (ZmqErrorCode.EADDRINUSE, 5), (ZmqErrorCode.EADDRNOTAVAIL, 6),
        (ZmqErrorCode.ECONNREFUSED, 7), (ZmqErrorCode.EINPROGRESS, 8), (ZmqErrorCode.ENOTSOCK, 9),
        (ZmqErrorCode.EMSGSIZE, 10), (ZmqErrorCode.EAFNOSUPPORT, 11), (ZmqErrorCode.ENETUNREACH, 12),
        (ZmqErrorCode.ECONNABORTED, 13), (ZmqErrorCode.ECONNRESET, 14), (ZmqErrorCode.ENOTCONN, 15),
        (ZmqErrorCode.ETIMEDOUT, 16), (ZmqErrorCode.EHOSTUNREACH, 17), (ZmqErrorCode.ENETRESET, 18),
        (ZmqErrorCode.EFSM, 51), (ZmqErrorCode.ENOCOMPATPROTO, 52), (ZmqErrorCode.ETERM, 53), (ZmqErrorCode.EMTHREAD, 54),
    ];

    private static readonly LibZmqResolver.Os CurrentOs = LibZmqResolver.CurrentOs();

    /// <summary>This platform's errno for EAGAIN, compared on every non-blocking call.</summary>
    internal static readonly int EAGAIN = ToErrno(ZmqErrorCode.EAGAIN);

    /// <summary>This platform's errno for EINTR.</summary>
    internal static readonly int EINTR = ToErrno(ZmqErrorCode.EINTR);

    /// <summary>This platform's errno for EMFILE.</summary>
    internal static readonly int EMFILE = ToErrno(ZmqErrorCode.EMFILE);

    /// <summary>libzmq's ETERM (the same everywhere).</summary>
    internal const int ETERM = LibZmq.ETERM;

    internal static ZmqErrorCode ToCode(int errno) => ToCode(errno, CurrentOs);

    internal static ZmqErrorCode ToCode(int errno, LibZmqResolver.Os os)
    {
        foreach (var (code, linux, macOS, windows) in Platform)
        {
            if (errno == Pick(os, linux, macOS, windows))
            {
                return code;
            }
        }

        foreach (var (code, offset) in LibZmqOwn)
        {
            if (errno == HausNumero + offset)
            {
                return code;
            }
        }

        return ZmqErrorCode.Unknown;
    }

    internal static int ToErrno(ZmqErrorCode code) => ToErrno(code, CurrentOs);

    internal static int ToErrno(ZmqErrorCode code, LibZmqResolver.Os os)
    {
        foreach (var (c, linux, macOS, windows) in Platform)
        {
            if (c == code)
            {
                return Pick(os, linux, macOS, windows);
            }
        }

        foreach (var (c, offset) in LibZmqOwn)
        {
            if (c == code)
            {
                return HausNumero + offset;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(code), code, "no errno for this code");
    }

    private static int Pick(LibZmqResolver.Os os, int linux, int macOS, int windows) => os switch
    {
        LibZmqResolver.Os.Windows => windows,
        LibZmqResolver.Os.MacOS => macOS,
        _ => linux,
    };
}
