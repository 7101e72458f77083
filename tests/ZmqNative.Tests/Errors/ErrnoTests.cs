using System.Runtime.InteropServices;
using ZmqNative.Interop;
using Os = ZmqNative.Interop.LibZmqResolver.Os;

namespace ZmqNative.Tests.Errors;

/// <summary>The one errno table (Interop/Errno.cs): Linux, macOS and Windows numbers, both ways.</summary>
[TestFixture]
[CancelAfter(10_000)]
public class ErrnoTests
{
    private const int HausNumero = 156384712; // ZMQ_HAUSNUMERO in zmq.h

    private static IEnumerable<ZmqErrorCode> Codes => Enum.GetValues<ZmqErrorCode>().Where(c => c != ZmqErrorCode.Unknown);

    [Test]
    public void ToErrno_EveryCodeOnEveryOs_MapsToANumberAndBack()
    {
        foreach (var os in Enum.GetValues<Os>())
        {
            foreach (var code in Codes)
            {
                int errno = Errno.ToErrno(code, os);

                Assert.That(errno, Is.GreaterThan(0), $"{code} on {os}");
                Assert.That(Errno.ToCode(errno, os), Is.EqualTo(code), $"{code} = {errno} on {os}");
            }
        }
    }

    [Test]
    public void ToErrno_OnEachOs_NoTwoCodesShareANumber()
    {
        foreach (var os in Enum.GetValues<Os>())
        {
            var numbers = Codes.Select(c => (Code: c, Errno: Errno.ToErrno(c, os))).ToList();

            Assert.That(numbers.Select(n => n.Errno), Is.Unique, $"{os}: {string.Join(", ", numbers)}");
        }
    }

    [TestCase(ZmqErrorCode.EAGAIN, 11, 35, 11)]
    [TestCase(ZmqErrorCode.EINTR, 4, 4, 4)]
    [TestCase(ZmqErrorCode.ENOTSUP, 95, 45, 129)]
    [TestCase(ZmqErrorCode.EADDRINUSE, 98, 48, 100)]
    [TestCase(ZmqErrorCode.ECONNREFUSED, 111, 61, 107)]
    [TestCase(ZmqErrorCode.EHOSTUNREACH, 113, 65, 110)]
    [TestCase(ZmqErrorCode.ETIMEDOUT, 110, 60, 138)]
    [TestCase(ZmqErrorCode.EACCES, 13, 13, 13)]
    [TestCase(ZmqErrorCode.ENAMETOOLONG, 36, 63, 38)]
    public void ToErrno_PlatformNumbers_MatchEachErrnoH(ZmqErrorCode code, int linux, int macOS, int windows)
    {
        Assert.That(Errno.ToErrno(code, Os.Linux), Is.EqualTo(linux));
        Assert.That(Errno.ToErrno(code, Os.MacOS), Is.EqualTo(macOS));
        Assert.That(Errno.ToErrno(code, Os.Windows), Is.EqualTo(windows));
    }

    [TestCase(ZmqErrorCode.EFSM, 51)]
    [TestCase(ZmqErrorCode.ENOCOMPATPROTO, 52)]
    [TestCase(ZmqErrorCode.ETERM, 53)]
    [TestCase(ZmqErrorCode.EMTHREAD, 54)]
    public void ToErrno_LibZmqOwnCodes_AreHausNumeroBasedOnEveryOs(ZmqErrorCode code, int offset)
    {
        foreach (var os in Enum.GetValues<Os>())
        {
            Assert.That(Errno.ToErrno(code, os), Is.EqualTo(HausNumero + offset), os.ToString());
        }
    }

    [Test]
    public void ToCode_ZmqHDefinedFallbacks_MapOnEveryOs()
    {
        // zmq.h defines ENOTSUP ... ENETRESET as ZMQ_HAUSNUMERO + 1 ... + 18 where errno.h lacks them.
        var fallbacks = new[]
        {
            ZmqErrorCode.ENOTSUP, ZmqErrorCode.EPROTONOSUPPORT, ZmqErrorCode.ENOBUFS, ZmqErrorCode.ENETDOWN,
            ZmqErrorCode.EADDRINUSE, ZmqErrorCode.EADDRNOTAVAIL, ZmqErrorCode.ECONNREFUSED, ZmqErrorCode.EINPROGRESS,
            ZmqErrorCode.ENOTSOCK, ZmqErrorCode.EMSGSIZE, ZmqErrorCode.EAFNOSUPPORT, ZmqErrorCode.ENETUNREACH,
            ZmqErrorCode.ECONNABORTED, ZmqErrorCode.ECONNRESET, ZmqErrorCode.ENOTCONN, ZmqErrorCode.ETIMEDOUT,
            ZmqErrorCode.EHOSTUNREACH, ZmqErrorCode.ENETRESET,
        };

        foreach (var os in Enum.GetValues<Os>())
        {
            for (int i = 0; i < fallbacks.Length; i++)
            {
                Assert.That(Errno.ToCode(HausNumero + 1 + i, os), Is.EqualTo(fallbacks[i]), $"ZMQ_HAUSNUMERO + {1 + i} on {os}");
            }
        }
    }

    [Test]
    public void ToCode_UnknownNumbers_AreUnknown()
    {
        foreach (var os in Enum.GetValues<Os>())
        {
            Assert.That(Errno.ToCode(0, os), Is.EqualTo(ZmqErrorCode.Unknown));
            Assert.That(Errno.ToCode(9999, os), Is.EqualTo(ZmqErrorCode.Unknown));
            Assert.That(Errno.ToCode(HausNumero + 50, os), Is.EqualTo(ZmqErrorCode.Unknown));
            Assert.That(() => Errno.ToErrno(ZmqErrorCode.Unknown, os), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void CurrentOs_EveryNumber_IsOneLibZmqKnows()
    {
        // zmq_strerror falls back to the C library's strerror, so every number this platform uses
        // must have a real description there, not "Unknown error N".
        foreach (var code in Codes)
        {
            int errno = Errno.ToErrno(code);
            string text = StrError(errno);

            Assert.That(text, Does.Not.StartWith("Unknown error"), $"{code} = {errno}");
            Assert.That(text, Is.Not.Empty, $"{code} = {errno}");
        }

        Assert.That(Errno.EAGAIN, Is.EqualTo(Errno.ToErrno(ZmqErrorCode.EAGAIN, LibZmqResolver.CurrentOs())));
        Assert.That(Errno.ETERM, Is.EqualTo(Errno.ToErrno(ZmqErrorCode.ETERM)));
    }

    private static unsafe string StrError(int errno) => Marshal.PtrToStringUTF8((nint)LibZmq.zmq_strerror(errno)) ?? string.Empty;
}
