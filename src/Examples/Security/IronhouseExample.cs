using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Security;

/// <summary>
/// ironhouse: CURVE encryption, and both sides authenticated: the client knows the server's key,
/// and the server lets in only client keys whose certificates are in its store, the directory
/// <c>.curve</c> (czmq's examples/security/ironhouse.c). The demo saves its client's public
/// certificate there as <c>testcert.pub</c> (in practice that is done by hand or out of band);
/// <c>--unknown-client</c> leaves it out, to see the client refused.
/// </summary>
[Example("ironhouse", 0, "security demo 5: CURVE encryption, only known client keys", "zguide ironhouse [--certs .curve] [--unknown-client] [--allow 127.0.0.1] [--bind tcp://*:9000] [--connect tcp://127.0.0.1:9000] [--timeout-ms -1]")]
internal static class IronhouseExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "unknown-client");
        var options = SecurityDemo.ReadCommon(a);
        string allow = a.Text("allow", "127.0.0.1");
        string certs = a.Text("certs", ".curve");
        bool unknownClient = a.Flag("unknown-client");
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var auth = new ZmqAuthenticator(context, SecurityDemo.Log);
        auth.Allow(allow);
        // Tell the authenticator to use the certificate store in .curve; it follows the directory's changes.
        auth.UseCurveCertificates(certs);

        // A new client certificate, its public part saved in the store.
        var clientCert = ZmqCertificate.Generate();
        clientCert.SetMetadata("name", "Client test certificate");
        if (!unknownClient)
        {
            Directory.CreateDirectory(certs);
            clientCert.SavePublic(Path.Combine(certs, "testcert.pub"));
        }

        // The server certificate, as in Stonehouse.
        var serverCert = ZmqCertificate.Generate();
        string serverKey = serverCert.PublicKeyZ85;

        return SecurityDemo.Exchange("Ironhouse", context, options,
            server => server.ConfigureCurveServer(serverCert),
            client => client.ConfigureCurveClient(clientCert, serverKey));
    }
}
