using System.Text;
using ZmqNative.Interop;

namespace ZmqNative;

// Raw and typed access to socket options (zmq_setsockopt(3), zmq_getsockopt(3)). Every failure
// names the option; values libzmq would misread are rejected here with ArgumentException.
public sealed unsafe partial class ZmqSocket
{
    // ZMQ_RCVTIMEO and ZMQ_SNDTIMEO as last set (libzmq's default: -1, infinite). A blocking call
    // reads the clock when it starts only when its timeout is finite.
    private int _receiveTimeoutMs = -1;
    private int _sendTimeoutMs = -1;

    // Enough for every variable-length option libzmq returns (routing ids are at most 255 bytes,
    // endpoints are bounded by the longest ipc path plus the scheme).
    private const int OptionBufferSize = 1024;

    /// <summary>Reads an int option by number (zmq_getsockopt), for options without a property.</summary>
    /// <param name="option">A ZMQ_* socket option number from zmq.h.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ZmqException">EINVAL when the option is unknown or not readable.</exception>
    public int GetOption(int option) => GetInt32(option, "option " + option);

    /// <summary>Sets an int option by number (zmq_setsockopt), for options without a property.</summary>
    /// <param name="option">A ZMQ_* socket option number from zmq.h.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ZmqException">EINVAL when the option is unknown or the value is out of range.</exception>
    public void SetOption(int option, int value) => SetInt32(option, "option " + option, value);

    /// <summary>Sets a 64-bit option by number.</summary>
    /// <param name="option">A ZMQ_* socket option number from zmq.h.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ZmqException">EINVAL when the option is unknown or the value is out of range.</exception>
    public void SetOption(int option, long value) => SetInt64(option, "option " + option, value);

    /// <summary>Sets a binary or string option by number, as raw bytes.</summary>
    /// <param name="option">A ZMQ_* socket option number from zmq.h.</param>
    /// <param name="value">The bytes.</param>
    /// <exception cref="ZmqException">EINVAL when the option is unknown or the value is invalid.</exception>
    public void SetOption(int option, ReadOnlySpan<byte> value) => SetRaw(option, "option " + option, value);

    /// <summary>Reads a binary or string option by number into a buffer.</summary>
    /// <param name="option">A ZMQ_* socket option number from zmq.h.</param>
    /// <param name="buffer">Where the value goes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ZmqException">EINVAL when the option is unknown or the buffer is too small.</exception>
    public int GetOption(int option, Span<byte> buffer) => GetRaw(option, "option " + option, buffer);

    /// <summary>Subscribes to messages that start with <paramref name="prefix"/> (ZMQ_SUBSCRIBE; SUB, XSUB, DISH-less).</summary>
    /// <param name="prefix">The prefix; empty subscribes to everything.</param>
    public void Subscribe(ReadOnlySpan<byte> prefix) => SetRaw(LibZmq.ZMQ_SUBSCRIBE, nameof(LibZmq.ZMQ_SUBSCRIBE), prefix);

    /// <summary>Subscribes to messages that start with the UTF-8 bytes of <paramref name="prefix"/> (ZMQ_SUBSCRIBE).</summary>
    /// <param name="prefix">The prefix; empty subscribes to everything.</param>
    /// <exception cref="ArgumentException">The prefix contains a NUL character (subscribe to binary prefixes with the byte overload).</exception>
    public void Subscribe(string prefix) => Subscribe(Utf8Text.GetBytes(prefix, nameof(prefix)));

    /// <summary>Removes one subscription made with the same prefix (ZMQ_UNSUBSCRIBE).</summary>
    /// <param name="prefix">The prefix subscribed before.</param>
    public void Unsubscribe(ReadOnlySpan<byte> prefix) => SetRaw(LibZmq.ZMQ_UNSUBSCRIBE, nameof(LibZmq.ZMQ_UNSUBSCRIBE), prefix);

    /// <summary>Removes one subscription made with the same UTF-8 prefix (ZMQ_UNSUBSCRIBE).</summary>
    /// <param name="prefix">The prefix subscribed before.</param>
    /// <exception cref="ArgumentException">The prefix contains a NUL character.</exception>
    public void Unsubscribe(string prefix) => Unsubscribe(Utf8Text.GetBytes(prefix, nameof(prefix)));

    /// <summary>Sets a CURVE key option from its 40-character Z85 text.</summary>
    /// <param name="option">ZMQ_CURVE_PUBLICKEY, ZMQ_CURVE_SECRETKEY or ZMQ_CURVE_SERVERKEY.</param>
    /// <param name="z85Key">The key as Z85: 40 characters.</param>
    /// <exception cref="ArgumentException">The text is not 40 valid Z85 characters.</exception>
    public void SetCurveKey(int option, string z85Key)
    {
        // The same check as the Z85 properties, so a bad key says "CURVE key" and which parameter.
        ZmqCurve.CheckZ85(z85Key, nameof(z85Key));
        SetCurveKey(option, "option " + option, Z85.Decode(z85Key));
    }

    /// <summary>The native descriptor that signals when <see cref="Events"/> may have changed (ZMQ_FD): an int on POSIX, a SOCKET on Windows.</summary>
    public nint FileDescriptor
    {
        get
        {
            if (OperatingSystem.IsWindows())
            {
                nuint fd = 0;
                GetRaw(LibZmq.ZMQ_FD, nameof(LibZmq.ZMQ_FD), new Span<byte>(&fd, sizeof(nuint)));
                return (nint)fd;
            }

            return GetInt32(LibZmq.ZMQ_FD, nameof(LibZmq.ZMQ_FD));
        }
    }

