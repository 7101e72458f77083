using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// msgqueue: the request-reply broker again, with libzmq's built-in proxy doing the loop (Guide
/// chapter 2, "ZeroMQ's Built-In Proxy Function"). Same sockets and endpoints as rrbroker, so
/// rrclient and rrworker talk to either unchanged.
/// </summary>
[Example("msgqueue", 2, "ROUTER/DEALER shared queue run by zmq_proxy",
    "zguide msgqueue [--frontend tcp://*:5559] [--backend tcp://*:5560]")]
internal static class MsgqueueExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string frontendEndpoint = a.Text("frontend", "tcp://*:5559");
        string backendEndpoint = a.Text("backend", "tcp://*:5560");
        a.RejectUnknown();

        using var context = new ZmqContext();

        // Socket facing clients.
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        frontend.Bind(frontendEndpoint);

        // Socket facing services.
        using var backend = context.CreateSocket(ZmqSocketType.Dealer);
        backend.Bind(backendEndpoint);

        // Start the proxy: it runs until the context is shut down.
        ZmqProxy.Run(frontend, backend);
        return 0;
    }
}
