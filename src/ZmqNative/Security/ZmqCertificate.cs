using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ZmqNative;

/// <summary>
/// A CURVE certificate (RFC 26/CurveZMQ): a public key, optionally its secret key, and metadata
/// (name/value pairs such as <c>name</c> or <c>email</c>). Generate one, save it, give the public
/// file to peers, load the files back, and <see cref="Apply"/> it to a socket.
/// </summary>
/// <remarks>
/// <para><b>Files.</b> The format is czmq's (zcert(3)), so certificates interoperate with czmq,
/// zmakecert, pyzmq's <c>zmq.auth</c> and the Guide's examples: ZPL text (RFC 4) with a
/// <c>metadata</c> section and a <c>curve</c> section holding <c>public-key</c> and, in the secret
/// file only, <c>secret-key</c>, both as 40 Z85 characters. <see cref="Save"/> writes two files: the
/// public one at the given path, and the secret one at the path plus <c>_secret</c>.</para>
/// <para><b>Secrets.</b> The secret key never appears in <see cref="ToString"/> or in the public file;
/// the secret file is created readable by its owner only (mode 0600) on Linux and macOS.</para>
/// <para>A certificate is not thread-safe while its metadata is being changed; reading it from
/// several threads is fine.</para>
/// </remarks>
public sealed class ZmqCertificate
{
    /// <summary>The suffix czmq adds to a certificate's path for its secret file.</summary>
    public const string SecretFileSuffix = "_secret";

    private static readonly UTF8Encoding Utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly byte[] _publicKey;
    private readonly byte[]? _secretKey;
    private readonly List<KeyValuePair<string, string>> _metadata = [];

    private ZmqCertificate(byte[] publicKey, byte[]? secretKey)
    {
        _publicKey = publicKey;
        _secretKey = secretKey;
        PublicKeyZ85 = Z85.Encode(publicKey);
    }

    /// <summary>The public key: 32 bytes (a new copy on each read).</summary>
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>The public key as 40 Z85 characters.</summary>
    public string PublicKeyZ85 { get; }

    /// <summary>Whether the certificate has its secret key (generated, or loaded from a secret file).</summary>
    public bool HasSecretKey => _secretKey is not null;

    /// <summary>The secret key: 32 bytes (a new copy on each read), or null for a public certificate.</summary>
    public byte[]? SecretKey => (byte[]?)_secretKey?.Clone();

    /// <summary>The secret key as 40 Z85 characters, or null for a public certificate.</summary>
    public string? SecretKeyZ85 => _secretKey is null ? null : Z85.Encode(_secretKey);

    /// <summary>A snapshot of the metadata (files list it in the order it was set or read).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _metadata.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>Generates a certificate with a new key pair (zmq_curve_keypair(3)).</summary>
    /// <returns>The certificate, with its secret key.</returns>
    /// <exception cref="NotSupportedException">The loaded libzmq was built without CURVE.</exception>
    public static ZmqCertificate Generate() => FromKeyPair(ZmqCurve.GenerateKeyPair());

