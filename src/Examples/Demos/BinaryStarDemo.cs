using System.Text;
using ZmqNative.Patterns.BinaryStar;

namespace ZmqNative.Examples.Demos;

/// <summary>
/// Binary Star (Guide chapter 4, bstarsrv2/bstarcli) on <see cref="BinaryStarServer"/> and <see cref="BinaryStarClient"/>:
/// a primary and a backup watch each other over PUB/SUB; the primary is stopped and the client fails over to the backup.
/// </summary>
internal static class BinaryStarDemo
{
    private const int RequestsEach = 3;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    public static DemoPattern Pattern { get; } = new(
        "binarystar",
        "high-availability pair (Binary Star: primary/backup failover)",
        "A primary and a backup server tell each other their state every heartbeat (100 ms here).\n" +
        "The primary is active and answers the client; the backup is passive and refuses. Then the\n" +
        "primary stops: the client times out, fails over to the backup, and its request there is the\n" +
        "'vote' that makes the backup active, because the primary has been silent for two heartbeats.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var primaryActive = new ManualResetEventSlim();
        using var backupPassive = new ManualResetEventSlim();
        using var primary = Create(context, "primary", true, log);
        using var backup = Create(context, "backup", false, log);
        primary.ConnectPeer(backup.StateEndpoint);
        backup.ConnectPeer(primary.StateEndpoint);
        primary.BecameActive += primaryActive.Set;
        backup.BecamePassive += backupPassive.Set;
        log.Say("primary", $"clients at {primary.FrontendEndpoint}, state published on {primary.StateEndpoint}");
        log.Say("backup", $"clients at {backup.FrontendEndpoint}, state published on {backup.StateEndpoint}");

        using var stopPrimary = new CancellationTokenSource();
        using var stopBackup = new CancellationTokenSource();
        var primaryThread = new DemoThreads(log);
        var servers = new DemoThreads(log);
        primaryThread.Start("primary", () => primary.Run(stopPrimary.Token));
        servers.Start("backup", () => backup.Run(stopBackup.Token));
        if (!primaryActive.Wait(DemoKit.Patience) || !backupPassive.Wait(DemoKit.Patience))
        {
            throw new DemoFailure("the pair did not settle into active/passive");
        }

        var options = new BinaryStarClientOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(400),
            SettleDelay = TimeSpan.FromMilliseconds(300),
            Attempts = 6,
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case BinaryStarClientEventKind.Connecting:
                        log.Say("client", $"connects to {e.Server}");
                        break;
                    case BinaryStarClientEventKind.FailingOver:
                        log.Say("client", "no reply in 400 ms: closes its socket and fails over to the other server");
                        break;
                    case BinaryStarClientEventKind.Abandoned:
                        log.Say("client", "no server answers: gives up");
                        break;
                }
            },
        };

        var answeredBy = new List<string>();
        using (var client = new BinaryStarClient(context, primary.FrontendEndpoint!, backup.FrontendEndpoint!, options))
        {
            for (int sequence = 1; sequence <= 2 * RequestsEach; sequence++)
            {
                if (sequence == RequestsEach + 1)
                {
                    // Wait until its loop has really ended, so no request after this one reaches it.
                    stopPrimary.Cancel();
                    if (!primaryThread.Join(DemoKit.Patience))
                    {
                        throw new DemoFailure("the primary did not stop");
                    }

                    log.Say("primary", "stops (as if it crashed): no more heartbeats, no more answers");
                }

                string request = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
                log.Say("client", $"-> {DemoKit.Quote(request)}");
                var result = client.Request([Encoding.UTF8.GetBytes(request)], reply => Encoding.UTF8.GetString(reply[0]) == request);
                if (!result.Succeeded)
                {
                    break;
                }

                string server = Encoding.UTF8.GetString(result.Reply[^1]);
                answeredBy.Add(server);
                log.Say("client", $"<- {DemoKit.Quote(request)} from the {server}");
            }
        }

        stopBackup.Cancel();
        servers.Join(DemoKit.Patience);
        bool ok = answeredBy.Count == 2 * RequestsEach
            && answeredBy.Take(RequestsEach).All(s => s == "primary")
            && answeredBy.Skip(RequestsEach).All(s => s == "backup")
            && backup.State == BinaryStarState.Active
            && servers.Failures.Count == 0 && primaryThread.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? $"the primary answered {RequestsEach} requests; after it stopped the client failed over and the backup, now active, answered {RequestsEach} more"
            : $"{answeredBy.Count} of {2 * RequestsEach} requests answered ({string.Join(", ", answeredBy)}); the backup is {backup.State}");
    }

    private static BinaryStarServer Create(ZmqContext context, string name, bool primary, DemoLog log)
    {
        var server = new BinaryStarServer(context, primary, "tcp://127.0.0.1:*", null, new BinaryStarServerOptions
        {
            Heartbeat = Heartbeat,
            Observer = e =>
            {
                if (e.Kind == BinaryStarServerEventKind.Transition && e.Transition.Description is not null)
                {
                    log.Say(name, e.Transition.Description);
                }
                else if (e.Kind == BinaryStarServerEventKind.RequestRefused)
                {
                    log.Say(name, $"refuses a request: it is {e.Transition.From} and its peer is alive");
                }
            },
        });
        try
        {
            // Echo the request and say who answered: [envelope...][request][server name].
            server.RegisterVoter("tcp://127.0.0.1:*", (frontend, request) => frontend.SendMultipart([.. request, Encoding.UTF8.GetBytes(name)]));
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }
}
