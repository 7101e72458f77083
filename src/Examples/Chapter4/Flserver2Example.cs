using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// flserver2: the Freelance model-two server (Guide chapter 4, "Model Two: Brutal Shotgun Massacre"):
/// a REP service at the endpoint given that takes <c>[sequence][body]</c> and answers
/// <c>[sequence]["OK"]</c>, so the shotgun client can match replies to requests. Runs until Ctrl-C.
/// </summary>
[Example("flserver2", 4, "Freelance server, model two: answers [sequence][OK] at the endpoint given",
    "zguide flserver2 <endpoint>")]
internal static class Flserver2Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var words = PirateConsole.Words(a);
        a.RejectUnknown();
        if (words.Count < 1)
        {
            Console.WriteLine("I: syntax: zguide flserver2 <endpoint>");
            return 0;
        }

        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        server.Bind(words[0]);
        Console.WriteLine($"I: service is ready at {words[0]}");
        while (true)
        {
            var request = server.ReceiveMultipart();
            if (request.Count != 2)
            {
                // The Guide's server asserts here ("fail nastily if run against wrong client"); we say so and carry on.
                Console.WriteLine("E: request is not [sequence][body]: wrong client?");
            }

            server.SendMultipart([request[0], "OK"u8.ToArray()]);
        }
    }
}
