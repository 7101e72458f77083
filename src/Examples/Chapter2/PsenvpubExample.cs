using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// psenvpub: pub-sub with envelopes (Guide chapter 2, "Pub-Sub Message Envelopes"). Each
/// update is two frames: a key ("A" or "B") and the content. Subscriptions match the start of
/// a message, that is, its first frame, so subscribers filter on the key and never have to look
/// into the content. Sends one pair a second, forever, unless told otherwise.
/// </summary>
[Example("psenvpub", 2, "publishes two-frame messages: key A or B, then the content",
    "zguide psenvpub [--bind tcp://*:5563] [--interval-ms 1000] [--count N (0: forever)]")]
internal static class PsenvpubExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string bind = a.Text("bind", "tcp://*:5563");
        int intervalMs = a.Int("interval-ms", 1000);
        int count = a.Int("count", 0);
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        publisher.Bind(bind);

        for (int round = 0; count == 0 || round < count; round++)
        {
            // Write two messages, each with an envelope and content.
            publisher.Send("A", more: true);
            publisher.Send("We don't want to see this");
            publisher.Send("B", more: true);
            publisher.Send("We would like to see this");
            Thread.Sleep(intervalMs);
        }

        return 0;
    }
}
