using System.Text;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// lpserver: the Lazy Pirate server (Guide chapter 4): a REP echo server that, after three requests,
/// now and then simulates a crash (it exits) or CPU overload (it answers late), so lpclient can be
/// watched recovering. <c>--no-failures</c> turns the simulation off, <c>--seed</c> makes it repeatable.
/// </summary>
[Example("lpserver", 4, "Lazy Pirate server: echoes requests, randomly runs slowly or exits to simulate a crash",
    "zguide lpserver [--bind tcp://*:5555] [--work-ms 1000] [--overload-ms 2000] [--no-failures] [--seed N]")]
internal static class LpserverExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "no-failures");
        string endpoint = a.Text("bind", "tcp://*:5555");
        int work = a.Int("work-ms", 1000);
        int overload = a.Int("overload-ms", 2000);
        bool failures = !a.Flag("no-failures");
        var random = PirateConsole.Random(a);
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        server.Bind(endpoint);
        for (int cycles = 1; ; cycles++)
        {
            // All frames are read and echoed: REP cannot reply while a part is unread (zmq_send(3) EFSM).
            var frames = server.ReceiveMultipart();
            string request = Encoding.UTF8.GetString(frames[0]);

            // Simulate various problems, after a few cycles (the Guide: one chance in three each).
            if (failures && cycles > 3 && random.Next(3) == 0)
            {
                Console.WriteLine("I: simulating a crash");
                return 0;
            }

            if (failures && cycles > 3 && random.Next(3) == 0)
            {
                Console.WriteLine("I: simulating CPU overload");
                Thread.Sleep(overload);
            }

            Console.WriteLine($"I: normal request ({request})");
            Thread.Sleep(work); // do some heavy work
            server.SendMultipart(frames);
        }
    }
}
