using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// identity: what a ROUTER sees of its peers (Guide chapter 3, "Identities and Addresses").
/// Two REQ sockets send to one ROUTER over inproc. The first leaves its identity to ZeroMQ, so the
/// ROUTER makes one up (five bytes: a zero, then a 32-bit number, printed as hex); the second sets
/// ZMQ_ROUTING_ID to "PEER2" before it connects, and the ROUTER uses that. Each message is dumped
/// frame by frame: identity, the REQ's empty delimiter, then the text.
/// </summary>
[Example("identity", 3, "ROUTER's view of an anonymous and a named REQ peer, frame by frame", "zguide identity")]
internal static class IdentityExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var sink = context.CreateSocket(ZmqSocketType.Router);
        sink.Bind("inproc://example");

        // First let ZeroMQ make up the identity (zmq_socket(3), ZMQ_ROUTER: "a random identity").
        using var anonymous = context.CreateSocket(ZmqSocketType.Req);
        anonymous.Connect("inproc://example");
        anonymous.Send("ROUTER uses a generated 5 byte identity");
        FrameDump.Dump(sink);

        // Then name the peer ourselves; the option must be set before connecting (zmq_setsockopt(3), ZMQ_ROUTING_ID).
        using var identified = context.CreateSocket(ZmqSocketType.Req);
        identified.RoutingId = "PEER2"u8.ToArray();
        identified.Connect("inproc://example");
        identified.Send("ROUTER socket uses REQ's socket identity");
        FrameDump.Dump(sink);
        return 0;
    }
}