    /// <summary>A certificate of an existing key pair.</summary>
    /// <param name="keyPair">The pair.</param>
    /// <returns>The certificate, with its secret key.</returns>
    public static ZmqCertificate FromKeyPair(ZmqCurveKeyPair keyPair)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        return new ZmqCertificate(keyPair.PublicKey, keyPair.SecretKey);
    }

    /// <summary>A public certificate: a peer's public key, without a secret.</summary>
    /// <param name="publicKey">The public key: 32 bytes.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static ZmqCertificate FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        ZmqCurve.CheckLength(publicKey, nameof(publicKey));
        return new ZmqCertificate(publicKey.ToArray(), null);
    }

    /// <summary>A public certificate from a public key given as Z85 text.</summary>
    /// <param name="z85PublicKey">The public key: 40 Z85 characters.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="ArgumentException">The text is not 40 valid Z85 characters.</exception>
    public static ZmqCertificate FromPublicKey(string z85PublicKey)
    {
        ZmqCurve.CheckZ85(z85PublicKey, nameof(z85PublicKey));
        return new ZmqCertificate(Z85.Decode(z85PublicKey), null);
    }

    /// <summary>A certificate of a stored secret key; the public key is derived from it (zmq_curve_public(3)).</summary>
    /// <param name="secretKey">The secret key: 32 bytes.</param>
    /// <returns>The certificate, with its secret key.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    /// <exception cref="NotSupportedException">The loaded libzmq was built without CURVE.</exception>
    public static ZmqCertificate FromSecretKey(ReadOnlySpan<byte> secretKey) =>
        new(ZmqCurve.DerivePublicKey(secretKey), secretKey.ToArray());

    /// <summary>A certificate of a stored secret key given as Z85 text.</summary>
    /// <param name="z85SecretKey">The secret key: 40 Z85 characters.</param>
    /// <returns>The certificate, with its secret key.</returns>
    /// <exception cref="ArgumentException">The text is not 40 valid Z85 characters.</exception>
    /// <exception cref="NotSupportedException">The loaded libzmq was built without CURVE.</exception>
    public static ZmqCertificate FromSecretKey(string z85SecretKey)
    {
        ZmqCurve.CheckZ85(z85SecretKey, nameof(z85SecretKey));
        return FromSecretKey(Z85.Decode(z85SecretKey));
    }

    /// <summary>
    /// Loads a certificate as czmq's zcert_load does: the secret file (<paramref name="path"/> plus
    /// <c>_secret</c>) when it exists, which has both keys, otherwise the public file at <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The public file's path.</param>
    /// <returns>The certificate, with its secret key when the secret file was read.</returns>
    /// <exception cref="FileNotFoundException">Neither file exists.</exception>
    /// <exception cref="InvalidDataException">The file is not a certificate: a ZPL syntax error, a missing or malformed key, or a secret key that does not belong to the public key.</exception>
    public static ZmqCertificate Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string secretPath = path + SecretFileSuffix;
        if (File.Exists(secretPath))
        {
            return ReadFile(secretPath, keepSecret: true);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no certificate at {path} (nor {secretPath})", path);
        }

        return ReadFile(path, keepSecret: true);
    }

    /// <summary>Reads a certificate from the text of a certificate file (public or secret).</summary>
    /// <param name="text">ZPL text in czmq's certificate format.</param>
    /// <returns>The certificate, with its secret key when the text has one.</returns>
    /// <exception cref="InvalidDataException">The text is not a certificate.</exception>
    public static ZmqCertificate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FromZpl(Zpl.Parse(text), keepSecret: true);
    }

    /// <summary>Sets one metadata property, replacing a value set before.</summary>
    /// <param name="name">The name: ZPL name characters (letters, digits and <c>$-_@.&amp;+/</c>, not starting or ending with <c>/</c>).</param>
    /// <param name="value">The value: one line, not containing both <c>'</c> and <c>"</c> (ZPL has no escapes).</param>
    /// <exception cref="ArgumentException">The name or value cannot be written to a certificate file.</exception>
    /// <remarks>
    /// The ZAP handler (<see cref="ZmqAuthenticator"/>) passes the metadata of a client's certificate
    /// to the server as connection properties, readable with <see cref="ZmqMessage.GetProperty"/>;
    /// only names of ZMTP's alphabet (letters, digits and <c>-_.+</c>) can travel that way.
    /// </remarks>
    public void SetMetadata(string name, string value)
    {
        CheckMetadataName(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!Zpl.CanQuote(value, out string reason))
        {
            throw new ArgumentException($"metadata '{name}': {reason}", nameof(value));
        }

        int index = _metadata.FindIndex(p => string.Equals(p.Key, name, StringComparison.Ordinal));
        if (index >= 0)
        {
            _metadata[index] = new(name, value);
        }
        else
        {
            _metadata.Add(new(name, value));
        }
    }

    /// <summary>Removes one metadata property.</summary>
    /// <param name="name">The name.</param>
    /// <returns>False when there was no such property.</returns>
    public bool RemoveMetadata(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _metadata.RemoveAll(p => string.Equals(p.Key, name, StringComparison.Ordinal)) > 0;
    }

    /// <summary>A copy without the secret key, with the same metadata: what to hand to peers or put in a <see cref="ZmqCertificateStore"/>.</summary>
    /// <returns>The public certificate.</returns>
    public ZmqCertificate ToPublic()
    {
        var copy = new ZmqCertificate((byte[])_publicKey.Clone(), null);
        copy._metadata.AddRange(_metadata);
        return copy;
    }

    /// <summary>
    /// Makes a socket use this certificate's key pair for CURVE (ZMQ_CURVE_SECRETKEY and
    /// ZMQ_CURVE_PUBLICKEY, as czmq's zcert_apply). A server then sets <see cref="ZmqSocket.CurveServer"/>,
    /// a client <see cref="ZmqSocket.CurveServerKey"/>; <see cref="ZmqSocket.ConfigureCurveServer"/> and
    /// <see cref="ZmqSocket.ConfigureCurveClient(ZmqCertificate, ReadOnlySpan{byte})"/> do both steps.
    /// </summary>
    /// <param name="socket">The socket, before it binds or connects.</param>
    /// <exception cref="InvalidOperationException">The certificate has no secret key (a public certificate cannot be used to connect).</exception>
    public void Apply(ZmqSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (_secretKey is null)
        {
            throw new InvalidOperationException(
                $"the certificate {PublicKeyZ85} has no secret key: load its secret file ({SecretFileSuffix}) to use it on a socket");
        }

        socket.CurveSecretKey = _secretKey;
        socket.CurvePublicKey = _publicKey;
    }

    /// <summary>
    /// Saves the certificate as czmq does: the public file at <paramref name="path"/> and, when
    /// there is a secret key, the secret file at <paramref name="path"/> plus <c>_secret</c>
    /// (owner-only on Linux and macOS). The directory must exist.
    /// </summary>
    /// <param name="path">The public file's path.</param>
    /// <exception cref="IOException">A file could not be written.</exception>
    public void Save(string path)
    {
        SavePublic(path);
        if (_secretKey is not null)
        {
            SaveSecret(path + SecretFileSuffix);
        }
    }

    /// <summary>Saves only the public file: metadata and the public key.</summary>
    /// <param name="path">The file's path; an existing file is replaced.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void SavePublic(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, ToPublicText(), Utf8WithoutBom);
    }

    /// <summary>Saves the secret file: metadata and both keys, readable by its owner only (mode 0600) on Linux and macOS.</summary>
    /// <param name="path">The file's path; an existing file is replaced.</param>
    /// <exception cref="InvalidOperationException">The certificate has no secret key.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void SaveSecret(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = Encoding.UTF8.GetBytes(ToSecretText());
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(path, options))
            {
                if (!OperatingSystem.IsWindows())
                {
                    // UnixCreateMode applies to new files only; an existing file keeps its mode unless set.
                    File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                file.Write(bytes);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The text of the public file (what <see cref="SavePublic"/> writes).</summary>
    /// <returns>ZPL text without the secret key.</returns>
    public string ToPublicText() => ToText(includeSecret: false);

    /// <summary>The text of the secret file (what <see cref="SaveSecret"/> writes); it contains the secret key.</summary>
    /// <returns>ZPL text with both keys.</returns>
    /// <exception cref="InvalidOperationException">The certificate has no secret key.</exception>
    public string ToSecretText()
    {
        if (_secretKey is null)
        {
            throw new InvalidOperationException($"the certificate {PublicKeyZ85} has no secret key to save");
        }

        return ToText(includeSecret: true);
    }

    /// <summary>The public key and the metadata names; never the secret key.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("CURVE certificate ").Append(PublicKeyZ85);
        text.Append(_secretKey is null ? " (public)" : " (with secret key)");
        foreach (var (name, value) in _metadata)
        {
            text.Append(' ').Append(name).Append("=\"").Append(value).Append('"');
        }

        return text.ToString();
    }

    /// <summary>Reads a certificate file; the store passes keepSecret false so it never holds secrets.</summary>
    internal static ZmqCertificate ReadFile(string path, bool keepSecret)
    {
        string text = File.ReadAllText(path);
        try
        {
            return FromZpl(Zpl.Parse(text), keepSecret);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Whether a metadata name can travel in a ZAP reply (RFC 23 ZMTP metadata: ALPHA, DIGIT, "-", "_", ".", "+").</summary>
    internal static bool IsZmtpPropertyName(string name) =>
        name.Length is > 0 and <= 255 && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or '+');

    private static void CheckMetadataName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !name.All(Zpl.IsNameChar) || name[0] == '/' || name[^1] == '/')
        {
            throw new ArgumentException(
                $"'{name}' is not a certificate metadata name: use letters, digits and $-_@.&+/ (not starting or ending with /)", nameof(name));
        }
    }

    private static ZmqCertificate FromZpl(ZplNode root, bool keepSecret)
    {
        var curve = root.Child("curve") ?? throw new InvalidDataException("not a CURVE certificate: no 'curve' section");
        string publicText = curve.Child("public-key")?.Value ?? throw new InvalidDataException("no curve/public-key");
        byte[] publicKey = DecodeKey(publicText, "curve/public-key");
        byte[]? secretKey = null;
        string? secretText = curve.Child("secret-key")?.Value;
        if (keepSecret && !string.IsNullOrEmpty(secretText))
        {
            secretKey = DecodeKey(secretText, "curve/secret-key");
            if (secretKey.All(b => b == 0))
            {
                // czmq writes an all-zero secret key for a certificate that has none.
                secretKey = null;
            }
            else if (!CryptographicOperations.FixedTimeEquals(ZmqCurve.DerivePublicKey(secretKey), publicKey))
            {
                CryptographicOperations.ZeroMemory(secretKey);
                throw new InvalidDataException("curve/secret-key does not belong to curve/public-key");
            }
        }

        var certificate = new ZmqCertificate(publicKey, secretKey);
        if (root.Child("metadata") is { } metadata)
        {
            foreach (var item in metadata.Children)
            {
                // Read whatever czmq could have written; SetMetadata's checks are for writing.
                certificate._metadata.RemoveAll(p => string.Equals(p.Key, item.Name, StringComparison.Ordinal));
                certificate._metadata.Add(new(item.Name, item.Value ?? string.Empty));
            }
        }

        return certificate;
    }

    private static byte[] DecodeKey(string text, string what)
    {
        if (text.Length != ZmqCurve.Z85KeyLength)
        {
            throw new InvalidDataException($"{what} is {text.Length} characters; a CURVE key in Z85 is {ZmqCurve.Z85KeyLength}");
        }

        try
        {
            return Z85.Decode(text);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{what} is not Z85: {e.Message}", e);
        }
    }

    private string ToText(bool includeSecret)
    {
        // czmq's layout (zcert.c): comment lines, a blank line, the metadata section (present even
        // when empty), then the curve section with the keys quoted (Z85 has '#' but no quotes).
        var text = new StringBuilder();
        string stamp = DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        text.Append("#   ****  Generated on ").Append(stamp).Append(" by ZmqNative  ****\n");
        if (includeSecret)
        {
            text.Append("#   ZeroMQ CURVE **Secret** Certificate\n");
            text.Append("#   Keep this file private: whoever holds it can act as its owner.\n");
        }
        else
        {
            text.Append("#   ZeroMQ CURVE Public Certificate\n");
            text.Append("#   Give this file to the peers that must recognise its owner, over a\n");
            text.Append("#   channel that cannot be tampered with, or check its key after the exchange.\n");
        }

        text.Append('\n');
        Zpl.AppendSection(text, 0, "metadata");
        foreach (var (name, value) in _metadata)
        {
            Zpl.AppendProperty(text, 1, name, value);
        }

        Zpl.AppendSection(text, 0, "curve");
        Zpl.AppendProperty(text, 1, "public-key", PublicKeyZ85);
        if (includeSecret)
        {
            Zpl.AppendProperty(text, 1, "secret-key", SecretKeyZ85!);
        }

        return text.ToString();
    }
}
