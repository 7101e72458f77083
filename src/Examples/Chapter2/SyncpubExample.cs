using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// syncpub: a publisher that waits until all its subscribers are there before it publishes
/// (Guide chapter 2, "Node Coordination"). PUB drops what it sends before a subscriber has
/// connected and subscribed, so each subscriber (syncsub) first subscribes, then asks on a
/// REQ/REP pair whether it may start; when the expected number has asked, the publisher sends
/// its updates and "END". The Guide's 10 subscribers and 1,000,000 updates are the defaults.
/// </summary>
[Example("syncpub", 2, "publisher that waits for N subscribers over REQ/REP, then publishes every update and END",
    "zguide syncpub [--bind tcp://*:5561] [--sync tcp://*:5562] [--subscribers 10] [--updates 1000000]")]
internal static class SyncpubExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string bind = a.Text("bind", "tcp://*:5561");
        string sync = a.Text("sync", "tcp://*:5562");
        int subscribersExpected = a.Int("subscribers", 10);
        int updates = a.Int("updates", 1_000_000);
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);

        // PUB drops messages for a subscriber whose queue is full (zmq_socket(3)); the Guide
        // raises the high-water mark above the number of updates (1,100,000 for 1,000,000)
        // so that a subscriber that reads slower than we send still gets every one. And we wait
        // for all of them to go out when we close, however long it takes (libzmq's own default
        // linger), rather than the one second ZmqNative gives sockets.
        publisher.SendHighWatermark = (int)Math.Clamp(updates + 100_000L, 1_100_000L, int.MaxValue);
        publisher.Linger = Timeout.InfiniteTimeSpan;
        publisher.Bind(bind);

        using var syncService = context.CreateSocket(ZmqSocketType.Rep);
        syncService.Bind(sync);

        Console.WriteLine("Waiting for subscribers");
        for (int subscribers = 0; subscribers < subscribersExpected; subscribers++)
        {
            syncService.ReceiveMultipart(); // wait for a synchronization request (all of it: REP cannot reply to half a message, EFSM)
            syncService.Send(string.Empty); // send the synchronization reply
        }

        Console.WriteLine("Broadcasting messages");
        for (int updateNbr = 0; updateNbr < updates; updateNbr++)
        {
            publisher.Send("Rhubarb");
        }

        publisher.Send("END");
        return 0;
    }
}
