using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ZmqNative;

/// <summary>
/// The one conversion of strings handed to libzmq: UTF-8, and never with an embedded NUL. libzmq
/// reads endpoints, group and property names as C strings, which a NUL ends early
/// (<c>Bind("inproc://abc\0def")</c> bound <c>inproc://abc</c>), and the string options and text
/// subscriptions are refused the same way, so no text means something else to libzmq than to .NET.
/// </summary>
internal static class Utf8Text
{
    /// <summary>Throws unless <paramref name="text"/> is non-null and free of NUL characters.</summary>
    /// <param name="text">The text.</param>
    /// <param name="paramName">The parameter the text came in, named in the exception.</param>
    /// <exception cref="ArgumentNullException">The text is null.</exception>
    /// <exception cref="ArgumentException">The text contains a NUL character.</exception>
    internal static void Check([NotNull] string? text, string paramName)
    {
        ArgumentNullException.ThrowIfNull(text, paramName);
        int nul = text.IndexOf('\0');
        if (nul >= 0)
        {
            throw new ArgumentException(
                $"the text contains a NUL character (at index {nul}); libzmq would read only the part before it", paramName);
        }
    }

    /// <summary>The checked text's UTF-8 bytes, without a terminator.</summary>
    /// <param name="text">The text.</param>
    /// <param name="paramName">The parameter the text came in.</param>
    /// <returns>The bytes.</returns>
    internal static byte[] GetBytes(string text, string paramName)
    {
        Check(text, paramName);
        return Encoding.UTF8.GetBytes(text);
    }
}

/// <summary>A checked string (<see cref="Utf8Text.Check"/>) as NUL-terminated UTF-8 in a pooled buffer.</summary>
/// <remarks>
/// Always pooled, never on the stack: it serves endpoints, group and property names, option and
/// capability names, none of them on a per-message path, and one buffer of any length keeps it
/// simple. It is a ref struct so that it lives only in the <c>using</c> around the call it serves.
/// </remarks>
internal ref struct Utf8Z
{
    private byte[]? _rented;

    /// <summary>Converts <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="paramName">The parameter the text came in.</param>
    public Utf8Z(string? text, string paramName)
    {
        Utf8Text.Check(text, paramName);
        int max = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
        _rented = ArrayPool<byte>.Shared.Rent(max);
        int length = Encoding.UTF8.GetBytes(text, _rented);
        _rented[length] = 0;
        Bytes = _rented.AsSpan(0, length + 1);
    }

    /// <summary>The bytes, NUL included.</summary>
    public Span<byte> Bytes { get; }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
