using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// wuproxy: a weather update forwarder bridging two networks (Guide chapter 2, "Transport
/// Bridging"). Its XSUB frontend connects to the weather server (wuserver) on the internal
/// network; its XPUB backend is where subscribers (wuclient) on the external network connect.
/// XSUB/XPUB pass the subscriptions upstream as messages, so the server filters for the
/// subscribers behind the proxy as if they were its own. The Guide's two addresses are the defaults.
/// </summary>
[Example("wuproxy", 2, "XSUB/XPUB forwarder that republishes a weather server to another network",
    "zguide wuproxy [--frontend tcp://192.168.55.210:5556] [--backend tcp://10.1.1.0:8100]")]
internal static class WuproxyExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string frontendEndpoint = a.Text("frontend", "tcp://192.168.55.210:5556");
        string backendEndpoint = a.Text("backend", "tcp://10.1.1.0:8100");
        a.RejectUnknown();

        using var context = new ZmqContext();

        // This is where the weather server sits.
        using var frontend = context.CreateSocket(ZmqSocketType.XSub);
        frontend.Connect(frontendEndpoint);

        // This is our public endpoint for subscribers.
        using var backend = context.CreateSocket(ZmqSocketType.XPub);
        backend.Bind(backendEndpoint);

        // Run the proxy until the context is shut down.
        ZmqProxy.Run(frontend, backend);
        return 0;
    }
}
