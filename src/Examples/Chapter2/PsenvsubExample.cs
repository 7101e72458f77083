using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// psenvsub: the subscriber to psenvpub's envelopes (Guide chapter 2, "Pub-Sub Message
/// Envelopes"). It subscribes to key "B", so only the messages whose first frame starts with B
/// arrive; it prints each as [key] content. Runs forever unless told how many to read.
/// </summary>
[Example("psenvsub", 2, "subscribes to key B and prints each [key] content message",
    "zguide psenvsub [--connect tcp://localhost:5563] [--subscribe B] [--count N (0: forever)]")]
internal static class PsenvsubExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string connect = a.Text("connect", "tcp://localhost:5563");
        string key = a.Text("subscribe", "B");
        int count = a.Int("count", 0);
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Connect(connect);
        subscriber.Subscribe(key);

        for (int received = 0; count == 0 || received < count; received++)
        {
            // Read the envelope with the address, then the message contents.
            string address = subscriber.ReceiveString();
            string contents = subscriber.ReceiveString();
            Console.WriteLine($"[{address}] {contents}");
        }

        return 0;
    }
}
