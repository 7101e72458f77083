using System.Globalization;
using System.Text;

namespace ZmqNative;

/// <summary>The status codes of a ZAP reply (RFC 27/ZAP).</summary>
public enum ZmqZapStatus
{
    /// <summary>200: the client is let in.</summary>
    Success = 200,

    /// <summary>
    /// 300: a temporary error (the credentials could not be checked just now). libzmq closes the
    /// connection without telling the client why (no ERROR command, RFC 26/CurveZMQ), and the
    /// client may try again.
    /// </summary>
    TemporaryFailure = 300,

    /// <summary>400: authentication failed. The client receives an ERROR command and does not reconnect.</summary>
    Denied = 400,

    /// <summary>500: an internal error of the handler. The client receives an ERROR command.</summary>
    InternalError = 500,
}

/// <summary>
/// One ZAP authentication request (RFC 27/ZAP) that libzmq sent for a connecting client, as the
/// <see cref="ZmqAuthenticator"/> hands it to a handler set with <see cref="ZmqAuthPolicy.UseHandler"/>.
/// </summary>
/// <remarks><see cref="ToString"/> never shows the PLAIN password.</remarks>
public sealed class ZmqZapRequest
{
    private readonly byte[] _routingId;
    private readonly byte[]? _clientKey;
    private readonly byte[][] _credentials;

    internal ZmqZapRequest(string domain, string address, byte[] routingId, string mechanism, byte[][] credentials)
    {
        Domain = domain;
        Address = address;
        _routingId = routingId;
        Mechanism = mechanism;
        _credentials = credentials;
        if (mechanism == "PLAIN" && credentials.Length == 2)
        {
            UserName = Encoding.UTF8.GetString(credentials[0]);
            Password = Encoding.UTF8.GetString(credentials[1]);
        }
        else if (mechanism == "CURVE" && credentials.Length == 1 && credentials[0].Length == ZmqCurve.KeyLength)
        {
            _clientKey = credentials[0];
            ClientKeyZ85 = Z85.Encode(_clientKey);
        }
    }

    /// <summary>The ZAP domain of the server socket (<see cref="ZmqSocket.ZapDomain"/>); empty when it set none.</summary>
    public string Domain { get; }

    /// <summary>The client's IP address as libzmq reports it ("127.0.0.1", "::1"); empty for transports without one.</summary>
    public string Address { get; }

    /// <summary>The server socket's routing id (the RFC's "identity" frame; a copy), often empty.</summary>
    public byte[] RoutingId => (byte[])_routingId.Clone();

    /// <summary>The security mechanism: "NULL", "PLAIN", "CURVE" or "GSSAPI".</summary>
    public string Mechanism { get; }

    /// <summary>The PLAIN user name; null for other mechanisms.</summary>
    public string? UserName { get; }

    /// <summary>The PLAIN password, in clear text as PLAIN sends it; null for other mechanisms. Do not log it.</summary>
    public string? Password { get; }

    /// <summary>The CURVE client's long-term public key (32 bytes, a copy); null for other mechanisms.</summary>
    public byte[]? ClientKey => (byte[]?)_clientKey?.Clone();

    /// <summary>The CURVE client's public key as 40 Z85 characters; null for other mechanisms.</summary>
    public string? ClientKeyZ85 { get; }

    /// <summary>The credential frames as libzmq sent them (copies): none for NULL, user name and password for PLAIN, the key for CURVE.</summary>
    public IReadOnlyList<byte[]> Credentials => [.. _credentials.Select(c => (byte[])c.Clone())];

    /// <summary>The domain, address, mechanism and user name or client key; never the password.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("domain='").Append(Domain).Append("' address=").Append(Address.Length == 0 ? "(none)" : Address)
            .Append(" mechanism=").Append(Mechanism);
        if (UserName is not null)
        {
            text.Append(" user='").Append(UserName).Append('\'');
        }

        if (ClientKeyZ85 is not null)
        {
            text.Append(" client-key=").Append(ClientKeyZ85);
        }

        return text.ToString();
    }
}

