using System.Text;

namespace ZmqNative;

// Typed helpers for the security mechanisms (zmq_null(7), zmq_plain(7), zmq_curve(7)) and ZAP
// (RFC 27): CURVE keys as Z85 text, and one call per role that sets every option it needs. The
// raw options (PlainServer, CurveServer, CurveSecretKey, ZapDomain, ...) are in ZmqSocket.Options.g.cs
// (generated from native/generator/options.json).
public sealed partial class ZmqSocket
{
    /// <summary>Gets or sets this socket's CURVE public key as 40 Z85 characters (ZMQ_CURVE_PUBLICKEY).</summary>
    /// <exception cref="ArgumentException">Set with text that is not 40 valid Z85 characters.</exception>
    public string CurvePublicKeyZ85
    {
        get => Z85.Encode(CurvePublicKey);
        set => CurvePublicKey = DecodeCurveKey(value);
    }

    /// <summary>Gets or sets this socket's CURVE secret key as 40 Z85 characters (ZMQ_CURVE_SECRETKEY).</summary>
    /// <exception cref="ArgumentException">Set with text that is not 40 valid Z85 characters.</exception>
    public string CurveSecretKeyZ85
    {
        get => Z85.Encode(CurveSecretKey);
        set => CurveSecretKey = DecodeCurveKey(value);
    }

    /// <summary>Gets or sets the server's CURVE public key a client expects, as 40 Z85 characters (ZMQ_CURVE_SERVERKEY).</summary>
    /// <exception cref="ArgumentException">Set with text that is not 40 valid Z85 characters.</exception>
    public string CurveServerKeyZ85
    {
        get => Z85.Encode(CurveServerKey);
        set => CurveServerKey = DecodeCurveKey(value);
    }

    /// <summary>
    /// Makes every connection this socket accepts ask the ZAP handler (<see cref="ZmqAuthenticator"/>)
    /// in <paramref name="zapDomain"/>, and be refused when no handler is running: sets
    /// ZMQ_ZAP_DOMAIN and ZMQ_ZAP_ENFORCE_DOMAIN. On a NULL socket this is what turns address
    /// checks on (the Strawhouse pattern); the PLAIN and CURVE server helpers call it.
    /// </summary>
    /// <param name="zapDomain">The domain the handler's rules are chosen by; 1 to 255 bytes.</param>
    /// <exception cref="ArgumentException">The domain is empty or longer than 255 bytes.</exception>
    /// <remarks>
    /// <para>Why enforce. Without a handler bound in the context, libzmq 4.3 refuses PLAIN clients,
    /// but lets CURVE clients in with any key, and NULL clients without checking their address
    /// ("legacy mode", curve_server.cpp and null_mechanism.cpp): stopping the authenticator would
    /// quietly open the door. With ZMQ_ZAP_ENFORCE_DOMAIN and a domain, a handshake that finds no
    /// handler fails (<see cref="ZmqMonitorEvents.HandshakeFailedNoDetail"/>, EFAULT) and the client
    /// is disconnected.</para>
    /// <para>The domain must not be empty: with enforcement on and no domain, a CURVE server does
    /// not consult ZAP at all (any client key gets in).</para>
    /// </remarks>
    public void ConfigureZapDomain(string zapDomain = ZmqAuthenticator.DefaultZapDomain)
    {
        CheckZapDomain(zapDomain);
        ZapDomain = zapDomain;
        ZapEnforceDomain = true;
    }

    /// <summary>
    /// Makes this socket a PLAIN server (zmq_plain(7)): clients send a user name and password, which
    /// the ZAP handler checks (<see cref="ZmqAuthPolicy.UsePlain"/>). Sets ZMQ_PLAIN_SERVER and
    /// <see cref="ConfigureZapDomain"/>. Call before binding.
    /// </summary>
    /// <param name="zapDomain">The ZAP domain; 1 to 255 bytes.</param>
    /// <remarks>PLAIN sends the password in clear text: use it on trusted networks, or use CURVE.</remarks>
    /// <exception cref="ArgumentException">The domain is empty or longer than 255 bytes.</exception>
    public void ConfigurePlainServer(string zapDomain = ZmqAuthenticator.DefaultZapDomain)
    {
        ConfigureZapDomain(zapDomain);
        PlainServer = true;
    }

    /// <summary>Makes this socket a PLAIN client that logs in with a user name and password (ZMQ_PLAIN_USERNAME, ZMQ_PLAIN_PASSWORD). Call before connecting.</summary>
    /// <param name="userName">The user name: 1 to 255 bytes.</param>
    /// <param name="password">The password: 1 to 255 bytes.</param>
    /// <exception cref="ArgumentException">A value is empty or longer than 255 bytes (zmq_setsockopt(3) takes no other).</exception>
    public void ConfigurePlainClient(string userName, string password)
    {
        CheckPlainCredential(userName, nameof(userName));
        CheckPlainCredential(password, nameof(password));
        PlainUserName = userName;
        PlainPassword = password;
    }

