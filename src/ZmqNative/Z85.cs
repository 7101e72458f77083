using System.Text;
using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// Z85, ZeroMQ's printable encoding of binary data (RFC 32/Z85; zmq_z85_encode(3)): every
/// 4 bytes become 5 characters, so a 32-byte CURVE key is 40 characters.
/// </summary>
public static unsafe class Z85
{
    /// <summary>Encodes bytes as Z85 text.</summary>
    /// <param name="data">The bytes; the length must be a multiple of 4.</param>
    /// <returns>The text, 5/4 as long.</returns>
    /// <exception cref="ArgumentException">The length is not a multiple of 4.</exception>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        if (data.Length % 4 != 0)
        {
            throw new ArgumentException($"Z85 encodes whole groups of 4 bytes; {data.Length} bytes is not a multiple of 4", nameof(data));
        }

        var text = new byte[(data.Length / 4 * 5) + 1];
        fixed (byte* source = data)
        fixed (byte* destination = text)
        {
            if (LibZmq.zmq_z85_encode(destination, source, (nuint)data.Length) is null)
            {
                throw new ArgumentException("Z85 could not encode the data", nameof(data));
            }
        }

        return Encoding.ASCII.GetString(text, 0, text.Length - 1);
    }

    /// <summary>Decodes Z85 text to bytes.</summary>
    /// <param name="text">The text; its length must be a multiple of 5 and every character one of Z85's 85.</param>
    /// <returns>The bytes, 4/5 as long.</returns>
    /// <exception cref="ArgumentException">The length is not a multiple of 5 or a character is not Z85.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length % 5 != 0)
        {
            throw new ArgumentException($"Z85 text comes in groups of 5 characters; {text.Length} is not a multiple of 5", nameof(text));
        }

        foreach (char c in text)
        {
            if (c < 0x21 || c > 0x7d || c == '"' || c == '\'' || c == ',' || c == ';' || c == '\\' || c == '_' || c == '`' || c == '|' || c == '~')
            {
                throw new ArgumentException($"'{c}' is not a Z85 character", nameof(text));
            }
        }

        if (text.Length == 0)
        {
            // RFC 32 allows the empty string (0 is a multiple of 5) and Encode produces it;
            // libzmq's zmq_z85_decode rejects it, so answer here to keep Decode(Encode(x)) == x.
            return [];
        }

        var source = new byte[text.Length + 1];
        Encoding.ASCII.GetBytes(text, source);
        var data = new byte[text.Length / 5 * 4];
        fixed (byte* s = source)
        fixed (byte* d = data)
        {
            if (LibZmq.zmq_z85_decode(d, s) is null)
            {
                throw new ArgumentException("not valid Z85 text (a group decodes past 32 bits)", nameof(text));
            }
        }

        return data;
    }
}