/// <summary>
/// The answer to a <see cref="ZmqZapRequest"/> (RFC 27/ZAP): a status code, a status text for the
/// server's logs, the user id the server's application sees as the "User-Id" property of the
/// client's messages, and metadata properties for those messages.
/// </summary>
public sealed class ZmqZapReply
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private ZmqZapReply(ZmqZapStatus status, string statusText, string userId, IReadOnlyDictionary<string, string> metadata)
    {
        Status = status;
        StatusText = statusText;
        UserId = userId;
        Metadata = metadata;
    }

    /// <summary>The status code.</summary>
    public ZmqZapStatus Status { get; }

    /// <summary>Why; libzmq does not pass it to the client (only the code travels, in an ERROR command).</summary>
    public string StatusText { get; }

    /// <summary>The user id for <see cref="ZmqZapStatus.Success"/>; empty otherwise (RFC 27).</summary>
    public string UserId { get; }

    /// <summary>Connection properties for <see cref="ZmqZapStatus.Success"/>, readable with <see cref="ZmqMessage.GetProperty"/>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Lets the client in (200).</summary>
    /// <param name="userId">The user id the application sees (at most 255 bytes); empty for none.</param>
    /// <param name="metadata">Properties for the client's messages: names of letters, digits and <c>-_.+</c>, at most 255 characters.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="ArgumentException">The user id is too long or a metadata name is not valid ZMTP.</exception>
    public static ZmqZapReply Allow(string userId = "", IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(userId);
        CheckShortString(userId, nameof(userId));
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in metadata ?? NoMetadata)
        {
            if (!ZmqCertificate.IsZmtpPropertyName(name))
            {
                throw new ArgumentException($"'{name}' is not a ZMTP property name (letters, digits and -_.+, at most 255)", nameof(metadata));
            }

            copy[name] = value ?? throw new ArgumentException($"metadata '{name}' has no value", nameof(metadata));
        }

        return new ZmqZapReply(ZmqZapStatus.Success, "OK", userId, copy);
    }

    /// <summary>Refuses the client: authentication failed (400).</summary>
    /// <param name="statusText">Why, for the server's logs.</param>
    /// <returns>The reply.</returns>
    public static ZmqZapReply Deny(string statusText = "No access") => Failure(ZmqZapStatus.Denied, statusText);

    /// <summary>Refuses the client for now: the credentials could not be checked (300).</summary>
    /// <param name="statusText">Why, for the server's logs.</param>
    /// <returns>The reply.</returns>
    public static ZmqZapReply TemporaryFailure(string statusText = "Try again later") => Failure(ZmqZapStatus.TemporaryFailure, statusText);

    /// <summary>Refuses the client: the handler failed (500).</summary>
    /// <param name="statusText">Why, for the server's logs.</param>
    /// <returns>The reply.</returns>
    public static ZmqZapReply InternalError(string statusText = "Internal error") => Failure(ZmqZapStatus.InternalError, statusText);

    /// <summary>The status code and text, and the user id.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() =>
        ((int)Status).ToString(CultureInfo.InvariantCulture) + " " + StatusText + (UserId.Length > 0 ? " user-id='" + UserId + "'" : string.Empty);

    /// <summary>The ZMTP metadata encoding of <see cref="Metadata"/> (RFC 23: name length, name, 4-byte big-endian value length, value).</summary>
    internal byte[] EncodeMetadata()
    {
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var (name, value) in Metadata)
        {
            byte[] nameBytes = Encoding.ASCII.GetBytes(name);
            byte[] valueBytes = Encoding.UTF8.GetBytes(value);
            buffer.WriteByte((byte)nameBytes.Length);
            buffer.Write(nameBytes);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, valueBytes.Length);
            buffer.Write(length);
            buffer.Write(valueBytes);
        }

        return buffer.ToArray();
    }

    private static ZmqZapReply Failure(ZmqZapStatus status, string statusText)
    {
        ArgumentNullException.ThrowIfNull(statusText);
        CheckShortString(statusText, nameof(statusText));
        return new ZmqZapReply(status, statusText, string.Empty, NoMetadata);
    }

    private static void CheckShortString(string text, string parameter)
    {
        // RFC 27: "All string fields are at most 255 characters".
        if (Encoding.UTF8.GetByteCount(text) > 255)
        {
            throw new ArgumentException("a ZAP string field is at most 255 bytes (RFC 27)", parameter);
        }
    }
}
