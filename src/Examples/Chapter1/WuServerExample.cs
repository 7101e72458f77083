using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter1;

/// <summary>
/// wuserver: the Guide's weather update server (chapter 1, "Getting the Message Out"). A PUB
/// socket broadcasts "zipcode temperature humidity" updates with random values, forever.
/// </summary>
/// <remarks>
/// The Guide draws zip codes from 00000 to 99999, so a subscriber to one zip code sees one update
/// in 100,000; <c>--zipcodes N</c> draws from 00000 to N-1 instead, so a short run (a test) still
/// reaches every subscriber quickly.
/// </remarks>
[Example("wuserver", 1, "weather update server: a PUB socket broadcasting random zip code, temperature and humidity", "zguide wuserver [--bind tcp://*:5556] [--zipcodes 100000] [--count N (0: forever)]")]
internal static class WuServerExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string bind = a.Text("bind", "tcp://*:5556");
        int zipcodes = a.Int("zipcodes", 100_000);
        int count = a.Int("count", 0);
        a.RejectUnknown();
        if (zipcodes is < 1 or > 100_000 || count < 0)
        {
            throw new ExampleUsageException("--zipcodes takes 1 to 100000, --count 0 or more");
        }

        using var context = new ZmqContext();
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        publisher.Bind(bind);

        // A PUB socket never blocks: with no subscriber, or one that is behind by more than the
        // high-water mark, updates are dropped (zmq_socket(3), ZMQ_PUB). Subscribers filter by
        // prefix, which libzmq does on the publisher's side for tcp (zmq_setsockopt(3), ZMQ_SUBSCRIBE).
        for (long sent = 0; count == 0 || sent < count; sent++)
        {
            int zipcode = Random.Shared.Next(zipcodes);
            int temperature = Random.Shared.Next(215) - 80;
            int relhumidity = Random.Shared.Next(50) + 10;
            publisher.Send(string.Create(CultureInfo.InvariantCulture, $"{zipcode:D5} {temperature} {relhumidity}"));
        }

        return 0;
    }
}
