namespace ZmqNative.Tests.Security;

/// <summary>CURVE key pairs (zmq_curve_keypair(3), zmq_curve_public(3)) and an encrypted exchange with them.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqCurveTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [SetUp]
    public void RequireCurve() => Assume.That(ZmqCurve.IsAvailable, "the loaded libzmq was built without CURVE");

    [Test]
    public void GenerateKeyPair_Keys_Are32BytesWithTheirZ85Text()
    {
        var pair = ZmqCurve.GenerateKeyPair();

        Assert.That(pair.PublicKey, Has.Length.EqualTo(ZmqCurve.KeyLength));
        Assert.That(pair.SecretKey, Has.Length.EqualTo(32));
        Assert.That(pair.PublicKeyZ85, Has.Length.EqualTo(ZmqCurve.Z85KeyLength));
        Assert.That(pair.SecretKeyZ85, Has.Length.EqualTo(40));
        Assert.That(Z85.Decode(pair.PublicKeyZ85), Is.EqualTo(pair.PublicKey));
        Assert.That(Z85.Decode(pair.SecretKeyZ85), Is.EqualTo(pair.SecretKey));
        Assert.That(pair.PublicKey, Is.Not.EqualTo(pair.SecretKey));
    }

    [Test]
    public void GenerateKeyPair_Twice_GivesDifferentKeys()
    {
        var first = ZmqCurve.GenerateKeyPair();
        var second = ZmqCurve.GenerateKeyPair();

        Assert.That(second.SecretKey, Is.Not.EqualTo(first.SecretKey));
        Assert.That(second.PublicKey, Is.Not.EqualTo(first.PublicKey));
    }

    [Test]
    public void DerivePublicKey_GeneratedSecret_GivesItsPublicKey()
    {
        var pair = ZmqCurve.GenerateKeyPair();

        Assert.That(ZmqCurve.DerivePublicKey(pair.SecretKey), Is.EqualTo(pair.PublicKey));
        Assert.That(ZmqCurve.DerivePublicKey(pair.SecretKeyZ85), Is.EqualTo(pair.PublicKeyZ85));
        var rebuilt = ZmqCurveKeyPair.FromSecretKey(pair.SecretKeyZ85);
        Assert.That((rebuilt.PublicKeyZ85, rebuilt.SecretKeyZ85), Is.EqualTo((pair.PublicKeyZ85, pair.SecretKeyZ85)));
    }

    [Test]
    public void DerivePublicKey_KnownSecret_GivesTheKnownPublicKey()
    {
        // The server's long-term test key pair of zmq_curve(7), in hexadecimal and in Z85.
        const string secret = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";
        const string expected = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
        var secretBytes = Convert.FromHexString("8E0BDD697628B91D8F245587EE95C5B04D48963F79259877B49CD9063AEAD3B7");
        var expectedBytes = Convert.FromHexString("54FCBA24E93249969316FB617C872BB0C1D1FF14800427C594CBFACF1BC2D652");

        Assert.That(ZmqCurve.DerivePublicKey(secret), Is.EqualTo(expected));
        Assert.That(ZmqCurve.DerivePublicKey(secretBytes), Is.EqualTo(expectedBytes));
    }

    [TestCase(0)]
    [TestCase(31)]
    [TestCase(33)]
    public void DerivePublicKey_WrongLength_ThrowsArgumentException(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => ZmqCurve.DerivePublicKey(new byte[length]))!;

        Assert.That(error.ParamName, Is.EqualTo("secretKey"));
        Assert.That(error.Message, Does.Contain("32 bytes").And.Contain(length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh", "40 characters")]
    [TestCase("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh66", "40 characters")]
    [TestCase("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{L ~", "not a CURVE key in Z85")]
    [TestCase("#####B%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6", "not a CURVE key in Z85")]
    public void DerivePublicKey_InvalidZ85_ThrowsArgumentException(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ZmqCurve.DerivePublicKey(text))!;

        Assert.That(error.ParamName, Is.EqualTo("z85SecretKey"));
        Assert.That(error.Message, Does.Contain(expected));
        Assert.That(() => ZmqCurveKeyPair.FromSecretKey(text), Throws.ArgumentException);
    }

    [Test]
    public void KeyPair_ToStringAndCopies_DoNotExposeOrShareTheSecret()
    {
        var pair = ZmqCurve.GenerateKeyPair();

        Assert.That(pair.ToString(), Does.Contain(pair.PublicKeyZ85).And.Not.Contain(pair.SecretKeyZ85));
        pair.SecretKey[0] ^= 0xFF;
        Assert.That(pair.SecretKey, Is.EqualTo(Z85.Decode(pair.SecretKeyZ85)), "each read is a copy");
    }

    [Test]
    public void Curve_ClientKnowsTheServerKey_ExchangesMessages()
    {
        var serverKeys = ZmqCurve.GenerateKeyPair();
        var clientKeys = ZmqCurve.GenerateKeyPair();
        using var context = new ZmqContext();
        using var server = CurveServer(context, serverKeys);
        using var client = CurveClient(context, clientKeys, serverKeys.PublicKey, server.LastEndpoint);

        client.Send("secret hello");

        Assert.That(server.TryReceiveString(Wait, out var text), Is.True);
        Assert.That(text, Is.EqualTo("secret hello"));
        Assert.That(server.Mechanism, Is.EqualTo(ZmqSecurityMechanism.Curve));
    }

    [Test]
    public void Curve_ClientHasTheWrongServerKey_HandshakeFailsAndNothingArrives()
    {
        var serverKeys = ZmqCurve.GenerateKeyPair();
        var clientKeys = ZmqCurve.GenerateKeyPair();
        var impostor = ZmqCurve.GenerateKeyPair();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero }; // the client's message can never go
        using var server = CurveServer(context, serverKeys);
        using var monitor = new ZmqMonitor(server, ZmqMonitorEvents.HandshakeFailed | ZmqMonitorEvents.HandshakeSucceeded);
        using var client = CurveClient(context, clientKeys, impostor.PublicKey, server.LastEndpoint);

        client.Send("for the wrong server");

        Assert.That(monitor.TryReceive(Wait, out var evt), Is.True);
        Assert.That(evt!.Kind, Is.EqualTo(ZmqMonitorEvents.HandshakeFailedProtocol));
        // curve_server.cpp: the client's HELLO box cannot be opened with the server's secret key.
        Assert.That(evt.ProtocolError, Is.EqualTo(ZmqProtocolError.ZmtpCryptographic));
        Assert.That(server.TryReceiveString(TimeSpan.Zero, out _), Is.False);
    }

    private static ZmqSocket CurveServer(ZmqContext context, ZmqCurveKeyPair keys)
    {
        var server = context.CreateSocket(ZmqSocketType.Pull);
        server.CurveServer = true;
        server.CurveSecretKey = keys.SecretKey;
        server.Bind("tcp://127.0.0.1:*");
        return server;
    }

    private static ZmqSocket CurveClient(ZmqContext context, ZmqCurveKeyPair keys, byte[] serverKey, string endpoint)
    {
        var client = context.CreateSocket(ZmqSocketType.Push);
        client.CurveServerKey = serverKey;
        client.CurvePublicKey = keys.PublicKey;
        client.CurveSecretKey = keys.SecretKey;
        client.Connect(endpoint);
        return client;
    }
}
