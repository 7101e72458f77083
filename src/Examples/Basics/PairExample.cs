using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Basics;

/// <summary>
/// pair: two threads joined by PAIR sockets over inproc talk both ways without taking turns.
/// Each side sends all its messages first and only then reads the other side's: unlike REQ/REP,
/// a PAIR socket has no send/receive lock-step (zmq_socket(3), ZMQ_PAIR), and the messages wait
/// in the pipe until the peer reads them.
/// </summary>
[Example("pair", 0, "PAIR client and server over inproc, both sending several messages before reading", "zguide pair [--messages 5]")]
internal static class PairExample
{
    private const string Endpoint = "inproc://pair";

    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int messages = a.Int("messages", 5);
        a.RejectUnknown();

        // Both sides send everything before reading anything, so everything must fit in the pipe:
        // an inproc pipe holds the sender's ZMQ_SNDHWM plus the receiver's ZMQ_RCVHWM (1000 + 1000).
        if (messages is < 1 or > 1000)
        {
            throw new ExampleUsageException("--messages takes 1 to 1000");
        }

        using var context = new ZmqContext();

        // A PAIR socket talks to exactly one peer. The server binds, the client connects; over
        // inproc either may come first (zmq_inproc(7)).
        var server = new Thread(() =>
        {
            using var socket = context.CreateSocket(ZmqSocketType.Pair);
            socket.Bind(Endpoint);
            Talk("server", socket, "pong", messages);
        })
        { Name = "pair server" };
        server.Start();

        using (var client = context.CreateSocket(ZmqSocketType.Pair))
        {
            client.Connect(Endpoint);
            Talk("client", client, "ping", messages);
        }

        server.Join();
        Console.WriteLine("Both sides sent and received " + messages + " messages");
        return 0;
    }

    private static void Talk(string side, ZmqSocket socket, string word, int messages)
    {
        for (int i = 1; i <= messages; i++)
        {
            socket.Send($"{word} {i}");
            Console.WriteLine($"{side} sent {word} {i}");
        }

        for (int i = 1; i <= messages; i++)
        {
            Console.WriteLine($"{side} received {socket.ReceiveString()}");
        }
    }
}
