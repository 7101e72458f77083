using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter1;

/// <summary>
/// wuclient: the Guide's weather update client (chapter 1, "Getting the Message Out"). A SUB
/// socket subscribes to one zip code (the first argument, New York's "10001 " by default),
/// collects 100 updates and prints their average temperature.
/// </summary>
[Example("wuclient", 1, "weather update client: a SUB socket that averages the temperature of one zip code", "zguide wuclient [zipcode, default \"10001 \"] [--connect tcp://localhost:5556] [--updates 100] [--verbose]")]
internal static class WuClientExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string connect = a.Text("connect", "tcp://localhost:5556");
        int updates = a.Int("updates", 100);
        bool verbose = a.Flag("verbose");
        a.RejectUnknown();
        if (a.Positional.Count > 1)
        {
            throw new ExampleUsageException("one zip code filter at most");
        }

        // The trailing space matters: the filter is a prefix, and "10001 " does not match "100012".
        string filter = a.Positional.Count == 1 ? a.Positional[0] : "10001 ";
        if (updates < 1)
        {
            throw new ExampleUsageException("--updates takes 1 or more");
        }

        Console.WriteLine("Collecting updates from weather server...");
        using var context = new ZmqContext();
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Connect(connect);

        // A SUB socket receives nothing until it subscribes (zmq_setsockopt(3), ZMQ_SUBSCRIBE).
        subscriber.Subscribe(filter);

        long totalTemperature = 0;
        for (int update = 0; update < updates; update++)
        {
            string text = subscriber.ReceiveString();
            if (verbose)
            {
                Console.WriteLine(text);
            }

            // "zipcode temperature relhumidity", as sscanf("%d %d %d") reads it.
            string[] fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            totalTemperature += int.Parse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Average temperature for zipcode '{filter}' was {(int)(totalTemperature / updates)}F"));
        return 0;
    }
}
