using System.Globalization;

namespace ZmqNative.Examples.Demos;

/// <summary>Publish-subscribe with topic filters (Guide chapter 1, wuserver/wuclient).</summary>
internal static class PubSubDemo
{
    private const int UpdatesEach = 3;
    private static readonly string[] ZipCodes = ["10001", "10002", "90210"];

    public static DemoPattern Pattern { get; } = new(
        "pubsub",
        "publish-subscribe (PUB -> SUB)",
        "A weather station publishes updates for three zip codes, round and round. Two\n" +
        "subscribers each filter on one zip code: the filter runs at the publisher, so each\n" +
        "receives only its own, and updates nobody subscribed to go nowhere.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        string endpoint = DemoKit.BindLoopback(publisher);
        log.Say("station", $"PUB socket bound to {endpoint}");

        var threads = new DemoThreads(log);
        using var done = new CountdownEvent(2);
        var received = new int[2];
        string[] filters = ["10001 ", "90210 "];
        for (int s = 0; s < 2; s++)
        {
            int index = s;
            string name = "sub-" + filters[index].Trim();
            var subscriber = context.CreateSocket(ZmqSocketType.Sub);
            subscriber.Subscribe(filters[index]);
            subscriber.Connect(endpoint);
            log.Say(name, $"SUB socket connected, subscribed to {DemoKit.Quote(filters[index])}");
            threads.Start(name, () =>
            {
                using (subscriber)
                {
                    for (int i = 0; i < UpdatesEach; i++)
                    {
                        string update = DemoKit.Receive(subscriber, "update");
                        bool mine = update.StartsWith(filters[index], StringComparison.Ordinal);
                        log.Say(name, $"<- {DemoKit.Quote(update)}{(mine ? string.Empty : "  (not my zip code!)")}");
                        if (mine)
                        {
                            received[index]++;
                        }
                    }

                    done.Signal();
                }
            });
        }

        // Publish until both subscribers have what they came for (or patience runs out).
        log.Say("station", $"publishing updates for {string.Join(", ", ZipCodes)}: \"zip temperature humidity\"");
        int published = 0;
        var deadline = DateTime.UtcNow + DemoKit.Patience;
        while (!done.IsSet && DateTime.UtcNow < deadline)
        {
            foreach (string zip in ZipCodes)
            {
                publisher.Send(string.Create(CultureInfo.InvariantCulture, $"{zip} {Random.Shared.Next(-10, 35)} {Random.Shared.Next(10, 90)}"));
                published++;
            }

            done.Wait(1); // a short pause between rounds, cut short when both are done
        }

        log.Say("station", $"stopped after {published} updates; the rest went to nobody (no subscriber for 10002, or sent before a subscriber had joined)");
        context.Shutdown();
        threads.Join(DemoKit.Patience);
        bool ok = received[0] == UpdatesEach && received[1] == UpdatesEach && threads.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? $"each subscriber got {UpdatesEach} updates, all for its own zip code ({published} published)"
            : $"the subscribers got {received[0]} and {received[1]} of {UpdatesEach} updates for their zip codes");
    }
}
