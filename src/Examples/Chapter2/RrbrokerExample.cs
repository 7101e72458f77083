using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// rrbroker: a request-reply broker written out by hand (Guide chapter 2, "Shared Queue (DEALER
/// and ROUTER sockets)"). Clients (rrclient) connect their REQ sockets to its ROUTER frontend,
/// workers (rrworker) their REP sockets to its DEALER backend; it polls both and moves each
/// message, every frame of it, to the other side. The ROUTER puts the client's identity in
/// front of each request and takes it off the reply, which is how a reply finds its client.
/// msgqueue does the same with zmq_proxy(3).
/// </summary>
[Example("rrbroker", 2, "ROUTER/DEALER broker that moves requests and replies with a poll loop",
    "zguide rrbroker [--frontend tcp://*:5559] [--backend tcp://*:5560]")]
internal static class RrbrokerExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string frontendEndpoint = a.Text("frontend", "tcp://*:5559");
        string backendEndpoint = a.Text("backend", "tcp://*:5560");
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        using var backend = context.CreateSocket(ZmqSocketType.Dealer);
        frontend.Bind(frontendEndpoint);
        backend.Bind(backendEndpoint);

        using var poller = new ZmqPoller();
        poller.Add(frontend, ZmqPollEvents.In);
        poller.Add(backend, ZmqPollEvents.In);

        // Switch messages between the sockets, forever.
        using var message = new ZmqMessage();
        while (true)
        {
            poller.Wait(Timeout.InfiniteTimeSpan);
            if (poller.IsReady(frontend))
            {
                Forward(frontend, backend, message);
            }

            if (poller.IsReady(backend))
            {
                Forward(backend, frontend, message);
            }
        }
    }

    /// <summary>Moves one whole message, all its frames, from one socket to the other.</summary>
    private static void Forward(ZmqSocket from, ZmqSocket to, ZmqMessage message)
    {
        bool more;
        do
        {
            from.Receive(message);
            more = message.More;
            to.Send(message, more);
        }
        while (more);
    }
}
