using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Security;

/// <summary>
/// stonehouse: CURVE encryption; the client must know the server's public key, and the server
/// lets in any client key (czmq's examples/security/stonehouse.c). Both certificates are made fresh.
/// </summary>
[Example("stonehouse", 0, "security demo 4: CURVE encryption, any client key", "zguide stonehouse [--allow 127.0.0.1] [--bind tcp://*:9000] [--connect tcp://127.0.0.1:9000] [--timeout-ms -1]")]
internal static class StonehouseExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var options = SecurityDemo.ReadCommon(a);
        string allow = a.Text("allow", "127.0.0.1");
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var auth = new ZmqAuthenticator(context, SecurityDemo.Log);
        auth.Allow(allow);
        // Tell the authenticator how to handle CURVE requests: any client key.
        auth.UseCurveAnyKey();

        // Two certificates, one for the client and one for the server. The client must know the
        // server's public key to make a CURVE connection.
        var clientCert = ZmqCertificate.Generate();
        var serverCert = ZmqCertificate.Generate();
        string serverKey = serverCert.PublicKeyZ85;

        return SecurityDemo.Exchange("Stonehouse", context, options,
            server => server.ConfigureCurveServer(serverCert),
            client => client.ConfigureCurveClient(clientCert, serverKey));
    }
}
