using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter1;

/// <summary>
/// hwserver: the Guide's first server (chapter 1, "Ask and Ye Shall Receive"). A REP socket
/// answers "World" to every request. The Guide sleeps a second per request to pretend to work;
/// that stays the default, and <c>--work-ms</c> changes it.
/// </summary>
[Example("hwserver", 1, "hello world server: a REP socket that answers World to each Hello", "zguide hwserver [--bind tcp://*:5555] [--work-ms 1000] [--requests N (0: forever)]")]
internal static class HwServerExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string bind = a.Text("bind", "tcp://*:5555");
        int workMs = a.Int("work-ms", 1000);
        int requests = a.Int("requests", 0);
        a.RejectUnknown();
        if (workMs < 0 || requests < 0)
        {
            throw new ExampleUsageException("--work-ms and --requests take 0 or more");
        }

        using var context = new ZmqContext();
        using var responder = context.CreateSocket(ZmqSocketType.Rep);
        responder.Bind(bind);

        // REP enforces the lock-step: receive one request, send one reply (zmq_socket(3), ZMQ_REP).
        // The C version reads into a 10-byte buffer and ignores what it got; so do we.
        Span<byte> buffer = stackalloc byte[10];
        for (int served = 0; requests == 0 || served < requests; served++)
        {
            responder.Receive(buffer);

            // A request of more than one frame: the rest is read too, since REP cannot reply while
            // a part is left unread (zmq_send(3) EFSM).
            while (responder.ReceiveMore)
            {
                responder.Receive(buffer);
            }

            Console.WriteLine("Received Hello");
            if (workMs > 0)
            {
                Thread.Sleep(workMs); // pretend to do some work
            }

            responder.Send("World");
        }

        return 0;
    }
}
