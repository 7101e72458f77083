using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// flserver1: the Freelance model-one server (Guide chapter 4, "Model One: Simple Retry and
/// Failover"): a trivial REP echo service bound to the endpoint given as argument. Runs until Ctrl-C.
/// </summary>
[Example("flserver1", 4, "Freelance server, model one: a REP echo service at the endpoint given",
    "zguide flserver1 <endpoint>")]
internal static class Flserver1Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var words = PirateConsole.Words(a);
        a.RejectUnknown();
        if (words.Count < 1)
        {
            Console.WriteLine("I: syntax: zguide flserver1 <endpoint>");
            return 0;
        }

        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        server.Bind(words[0]);
        Console.WriteLine($"I: echo service is ready at {words[0]}");
        while (true)
        {
            server.SendMultipart(server.ReceiveMultipart());
        }
    }
}