    /// <summary>
    /// Makes this socket a CURVE server (zmq_curve(7)) with the certificate's key pair: connections are
    /// encrypted, and clients must know the certificate's public key. Which clients get in is the ZAP
    /// handler's decision (<see cref="ZmqAuthPolicy.UseCurveAnyKey"/> or <see cref="ZmqAuthPolicy.UseCurve"/>).
    /// Sets ZMQ_CURVE_SECRETKEY, ZMQ_CURVE_PUBLICKEY, ZMQ_CURVE_SERVER and <see cref="ConfigureZapDomain"/>. Call before binding.
    /// </summary>
    /// <param name="certificate">The server's certificate, with its secret key.</param>
    /// <param name="zapDomain">The ZAP domain; 1 to 255 bytes.</param>
    /// <exception cref="ArgumentException">The domain is empty or longer than 255 bytes.</exception>
    /// <exception cref="InvalidOperationException">The certificate has no secret key.</exception>
    public void ConfigureCurveServer(ZmqCertificate certificate, string zapDomain = ZmqAuthenticator.DefaultZapDomain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        // Check both arguments before setting anything, so a failure leaves the socket as it was.
        CheckZapDomain(zapDomain);
        certificate.Apply(this);
        ConfigureZapDomain(zapDomain);
        CurveServer = true;
    }

    /// <summary>
    /// Makes this socket a CURVE client with the certificate's key pair, talking only to the server
    /// whose public key is <paramref name="serverPublicKey"/> (ZMQ_CURVE_SECRETKEY, ZMQ_CURVE_PUBLICKEY,
    /// ZMQ_CURVE_SERVERKEY). Call before connecting.
    /// </summary>
    /// <param name="certificate">The client's certificate, with its secret key.</param>
    /// <param name="serverPublicKey">The server's public key: 32 bytes.</param>
    /// <exception cref="ArgumentException">The server key is not 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The certificate has no secret key.</exception>
    public void ConfigureCurveClient(ZmqCertificate certificate, ReadOnlySpan<byte> serverPublicKey)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ZmqCurve.CheckLength(serverPublicKey, nameof(serverPublicKey));
        certificate.Apply(this);
        CurveServerKey = serverPublicKey.ToArray();
    }

    /// <summary>Makes this socket a CURVE client of the server whose public key is given as Z85 text; see <see cref="ConfigureCurveClient(ZmqCertificate, ReadOnlySpan{byte})"/>.</summary>
    /// <param name="certificate">The client's certificate, with its secret key.</param>
    /// <param name="serverPublicKeyZ85">The server's public key: 40 Z85 characters.</param>
    /// <exception cref="ArgumentException">The server key is not 40 valid Z85 characters.</exception>
    /// <exception cref="InvalidOperationException">The certificate has no secret key.</exception>
    public void ConfigureCurveClient(ZmqCertificate certificate, string serverPublicKeyZ85)
    {
        ZmqCurve.CheckZ85(serverPublicKeyZ85, nameof(serverPublicKeyZ85));
        ConfigureCurveClient(certificate, Z85.Decode(serverPublicKeyZ85));
    }

    /// <summary>Makes this socket a CURVE client of the server with the given (public) certificate; see <see cref="ConfigureCurveClient(ZmqCertificate, ReadOnlySpan{byte})"/>.</summary>
    /// <param name="certificate">The client's certificate, with its secret key.</param>
    /// <param name="serverCertificate">The server's certificate; its public key is what is used.</param>
    /// <exception cref="InvalidOperationException">The client certificate has no secret key.</exception>
    public void ConfigureCurveClient(ZmqCertificate certificate, ZmqCertificate serverCertificate)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ConfigureCurveClient(certificate, serverCertificate.PublicKey);
    }

    private static void CheckZapDomain(string zapDomain)
    {
        ArgumentNullException.ThrowIfNull(zapDomain);
        int length = Encoding.UTF8.GetByteCount(zapDomain);
        if (length is 0 or > 255)
        {
            throw new ArgumentException($"a ZAP domain is 1 to 255 bytes; this one has {length}", nameof(zapDomain));
        }
    }

    private static byte[] DecodeCurveKey(string z85Key)
    {
        ZmqCurve.CheckZ85(z85Key, "value");
        return Z85.Decode(z85Key);
    }

    private static void CheckPlainCredential(string value, string parameter)
    {
        ArgumentNullException.ThrowIfNull(value, parameter);
        int length = Encoding.UTF8.GetByteCount(value);
        if (length is 0 or > 255)
        {
            throw new ArgumentException($"a PLAIN {(parameter == "password" ? "password" : "user name")} is 1 to 255 bytes; this one has {length}", parameter);
        }
    }
}
