using System.Security.Cryptography;
using System.Text;
using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// CURVE key pairs (CurveZMQ, RFC 26): new ones from libzmq's generator (zmq_curve_keypair(3)) and
/// public keys derived from secret ones (zmq_curve_public(3)). Keys are 32 bytes, or 40 characters of
/// <see cref="Z85"/> text; the socket options (<see cref="ZmqSocket.CurveSecretKey"/>,
/// <see cref="ZmqSocket.CurvePublicKey"/>, <see cref="ZmqSocket.CurveServerKey"/>) take the bytes.
/// </summary>
public static unsafe class ZmqCurve
{
    /// <summary>The length of a CURVE key in bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>The length of a CURVE key as Z85 text.</summary>
    public const int Z85KeyLength = 40;

    /// <summary>Whether the loaded libzmq has CURVE (<c>zmq_has("curve")</c>).</summary>
    public static bool IsAvailable => Zmq.Has("curve");

    /// <summary>Generates a new key pair (zmq_curve_keypair(3)) from the operating system's random source.</summary>
    /// <returns>The pair.</returns>
    /// <exception cref="NotSupportedException">The loaded libzmq was built without CURVE.</exception>
    public static ZmqCurveKeyPair GenerateKeyPair()
    {
        byte* publicZ85 = stackalloc byte[Z85KeyLength + 1];
        byte* secretZ85 = stackalloc byte[Z85KeyLength + 1];
        try
        {
            if (LibZmq.zmq_curve_keypair(publicZ85, secretZ85) != 0)
            {
                ThrowCurveError("zmq_curve_keypair");
            }

            var publicKey = Z85.Decode(Encoding.ASCII.GetString(publicZ85, Z85KeyLength));
            var secretKey = Z85.Decode(Encoding.ASCII.GetString(secretZ85, Z85KeyLength));
            return new ZmqCurveKeyPair(publicKey, secretKey);
        }
        finally
        {
            // The secret key passed through these buffers; do not leave it on the stack.
            CryptographicOperations.ZeroMemory(new Span<byte>(secretZ85, Z85KeyLength + 1));
        }
    }

    /// <summary>Derives the public key that belongs to a secret key (zmq_curve_public(3)).</summary>
    /// <param name="secretKey">The secret key: 32 bytes.</param>
    /// <returns>The public key: 32 bytes.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    /// <exception cref="NotSupportedException">The loaded libzmq was built without CURVE.</exception>
    public static byte[] DerivePublicKey(ReadOnlySpan<byte> secretKey)
    {
        CheckLength(secretKey, nameof(secretKey));
        byte* secretZ85 = stackalloc byte[Z85KeyLength + 1];
        try
        {
            fixed (byte* secret = secretKey)
            {
                // zmq_z85_encode cannot fail for 32 bytes (a multiple of 4).
                LibZmq.zmq_z85_encode(secretZ85, secret, KeyLength);
            }

            return Z85.Decode(DerivePublicZ85(secretZ85));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(new Span<byte>(secretZ85, Z85KeyLength + 1));
        }
    }

