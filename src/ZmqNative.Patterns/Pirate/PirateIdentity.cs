using System.Globalization;
using System.Text;

namespace ZmqNative.Patterns.Pirate;

/// <summary>Worker identities: the Guide's random printable form, and a printable description of any identity.</summary>
internal static class PirateIdentity
{
    /// <summary>
    /// A random identity like the Guide's workers set (<c>"%04X-%04X"</c>), so traces show which worker
    /// is which; printable, so the Guide's C queue can print it too.
    /// </summary>
    public static byte[] NewRandom() =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Random.Shared.Next(0x10000):X4}-{Random.Shared.Next(0x10000):X4}"));

    /// <summary>An identity as text when every byte is printable ASCII, else as hex (as zframe_strhex does for ROUTER-generated ones).</summary>
    public static string Describe(byte[] identity)
    {
        foreach (byte b in identity)
        {
            if (b < 32 || b > 126)
            {
                return Convert.ToHexString(identity);
            }
        }

        return Encoding.ASCII.GetString(identity);
    }
}
