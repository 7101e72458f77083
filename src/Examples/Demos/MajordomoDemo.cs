using System.Text;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Examples.Demos;

/// <summary>
/// Majordomo (Guide chapter 4, mdbroker/mdworker/mdclient; RFC 7/MDP, RFC 8/MMI): a
/// <see cref="MajordomoBroker"/>, workers for two services, a synchronous <see cref="MajordomoClient"/>
/// that asks each service by name, and mmi.service lookups answered by the broker itself.
/// </summary>
internal static class MajordomoDemo
{
    private static readonly (string Service, string Worker, Func<string, string> Answer)[] Services =
    [
        ("echo", "echo-worker", text => text),
        ("reverse", "reverse-worker", text => new string(text.Reverse().ToArray())),
    ];

    private static readonly (string Service, string Request)[] Requests =
    [
        ("echo", "Hello"),
        ("reverse", "Hello"),
        ("echo", "world"),
        ("reverse", "Majordomo"),
    ];

    private static readonly string[] Lookups = ["echo", "reverse", "coffee"];
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(250);

    public static DemoPattern Pattern { get; } = new(
        "majordomo",
        "Majordomo: service-oriented broker (REQ -> ROUTER <- DEALER)",
        "Workers register a service name with the broker (READY, MDPW01); clients ask for a service\n" +
        "by name (MDPC01) and the broker routes each request to an idle worker of that service.\n" +
        "Broker and workers heartbeat each other. A client can ask the broker itself whether a\n" +
        "service exists: mmi.service answers 200 (it has workers) or 404 (it has none).",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var stop = new CancellationTokenSource();
        using var registered = new CountdownEvent(Services.Length);
        var brokerOptions = new MajordomoBrokerOptions
        {
            HeartbeatInterval = Heartbeat,
            Log = line =>
            {
                log.Say("broker", line);
                if (line.StartsWith("I: registering new worker", StringComparison.Ordinal) && !registered.IsSet)
                {
                    registered.Signal();
                }
            },
        };
        using var broker = new MajordomoBroker(context, brokerOptions);
        broker.Bind("tcp://127.0.0.1:*");
        string endpoint = broker.LastEndpoint;

        var threads = new DemoThreads(log);
        threads.Start("broker", () => broker.Run(stop.Token));
        foreach (var (service, name, answer) in Services)
        {
            // Created here, used only by its thread from now on.
            var worker = new MajordomoWorker(context, endpoint, service, new MajordomoWorkerOptions { HeartbeatInterval = Heartbeat, ReconnectInterval = Heartbeat });
            log.Say(name, $"connects to {endpoint}, registers service {DemoKit.Quote(service)}: [\"\"][MDPW01][0x01 READY][{service}]");
            threads.Start(name, () => Work(name, worker, answer, stop.Token, log));
        }

        if (!registered.Wait(DemoKit.Patience))
        {
            throw new DemoFailure($"only {Services.Length - registered.CurrentCount} of {Services.Length} workers registered");
        }

        int answered = 0;
        var lookups = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var client = new MajordomoClient(context, endpoint, new MajordomoClientOptions { Timeout = DemoKit.Patience / 5 }))
        {
            foreach (var (service, request) in Requests)
            {
                log.Say("client", $"-> [MDPC01][{service}][{request}]");
                var reply = client.Send(service, request);
                if (reply is null || reply.Count != 1)
                {
                    log.Say("client", "no reply");
                    continue;
                }

                string text = Encoding.UTF8.GetString(reply[0]);
                log.Say("client", $"<- [MDPC01][{service}][{text}]");
                var expected = Services.Single(s => s.Service == service).Answer(request);
                answered += text == expected ? 1 : 0;
            }

            foreach (string service in Lookups)
            {
                log.Say("client", $"-> [MDPC01][{MajordomoProtocol.MmiService}][{service}]   (does the broker know {DemoKit.Quote(service)}?)");
                var reply = client.Send(MajordomoProtocol.MmiService, service);
                string status = reply is { Count: 1 } ? Encoding.ASCII.GetString(reply[0]) : "no answer";
                lookups[service] = status;
                log.Say("client", $"<- [MDPC01][{MajordomoProtocol.MmiService}][{status}]   ({(status == "200" ? "it has workers" : status == "404" ? "no such service" : "?")})");
            }
        }

        stop.Cancel();
        threads.Join(DemoKit.Patience);

        bool mmiRight = lookups.GetValueOrDefault("echo") == "200" && lookups.GetValueOrDefault("reverse") == "200" && lookups.GetValueOrDefault("coffee") == "404";
        bool ok = answered == Requests.Length && mmiRight && threads.Failures.Count == 0;
        string mmi = string.Join(", ", Lookups.Select(s => $"{s} {lookups.GetValueOrDefault(s, "-")}"));
        return new DemoOutcome(ok, ok
            ? $"{answered} of {Requests.Length} requests to {Services.Length} services answered by their own workers; mmi.service: {mmi}"
            : $"{answered} of {Requests.Length} requests answered right; mmi.service: {mmi}");
    }

    /// <summary>A worker: waits for REQUEST, answers with REPLY, until the demo ends; then DISCONNECT.</summary>
    private static void Work(string name, MajordomoWorker worker, Func<string, string> answer, CancellationToken stop, DemoLog log)
    {
        using (worker)
        {
            while (worker.Receive(stop) is { } request)
            {
                string text = Encoding.UTF8.GetString(request[0]);
                string reply = answer(text);
                log.Say(name, $"<- REQUEST {DemoKit.Quote(text)}, REPLY {DemoKit.Quote(reply)}");
                worker.Reply([Encoding.UTF8.GetBytes(reply)]);
            }
        }
    }
}
