using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Security;

/// <summary>
/// strawhouse: clear text, clients filtered by IP address (czmq's examples/security/strawhouse.c).
/// An authenticator allows 127.0.0.1; any other address is refused.
/// </summary>
/// <remarks>
/// libzmq asks the ZAP handler about NULL connections only when the server has a ZAP domain, so
/// the server sets one (<see cref="ZmqSocket.ConfigureZapDomain"/>); without it the allow list
/// would never be consulted. <c>--allow</c> changes the allowed address, e.g. to see a refusal.
/// </remarks>
[Example("strawhouse", 0, "security demo 2: clear text, clients allowed by IP address", "zguide strawhouse [--allow 127.0.0.1] [--bind tcp://*:9000] [--connect tcp://127.0.0.1:9000] [--timeout-ms -1]")]
internal static class StrawhouseExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var options = SecurityDemo.ReadCommon(a);
        string allow = a.Text("allow", "127.0.0.1");
        a.RejectUnknown();

        using var context = new ZmqContext();
        // The authentication engine for this context: it answers libzmq's ZAP requests (RFC 27).
        using var auth = new ZmqAuthenticator(context, SecurityDemo.Log);
        auth.Allow(allow);

        return SecurityDemo.Exchange("Strawhouse", context, options,
            server => server.ConfigureZapDomain(),
            _ => { });
    }
}
