using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// syncsub: the subscriber half of node coordination (Guide chapter 2, "Node Coordination").
/// It subscribes to everything, waits a moment for the subscription to reach the publisher
/// (connections over tcp finish in no guaranteed order, so the Guide waits a second), then
/// tells the publisher (syncpub) over REQ/REP that it is ready, and counts the updates until "END".
/// </summary>
[Example("syncsub", 2, "subscriber that syncs with the publisher over REQ/REP and counts every update until END",
    "zguide syncsub [--connect tcp://localhost:5561] [--sync tcp://localhost:5562] [--wait-ms 1000]")]
internal static class SyncsubExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string connect = a.Text("connect", "tcp://localhost:5561");
        string sync = a.Text("sync", "tcp://localhost:5562");
        int waitMs = a.Int("wait-ms", 1000);
        a.RejectUnknown();

        using var context = new ZmqContext();

        // First, connect our subscriber socket.
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Connect(connect);
        subscriber.Subscribe(string.Empty);

        // 0MQ is so fast, we need to wait a while: the subscription travels on its own
        // connection, which nothing here can see finish (the Guide's brute-force second).
        Thread.Sleep(waitMs);

        // Second, synchronize with the publisher.
        using var syncClient = context.CreateSocket(ZmqSocketType.Req);
        syncClient.Connect(sync);
        syncClient.Send(string.Empty); // send a synchronization request
        syncClient.ReceiveString(); // wait for the synchronization reply

        // Third, get our updates and report how many we got.
        using var message = new ZmqMessage();
        int updateNbr = 0;
        while (true)
        {
            subscriber.Receive(message);
            if (message.Data.SequenceEqual("END"u8))
            {
                break;
            }

            updateNbr++;
        }

        Console.WriteLine($"Received {updateNbr} updates");
        return 0;
    }
}
