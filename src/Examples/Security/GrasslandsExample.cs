using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Security;

/// <summary>
/// grasslands: no security at all (czmq's examples/security/grasslands.c). Anyone who can reach the
/// port talks to the server, in clear text: the baseline the other four demos improve on.
/// </summary>
[Example("grasslands", 0, "security demo 1: no authentication, no encryption", "zguide grasslands [--bind tcp://*:9000] [--connect tcp://127.0.0.1:9000] [--timeout-ms -1]")]
internal static class GrasslandsExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var options = SecurityDemo.ReadCommon(a);
        a.RejectUnknown();

        using var context = new ZmqContext();
        return SecurityDemo.Exchange("Grasslands", context, options, _ => { }, _ => { });
    }
}