    private int GetInt32(int option, string name)
    {
        int value = 0;
        GetRaw(option, name, new Span<byte>(&value, sizeof(int)));
        return value;
    }

    private void SetInt32(int option, string name, int value) => SetRaw(option, name, new ReadOnlySpan<byte>(&value, sizeof(int)));

    private long GetInt64(int option, string name)
    {
        long value = 0;
        GetRaw(option, name, new Span<byte>(&value, sizeof(long)));
        return value;
    }

    private void SetInt64(int option, string name, long value) => SetRaw(option, name, new ReadOnlySpan<byte>(&value, sizeof(long)));

    private ulong GetUInt64(int option, string name) => (ulong)GetInt64(option, name);

    private void SetUInt64(int option, string name, ulong value) => SetInt64(option, name, (long)value);

    private bool GetBoolean(int option, string name) => GetInt32(option, name) != 0;

    private void SetBoolean(int option, string name, bool value) => SetInt32(option, name, value ? 1 : 0);

    private TimeSpan GetMilliseconds(int option, string name)
    {
        int ms = GetInt32(option, name);
        return ms < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);
    }

    private void SetMilliseconds(int option, string name, TimeSpan value) => SetInt32(option, name, ToMilliseconds(value, name));

    /// <summary>A TimeSpan as libzmq's int milliseconds: -1 for infinite, otherwise 0 to int.MaxValue.</summary>
    internal static int ToMilliseconds(TimeSpan value, string name)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            return -1;
        }

        if (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, name + " takes Timeout.InfiniteTimeSpan or 0 to int.MaxValue milliseconds");
        }

        return (int)Math.Ceiling(value.TotalMilliseconds);
    }

    private ZmqPollEvents GetEvents(int option, string name) => (ZmqPollEvents)GetInt32(option, name);

    private ZmqSecurityMechanism GetMechanism(int option, string name) => (ZmqSecurityMechanism)GetInt32(option, name);

    private byte[] GetBytes(int option, string name)
    {
        Span<byte> buffer = stackalloc byte[OptionBufferSize];
        int length = GetRaw(option, name, buffer);
        return buffer[..length].ToArray();
    }

    private void SetBytes(int option, string name, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        SetRaw(option, name, value);
    }

    private string GetString(int option, string name)
    {
        Span<byte> buffer = stackalloc byte[OptionBufferSize];
        int length = GetRaw(option, name, buffer);
        // libzmq returns strings with their terminating NUL.
        var text = buffer[..length];
        int nul = text.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? text[..nul] : text);
    }

    private void SetString(int option, string name, string value) => SetRaw(option, name, Utf8Text.GetBytes(value, nameof(value)));

    private byte[] GetCurveKey(int option, string name)
    {
        var key = new byte[32];
        int length = GetRaw(option, name, key);
        return length == 32 ? key : key[..length];
    }

    private void SetCurveKey(int option, string name, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != 32)
        {
            throw new ArgumentException($"{name} takes a 32-byte CURVE key (or 40 Z85 characters via SetCurveKey); this one has {value.Length} bytes", nameof(value));
        }

        SetRaw(option, name, value);
    }

    private int GetRaw(int option, string name, Span<byte> buffer)
    {
        using var lease = Enter();
        nuint size = (nuint)buffer.Length;
        int rc;
        fixed (byte* p = buffer)
        {
            while (ZmqCall.Interrupted(rc = LibZmq.zmq_getsockopt(lease.Socket, option, p, &size)))
            {
            }
        }

        if (rc == -1)
        {
            ZmqException.ThrowLast("zmq_getsockopt(" + name + ")");
        }

        return (int)size;
    }

    /// <summary>
    /// The one place every option is set: the value is checked against <see cref="OptionRules"/>
    /// first, and the socket's send and receive timeouts are remembered for the deadline of a
    /// blocking call interrupted by a signal (see <see cref="ZmqWait.ForBlockingCall"/>).
    /// </summary>
    private void SetRaw(int option, string name, ReadOnlySpan<byte> value)
    {
        OptionRules.CheckSocket(option, value);
        SetRawUnchecked(option, name, value);
        if ((option == LibZmq.ZMQ_RCVTIMEO || option == LibZmq.ZMQ_SNDTIMEO) && value.Length == sizeof(int))
        {
            int ms = System.Runtime.InteropServices.MemoryMarshal.Read<int>(value);
            if (option == LibZmq.ZMQ_RCVTIMEO)
            {
                _receiveTimeoutMs = ms;
            }
            else
            {
                _sendTimeoutMs = ms;
            }
        }
    }

    private void SetRawUnchecked(int option, string name, ReadOnlySpan<byte> value)
    {
        using var lease = Enter();
        int rc;
        fixed (byte* p = value)
        {
            // An empty span may have a null pointer; libzmq accepts (NULL, 0) for empty values.
            while (ZmqCall.Interrupted(rc = LibZmq.zmq_setsockopt(lease.Socket, option, p, (nuint)value.Length)))
            {
            }
        }

        if (rc == -1)
        {
            ZmqException.ThrowLast("zmq_setsockopt(" + name + ")");
        }
    }
}