    /// <summary>Derives the public key that belongs to a secret key given as Z85 text (zmq_curve_public(3)).</summary>
    /// <param name="z85SecretKey">The secret key: 40 Z85 characters.</param>
    /// <returns>The public key as 40 Z85 characters.</returns>
    /// <exception cref="ArgumentException">The text is not 40 valid Z85 characters.</exception>
    /// <exception cref="NotSupportedException">The loaded libzmq was built without CURVE.</exception>
    public static string DerivePublicKey(string z85SecretKey)
    {
        CheckZ85(z85SecretKey, nameof(z85SecretKey));
        byte* secretZ85 = stackalloc byte[Z85KeyLength + 1];
        try
        {
            Encoding.ASCII.GetBytes(z85SecretKey, new Span<byte>(secretZ85, Z85KeyLength));
            secretZ85[Z85KeyLength] = 0;
            return DerivePublicZ85(secretZ85);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(new Span<byte>(secretZ85, Z85KeyLength + 1));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is 32 bytes.</summary>
    internal static void CheckLength(ReadOnlySpan<byte> key, string parameter)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"a CURVE key is {KeyLength} bytes; this one has {key.Length}", parameter);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="z85Key"/> is 40 valid Z85 characters.</summary>
    internal static void CheckZ85(string z85Key, string parameter)
    {
        ArgumentNullException.ThrowIfNull(z85Key, parameter);
        if (z85Key.Length != Z85KeyLength)
        {
            throw new ArgumentException($"a CURVE key in Z85 is {Z85KeyLength} characters; this one has {z85Key.Length}", parameter);
        }

        try
        {
            // Validates the alphabet, and that every 5-character group fits in 32 bits.
            CryptographicOperations.ZeroMemory(Z85.Decode(z85Key));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("not a CURVE key in Z85: " + e.Message, parameter, e);
        }
    }

    private static string DerivePublicZ85(byte* secretZ85)
    {
        byte* publicZ85 = stackalloc byte[Z85KeyLength + 1];
        if (LibZmq.zmq_curve_public(publicZ85, secretZ85) != 0)
        {
            ThrowCurveError("zmq_curve_public");
        }

        return Encoding.ASCII.GetString(publicZ85, Z85KeyLength);
    }

    private static void ThrowCurveError(string operation)
    {
        int errno = LibZmq.LastErrno();
        if (Errno.ToCode(errno) == ZmqErrorCode.ENOTSUP)
        {
            throw new NotSupportedException(
                $"{operation}: the loaded libzmq ({ZmqNativeLibrary.LoadedFrom}) was built without CURVE support.");
        }

        throw ZmqException.FromErrno(errno, operation);
    }
}

/// <summary>
/// A CURVE key pair: the public key to give to peers and the secret key to keep. Both as 32 bytes
/// and as 40 characters of Z85 text. <see cref="ToString"/> shows only the public key.
/// </summary>
public sealed class ZmqCurveKeyPair
{
    private readonly byte[] _publicKey;
    private readonly byte[] _secretKey;

    internal ZmqCurveKeyPair(byte[] publicKey, byte[] secretKey)
    {
        _publicKey = publicKey;
        _secretKey = secretKey;
        PublicKeyZ85 = Z85.Encode(publicKey);
        SecretKeyZ85 = Z85.Encode(secretKey);
    }

    /// <summary>The public key: 32 bytes (a new copy on each read).</summary>
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>The secret key: 32 bytes (a new copy on each read).</summary>
    public byte[] SecretKey => (byte[])_secretKey.Clone();

    /// <summary>The public key as 40 Z85 characters.</summary>
    public string PublicKeyZ85 { get; }

    /// <summary>The secret key as 40 Z85 characters.</summary>
    public string SecretKeyZ85 { get; }

    /// <summary>Rebuilds the pair of a stored secret key, deriving its public key (zmq_curve_public(3)).</summary>
    /// <param name="secretKey">The secret key: 32 bytes.</param>
    /// <returns>The pair.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static ZmqCurveKeyPair FromSecretKey(ReadOnlySpan<byte> secretKey) =>
        new(ZmqCurve.DerivePublicKey(secretKey), secretKey.ToArray());

    /// <summary>Rebuilds the pair of a stored secret key given as Z85 text.</summary>
    /// <param name="z85SecretKey">The secret key: 40 Z85 characters.</param>
    /// <returns>The pair.</returns>
    /// <exception cref="ArgumentException">The text is not 40 valid Z85 characters.</exception>
    public static ZmqCurveKeyPair FromSecretKey(string z85SecretKey)
    {
        ZmqCurve.CheckZ85(z85SecretKey, nameof(z85SecretKey));
        return FromSecretKey(Z85.Decode(z85SecretKey));
    }

    /// <summary>The public key only, never the secret one.</summary>
    /// <returns>A description with the public key in Z85.</returns>
    public override string ToString() => "CURVE key pair, public key " + PublicKeyZ85;
}
