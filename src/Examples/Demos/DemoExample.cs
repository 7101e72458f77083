using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Demos;

/// <summary>
/// <c>zguide demo</c>: the Guide's main patterns played out for real, each in this one process:
/// threads with their own sockets talking over tcp on 127.0.0.1, on ports the OS picks. Each demo
/// tells what happens as it happens and ends with a line saying whether what should happen did.
/// <c>zguide demo PATTERN</c> runs one; with no pattern, all of them in turn.
/// </summary>
[Example("demo", 0, "the main patterns played out in one process, with a running commentary (start here)",
    "zguide demo [reqrep|pubsub|pipeline|broker|lbbroker|asyncsrv|peering|lazypirate|paranoidpirate|majordomo|freelance|titanic|binarystar|clone]")]
internal static class DemoExample
{
    /// <summary>The demos, simplest first.</summary>
    public static IReadOnlyList<DemoPattern> Patterns { get; } =
    [
        ReqRepDemo.Pattern,
        PubSubDemo.Pattern,
        PipelineDemo.Pattern,
        BrokerDemo.Pattern,
        LbBrokerDemo.Pattern,
        AsyncSrvDemo.Pattern,
        PeeringDemo.Pattern,
        LazyPirateDemo.Pattern,
        ParanoidPirateDemo.Pattern,
        MajordomoDemo.Pattern,
        FreelanceDemo.Pattern,
        TitanicDemo.Pattern,
        BinaryStarDemo.Pattern,
        CloneDemo.Pattern,
    ];

    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        a.RejectUnknown();
        string names = string.Join(", ", Patterns.Select(p => p.Name));
        if (a.Positional.Count > 1)
        {
            throw new ExampleUsageException("give one pattern, or none for all: " + names);
        }

        var chosen = Patterns;
        if (a.Positional.Count == 1)
        {
            var one = Patterns.FirstOrDefault(p => string.Equals(p.Name, a.Positional[0], StringComparison.OrdinalIgnoreCase))
                ?? throw new ExampleUsageException($"no demo named '{a.Positional[0]}'; the demos are: {names}");
            chosen = [one];
        }

        var log = new DemoLog();
        if (chosen.Count > 1)
        {
            log.Note("zguide demo: the ZeroMQ Guide's main messaging patterns, each played out for real.");
            log.Note("Every part runs on a thread of its own with its own sockets, and they talk over tcp");
            log.Note("on 127.0.0.1 (ports picked by the OS), just as separate programs would.");
        }

        var failed = new List<string>();
        foreach (var pattern in chosen)
        {
            log.Header(pattern);
            DemoOutcome outcome;
            try
            {
                outcome = pattern.Run(log);
            }
            catch (Exception e) when (e is not DllNotFoundException)
            {
                // One broken pattern should not hide the others: report it and go on.
                outcome = new DemoOutcome(false, $"{e.GetType().Name}: {e.Message}");
            }

            log.Summary(pattern.Name, outcome);
            if (!outcome.Ok)
            {
                failed.Add(pattern.Name);
            }
        }

        if (chosen.Count > 1)
        {
            log.Note(string.Empty);
            log.Note(failed.Count == 0
                ? $"demo: all {chosen.Count} patterns worked. Each is a `zguide` example too: run `zguide` for the list."
                : $"demo: {failed.Count} of {chosen.Count} patterns failed ({string.Join(", ", failed)})");
        }

        return failed.Count == 0 ? 0 : 1;
    }
}
