using System.Globalization;
using System.Text;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// Prints frames the way the Guide's <c>s_dump</c> helper (zhelpers.h) and czmq's <c>zframe_print</c>
/// do: the size in three digits, then the bytes as text when every byte is printable ASCII, else
/// as hex. A ROUTER's generated identity (a zero byte and four more) shows as hex:
/// <c>[005] 0080000029</c>; a name set with ZMQ_ROUTING_ID shows as text: <c>[005] PEER2</c>.
/// </summary>
internal static class FrameDump
{
    /// <summary>The line s_dump puts above each message.</summary>
    public const string Separator = "----------------------------------------";

    /// <summary>One frame as <c>[005] HELLO</c>, or <c>[005] 0080000029</c> when it is binary.</summary>
    public static string Format(ReadOnlySpan<byte> frame)
    {
        var line = new StringBuilder(frame.Length * 2 + 6);
        line.Append('[').Append(frame.Length.ToString("D3", CultureInfo.InvariantCulture)).Append(']');
        if (frame.Length > 0)
        {
            line.Append(' ');
        }

        if (IsText(frame))
        {
            foreach (byte b in frame)
            {
                line.Append((char)b);
            }
        }
        else
        {
            line.Append(Convert.ToHexString(frame));
        }

        return line.ToString();
    }

    /// <summary>Whether every byte is printable ASCII (32 to 126), the test s_dump makes.</summary>
    public static bool IsText(ReadOnlySpan<byte> frame)
    {
        foreach (byte b in frame)
        {
            if (b < 32 || b > 126)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Receives one whole message and prints it: the separator, then one line per frame (s_dump).</summary>
    public static void Dump(ZmqSocket socket)
    {
        var frames = socket.ReceiveMultipart();
        Console.WriteLine(Separator);
        foreach (var frame in frames)
        {
            Console.WriteLine(Format(frame));
        }
    }

    /// <summary>The frames of a message on one line, separated by <c>|</c> (for narration).</summary>
    public static string OneLine(IEnumerable<byte[]> frames) => string.Join(" | ", frames.Select(f => Format(f)));

    /// <summary>
    /// A printable identity like the Guide's <c>s_set_id</c>: two random 16-bit numbers in hex,
    /// <c>%04X-%04X</c>. Printable, so the examples can show it as text.
    /// </summary>
    public static string RandomIdentity() =>
        string.Create(CultureInfo.InvariantCulture, $"{Random.Shared.Next(0x10000):X4}-{Random.Shared.Next(0x10000):X4}");
}
