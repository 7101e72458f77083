using System.Text;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Fuzz.Tests.Support;

/// <summary>
/// Rule 2: a well-behaved client's request and reply through a server, retried the way the
/// Guide's reliable clients retry (a fresh socket per attempt) for at most <see cref="Loops.ServeWithin"/>.
/// Each returns null when served, otherwise what went wrong.
/// </summary>
internal static class RoundTrips
{
    /// <summary>A [sequence][body] request from a DEALER to a Freelance server (RFC 10/FLP), answered [sequence][OK].</summary>
    public static string? Freelance(ZmqContext context, string endpoint) => Loops.Retry(() => FreelanceOnce(context, endpoint));

    /// <summary>A REQ request answered with <paramref name="expected"/> (null: the request itself, an echo).</summary>
    public static string? Req(ZmqContext context, string endpoint, string request, string? expected) =>
        Loops.Retry(() => Loops.ReqRoundTrip(context, endpoint, request, reply => reply == (expected ?? request), TimeSpan.FromSeconds(2)));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    /// <summary>A REQ request echoed back (queues in front of echo workers, Binary Star's echo voter).</summary>
    public static string? Echo(ZmqContext context, string endpoint)
    {
        string token = Guid.NewGuid().ToString("N");
        return Loops.Retry(() => Loops.ReqRoundTrip(context, endpoint, token, reply => reply == token, TimeSpan.FromSeconds(2)));
    }

    /// <summary>An MDP request to the echo service through a broker (RFC 7/MDP).</summary>
    public static string? Majordomo(ZmqContext context, string endpoint) => Loops.Retry(() =>
    {
        string token = Guid.NewGuid().ToString("N");
        using var client = new MajordomoClient(context, endpoint, new MajordomoClientOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 1 });
        var reply = client.Send("echo", token);
        return reply is null ? "no reply" : reply.Count == 1 && Text(reply[0]) == token ? null : $"unexpected reply of {reply.Count} frames";
    });

    /// <summary>A request stored by Titanic for the echo service, its reply fetched, then closed (RFC 9/TSP).</summary>
    public static string? Titanic(ZmqContext context, string endpoint) => Loops.Retry(() =>
    {
        string token = Guid.NewGuid().ToString("N");
        using var client = new TitanicClient(context, endpoint, new MajordomoClientOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 1 });
        var status = client.Submit("echo", token, out var uuid);
        if (status != TitanicStatus.Ok || uuid is null)
        {
            return $"titanic.request answered {status}";
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        status = client.WaitForReply(uuid, TimeSpan.FromMilliseconds(100), wait.Token, out var reply);
        if (status != TitanicStatus.Ok || reply is null || reply.Count != 1 || Text(reply[0]) != token)
        {
            return $"titanic.reply answered {status} ({reply?.Count ?? 0} frames)";
        }

        return client.Close(uuid) == TitanicStatus.Ok ? null : "titanic.close failed";
    });

    private static string? FreelanceOnce(ZmqContext context, string endpoint)
    {
        using var client = context.CreateSocket(ZmqSocketType.Dealer);
        client.Linger = TimeSpan.Zero;
        client.Connect(endpoint);
        string sequence = Guid.NewGuid().ToString("N");
        if (!client.TrySendMultipart([Bytes(sequence), Bytes("request")], TimeSpan.FromSeconds(2)))
        {
            return "could not send";
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (client.TryReceiveMultipart(deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.Zero, out var reply))
        {
            if (reply.Count == 2 && Text(reply[0]) == sequence && Text(reply[1]) == "OK")
            {
                return null;
            }
        }

        return "no [sequence][OK] reply within 2 s";
    }
}
