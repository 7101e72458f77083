using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// rrclient: the Hello World client, talking to a broker instead of the server (Guide chapter 2,
/// "Shared Queue (DEALER and ROUTER sockets)"). A REQ socket connects to the broker's frontend,
/// sends "Hello" and waits for "World", ten times. The broker (rrbroker or msgqueue) passes each
/// request on to one of the workers (rrworker) and the reply back.
/// </summary>
[Example("rrclient", 2, "REQ client that sends Hello through a broker and prints each World reply",
    "zguide rrclient [--connect tcp://localhost:5559] [--requests 10]")]
internal static class RrclientExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string endpoint = a.Text("connect", "tcp://localhost:5559");
        int requests = a.Int("requests", 10);
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var requester = context.CreateSocket(ZmqSocketType.Req);
        requester.Connect(endpoint);

        for (int requestNbr = 0; requestNbr != requests; requestNbr++)
        {
            requester.Send("Hello");
            string reply = requester.ReceiveString();
            Console.WriteLine($"Received reply {requestNbr} [{reply}]");
        }

        return 0;
    }
}
