using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// rrworker: the Hello World server turned into a worker behind a broker (Guide chapter 2,
/// "Shared Queue (DEALER and ROUTER sockets)"). Its REP socket connects to the broker's backend
/// rather than binding, so any number of workers can come and go while clients keep one
/// address. The Guide's worker serves forever and "works" a second per request; both are options.
/// </summary>
[Example("rrworker", 2, "REP worker that connects to a broker's backend and answers Hello with World",
    "zguide rrworker [--connect tcp://localhost:5560] [--requests N (0: forever)] [--work-ms 1000]")]
internal static class RrworkerExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string endpoint = a.Text("connect", "tcp://localhost:5560");
        int requests = a.Int("requests", 0);
        int workMs = a.Int("work-ms", 1000);
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var responder = context.CreateSocket(ZmqSocketType.Rep);
        responder.Connect(endpoint);

        // Serves forever, as the Guide's does, unless --requests bounds it.
        for (int served = 0; requests == 0 || served < requests; served++)
        {
            // Every frame of the request is read, not only the first: REP refuses to send while a
            // part is left unread (zmq_send(3) EFSM), so one multipart request would end the worker.
            string request = FirstFrame(responder.ReceiveMultipart());
            Console.WriteLine($"Received request: [{request}]");

            // Do some 'work'.
            Thread.Sleep(workMs);

            responder.Send("World");
        }

        return 0;
    }

    /// <summary>The request as the Guide prints it: its first frame as text (a request always has one).</summary>
    internal static string FirstFrame(List<byte[]> request) => System.Text.Encoding.UTF8.GetString(request[0]);
}
