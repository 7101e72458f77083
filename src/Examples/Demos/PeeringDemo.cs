using System.Collections.Concurrent;
using ZmqNative.Examples.Chapter3;

namespace ZmqNative.Examples.Demos;

/// <summary>Two peered brokers (Guide chapter 3, peering3), with the broker core shared with <c>zguide peering3</c>.</summary>
internal static class PeeringDemo
{
    private const int RequestsEach = 2;

    public static DemoPattern Pattern { get; } = new(
        "peering",
        "broker peering (two clusters: state over PUB/SUB, requests over ROUTER/ROUTER)",
        "Two brokers, paris and tokyo, each with its own clients. Paris has no workers; tokyo has two.\n" +
        "Every broker publishes how many workers it has free, and when it has none of its own it\n" +
        "sends its clients' requests to a peer that said it has some: paris's work is done in tokyo.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        var heard = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        PeeringBroker Create(string name) => new(context, name, _ => "tcp://127.0.0.1:*", withMonitor: false)
        {
            Heartbeat = TimeSpan.FromMilliseconds(100),
            Trace = (step, peer, value) => Narrate(log, heard, name, step, peer, value),
        };

        using var paris = Create("paris");
        using var tokyo = Create("tokyo");
        paris.ConnectCloud("tokyo", tokyo.CloudFrontend);
        paris.ConnectState(tokyo.StateBackend);
        tokyo.ConnectCloud("paris", paris.CloudFrontend);
        tokyo.ConnectState(paris.StateBackend);
        log.Say("paris", $"broker up: clients at {paris.LocalFrontend}, peers at {paris.CloudFrontend}, state on {paris.StateBackend}");
        log.Say("tokyo", $"broker up: clients at {tokyo.LocalFrontend}, peers at {tokyo.CloudFrontend}, state on {tokyo.StateBackend}");

        var servers = new DemoThreads(log);
        servers.Start("paris", paris.Run);
        servers.Start("tokyo", tokyo.Run);
        foreach (string name in new[] { "tokyo-w1", "tokyo-w2" })
        {
            var worker = context.CreateSocket(ZmqSocketType.Req);
            worker.Connect(tokyo.LocalBackend);
            servers.Start(name, () => Work(name, worker));
        }

        var replies = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var clients = new DemoThreads(log);
        foreach (var (name, broker) in new[] { ("paris-c1", paris), ("paris-c2", paris), ("tokyo-c1", tokyo) })
        {
            var client = context.CreateSocket(ZmqSocketType.Req);
            client.Connect(broker.LocalFrontend);
            clients.Start(name, () => Ask(name, client, replies, log));
        }

        clients.Join(DemoKit.Patience * 2);
        context.Shutdown();
        servers.Join(DemoKit.Patience);

        int expected = 3 * RequestsEach;
        int fromParis = replies.Count(r => r.Key.StartsWith("paris", StringComparison.Ordinal));
        int parisDoneInTokyo = replies.Count(r => r.Key.StartsWith("paris", StringComparison.Ordinal) && r.Value.Contains("tokyo-w", StringComparison.Ordinal));
        bool ok = replies.Count == expected && parisDoneInTokyo == 2 * RequestsEach && clients.Failures.Count == 0 && servers.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? $"all {expected} requests answered; paris's {fromParis} crossed to tokyo's workers and came back"
            : $"{replies.Count} of {expected} requests answered, {parisDoneInTokyo} of paris's by tokyo's workers");
    }

    /// <summary>Tells what a broker did, leaving out the repeats of its peer's heartbeat.</summary>
    private static void Narrate(DemoLog log, ConcurrentDictionary<string, bool> heard, string broker, PeeringStep step, string? peer, int value)
    {
        switch (step)
        {
            case PeeringStep.PeerState when heard.TryAdd($"{broker}<-{peer}", true):
                log.Say(broker, $"hears from {peer} (state): {value} worker{(value == 1 ? string.Empty : "s")} free");
                break;
            case PeeringStep.ServedLocally:
                log.Say(broker, peer is null ? "gives its own client's request to a local worker" : $"gives {peer}'s request to a local worker");
                break;
            case PeeringStep.SentToPeer:
                log.Say(broker, $"has no worker free: sends the request to {peer}");
                break;
            case PeeringStep.ReplyFromPeer:
                log.Say(broker, $"<- reply from {peer}, passes it to its client");
                break;
        }
    }

    /// <summary>A client (REQ): its requests one after the other, each answered before the next.</summary>
    private static void Ask(string name, ZmqSocket client, ConcurrentDictionary<string, string> replies, DemoLog log)
    {
        using (client)
        {
            for (int i = 1; i <= RequestsEach; i++)
            {
                string request = $"{name} #{i}";
                log.Say(name, $"-> {DemoKit.Quote(request)}");
                client.Send(request);
                string reply = DemoKit.Receive(client, "reply");
                log.Say(name, $"<- {DemoKit.Quote(reply)}");
                replies[request] = reply;
            }
        }
    }

    /// <summary>A worker (REQ): the ready byte, then it answers each request, naming itself.</summary>
    private static void Work(string name, ZmqSocket worker)
    {
        using (worker)
        {
            worker.Send(PeeringBroker.WorkerReady);
            while (true)
            {
                var request = worker.ReceiveMultipart(); // [...envelope][""][text]; ETERM when the demo is over
                request[^1] = System.Text.Encoding.UTF8.GetBytes($"{System.Text.Encoding.UTF8.GetString(request[^1])} done by {name}");
                worker.SendMultipart(request);
            }
        }
    }
}
