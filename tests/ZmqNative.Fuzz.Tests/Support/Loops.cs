namespace ZmqNative.Fuzz.Tests.Support;

/// <summary>Background loops for in-process servers, and the bounded waits the round trips use.</summary>
internal static class Loops
{
    /// <summary>How long a well-behaved client keeps retrying before the round-trip rule fails (generous: 2 shared cores).</summary>
    public static readonly TimeSpan ServeWithin = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="body"/> on its own thread.</summary>
    public static Task Start(Action body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Null while the loop runs; otherwise how it ended (an in-process server's rule 1).</summary>
    public static string? Status(Task loop, string name) =>
        !loop.IsCompleted ? null
        : loop.Exception is { } e ? $"{name} ended with {e.InnerException?.GetType().Name}: {e.InnerException?.Message}\n{e.InnerException?.StackTrace}"
        : $"{name} returned although it was not stopped";

    /// <summary>Tries <paramref name="attempt"/> until it succeeds or <see cref="ServeWithin"/> passes; null on success, else the last failure and the count.</summary>
    public static string? Retry(Func<string?> attempt)
    {
        var deadline = DateTime.UtcNow + ServeWithin;
        int tries = 0;
        string? last;
        do
        {
            tries++;
            last = attempt();
            if (last is null)
            {
                return null;
            }
        }
        while (DateTime.UtcNow < deadline && !TestContext.CurrentContext.CancellationToken.IsCancellationRequested);

        return $"{tries} attempts in {ServeWithin.TotalSeconds:F0} s, the last: {last}";
    }

    /// <summary>
    /// One request/reply from a fresh REQ socket (the Lazy Pirate way: a new socket per attempt, so a
    /// request lost to a hostile peer does not wedge the client); null when the reply matched.
    /// </summary>
    public static string? ReqRoundTrip(ZmqContext context, string endpoint, string request, Func<string, bool> accept, TimeSpan timeout)
    {
        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.Linger = TimeSpan.Zero;
        client.Connect(endpoint);
        if (!client.TrySend(System.Text.Encoding.UTF8.GetBytes(request), timeout))
        {
            return "the request could not be sent";
        }

        if (!client.TryReceiveString(timeout, out var reply))
        {
            return $"no reply within {timeout.TotalSeconds:F1} s";
        }

        return accept(reply) ? null : $"unexpected reply '{reply}'";
    }
}
