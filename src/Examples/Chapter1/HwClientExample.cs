using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter1;

/// <summary>
/// hwclient: the Guide's first client (chapter 1, "Ask and Ye Shall Receive"). A REQ socket sends
/// "Hello" and waits for the reply, ten times.
/// </summary>
[Example("hwclient", 1, "hello world client: a REQ socket that sends Hello and waits for World", "zguide hwclient [--connect tcp://localhost:5555] [--requests 10]")]
internal static class HwClientExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string connect = a.Text("connect", "tcp://localhost:5555");
        int requests = a.Int("requests", 10);
        a.RejectUnknown();
        if (requests < 0)
        {
            throw new ExampleUsageException("--requests takes 0 or more");
        }

        Console.WriteLine("Connecting to hello world server...");
        using var context = new ZmqContext();
        using var requester = context.CreateSocket(ZmqSocketType.Req);
        requester.Connect(connect);

        // connect(2) happens in the background and REQ queues the request until the server is up,
        // so the client may start before the server (zmq_connect(3)).
        Span<byte> buffer = stackalloc byte[10];
        for (int request = 0; request < requests; request++)
        {
            Console.WriteLine($"Sending Hello {request}...");
            requester.Send("Hello");
            requester.Receive(buffer);
            Console.WriteLine($"Received World {request}");
        }

        return 0;
    }
}
