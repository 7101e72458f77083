using System.Net;
using System.Net.Sockets;
using System.Text;
using static ZmqNative.Tests.Security.SecurityKit;

namespace ZmqNative.Tests.Security;

/// <summary>
/// The socket's security options and helpers (zmq_plain(7), zmq_curve(7)), and a CURVE server
/// facing raw TCP clients that do not speak ZMTP properly.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class ZmqSocketSecurityTests
{
    private const string ServerPublic = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";

    [Test]
    public void CurveKeyZ85_SetAndRead_RoundTrips()
    {
        Assume.That(ZmqCurve.IsAvailable, "the loaded libzmq was built without CURVE");
        var pair = ZmqCurve.GenerateKeyPair();
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Dealer);

        socket.CurvePublicKeyZ85 = pair.PublicKeyZ85;
        socket.CurveSecretKeyZ85 = pair.SecretKeyZ85;
        socket.CurveServerKeyZ85 = ServerPublic;

        Assert.That(socket.CurvePublicKeyZ85, Is.EqualTo(pair.PublicKeyZ85));
        Assert.That(socket.CurveSecretKeyZ85, Is.EqualTo(pair.SecretKeyZ85));
        Assert.That(socket.CurveServerKeyZ85, Is.EqualTo(ServerPublic));
        Assert.That(socket.CurveServerKey, Is.EqualTo(Z85.Decode(ServerPublic)));
    }

    [TestCase("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf", "40 characters")]
    [TestCase("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf77", "40 characters")]
    [TestCase("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]y~7", "not a CURVE key in Z85")]
    [TestCase("#####>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", "not a CURVE key in Z85")]
    public void CurveKeyZ85_Invalid_ThrowsArgumentExceptionSayingWhy(string text, string reason)
    {
        Assume.That(ZmqCurve.IsAvailable, "the loaded libzmq was built without CURVE");
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Dealer);

        Assert.That(() => socket.CurveServerKeyZ85 = text, Throws.ArgumentException.With.Message.Contains(reason));
        Assert.That(() => socket.CurvePublicKeyZ85 = text, Throws.ArgumentException.With.Message.Contains(reason));
        Assert.That(() => socket.CurveSecretKeyZ85 = text, Throws.ArgumentException.With.Message.Contains(reason));
        Assert.That(() => socket.ConfigureCurveClient(ZmqCertificate.FromSecretKey("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"), text),
            Throws.ArgumentException.With.Message.Contains(reason));
        Assert.That(() => socket.SetCurveKey(ZmqNative.Interop.LibZmq.ZMQ_CURVE_SERVERKEY, text),
            Throws.ArgumentException.With.Message.Contains(reason).And.Property(nameof(ArgumentException.ParamName)).EqualTo("z85Key"));
    }

    [TestCase(0)]
    [TestCase(31)]
    [TestCase(33)]
    public void CurveKeyBytes_WrongLength_ThrowsArgumentExceptionSayingWhy(int length)
    {
        Assume.That(ZmqCurve.IsAvailable, "the loaded libzmq was built without CURVE");
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Dealer);

        Assert.That(() => socket.CurveServerKey = new byte[length], Throws.ArgumentException.With.Message.Contains("32-byte"));
        Assert.That(() => socket.CurveSecretKey = new byte[length], Throws.ArgumentException.With.Message.Contains("32-byte"));
        Assert.That(() => socket.ConfigureCurveClient(ZmqCertificate.Generate(), new byte[length]), Throws.ArgumentException.With.Message.Contains("32 bytes"));
    }

    [Test]
    public void ConfigureZapDomain_Default_SetsGlobalAndEnforces()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);

        socket.ConfigureZapDomain();

        Assert.That(socket.ZapDomain, Is.EqualTo("global"));
        Assert.That(socket.ZapEnforceDomain, Is.True);
        Assert.That(() => socket.ConfigureZapDomain(string.Empty), Throws.ArgumentException.With.Message.Contains("1 to 255"));
        Assert.That(() => socket.ConfigureZapDomain(new string('d', 256)), Throws.ArgumentException);
    }

    [Test]
    public void ConfigurePlain_ServerAndClient_SetTheirOptions()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Pull);
        using var client = context.CreateSocket(ZmqSocketType.Push);

        server.ConfigurePlainServer("accounts");
        client.ConfigurePlainClient("admin", "secret");

        Assert.That((server.PlainServer, server.Mechanism, server.ZapDomain), Is.EqualTo((true, ZmqSecurityMechanism.Plain, "accounts")));
        Assert.That((client.PlainServer, client.Mechanism, client.PlainUserName, client.PlainPassword),
            Is.EqualTo((false, ZmqSecurityMechanism.Plain, "admin", "secret")));
        Assert.That(() => client.ConfigurePlainClient(string.Empty, "x"), Throws.ArgumentException.With.Message.Contains("user name"));
        Assert.That(() => client.ConfigurePlainClient("u", new string('p', 256)), Throws.ArgumentException.With.Message.Contains("password"));
    }

    [Test]
    public void ConfigureCurveServer_PublicCertificate_ThrowsInvalidOperation()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Pull);

        Assert.That(() => server.ConfigureCurveServer(ZmqCertificate.FromPublicKey(ServerPublic)), Throws.InvalidOperationException);
    }

    [TestCase("garbage")]
    [TestCase("truncated greeting, then silence")]
    [TestCase("truncated greeting, then close")]
    [TestCase("NULL greeting")]
    public void CurveServer_RawTcpClient_IsDroppedAndGoodClientsAreStillServed(string attack)
    {
        Assume.That(ZmqCurve.IsAvailable, "the loaded libzmq was built without CURVE");
        var serverCert = ZmqCertificate.Generate();
        var clientCert = ZmqCertificate.Generate();
        using var context = new ZmqContext();
        using var auth = new ZmqAuthenticator(context);
        auth.UseCurveAnyKey();
        using var server = BindServer(context, s =>
        {
            s.ConfigureCurveServer(serverCert);
            // Bounds how long a silent peer may hold a handshake (the default is 30 s).
            s.HandshakeInterval = TimeSpan.FromMilliseconds(500);
        });
        var port = int.Parse(server.Endpoint[(server.Endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        using (var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            raw.ReceiveTimeout = (int)Wait.TotalMilliseconds;
            raw.Connect(new IPEndPoint(IPAddress.Loopback, port));
            raw.Send(attack switch
            {
                "garbage" => Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: example\r\n\r\n"),
                "NULL greeting" => Greeting("NULL"),
                _ => Greeting("CURVE")[..11], // signature and major version only
            });
            if (attack.EndsWith("close", StringComparison.Ordinal))
            {
                raw.Shutdown(SocketShutdown.Both);
            }
            else
            {
                Assert.That(ReadToEnd(raw), Is.True, "the server closes the connection");
            }
        }

        var events = EventsUntilDisconnected(server.Monitor);
        Assert.That(events.Select(e => e.Kind), Does.Not.Contain(ZmqMonitorEvents.HandshakeSucceeded));
        if (attack == "NULL greeting")
        {
            Assert.That(events.Select(e => e.ProtocolError), Does.Contain(ZmqProtocolError.ZmtpMechanismMismatch));
        }
        else if (attack.StartsWith("truncated", StringComparison.Ordinal))
        {
            Assert.That(events.Select(e => e.Kind), Does.Contain(ZmqMonitorEvents.HandshakeFailedNoDetail));
        }

        AssertServes(context, server, c => c.ConfigureCurveClient(clientCert, serverCert));
    }

    /// <summary>A ZMTP 3.0 greeting (RFC 23): signature, version 3.0, mechanism, as-server 0, filler; 64 bytes.</summary>
    private static byte[] Greeting(string mechanism)
    {
        var greeting = new byte[64];
        greeting[0] = 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        greeting[11] = 0;
        Encoding.ASCII.GetBytes(mechanism).CopyTo(greeting, 12);
        return greeting;
    }

    /// <summary>Reads until the peer closes (true) or the receive timeout passes (false).</summary>
    private static bool ReadToEnd(Socket raw)
    {
        var buffer = new byte[256];
        try
        {
            while (raw.Receive(buffer) > 0)
            {
            }

            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return false;
        }
    }

    private static List<ZmqMonitorEvent> EventsUntilDisconnected(ZmqMonitor monitor)
    {
        var events = new List<ZmqMonitorEvent>();
        while (true)
        {
            Assert.That(monitor.TryReceive(Wait, out var evt), Is.True, "the server reports the connection's end; so far: " + string.Join(", ", events));
            events.Add(evt!);
            if (evt!.Kind == ZmqMonitorEvents.Disconnected)
            {
                return events;
            }
        }
    }
}
