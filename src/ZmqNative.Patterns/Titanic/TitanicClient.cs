using System.Text;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Patterns.Titanic;

/// <summary>
/// The client side of Titanic (RFC 9/TSP, the Guide's ticlient) on a <see cref="MajordomoClient"/>:
/// submit a request and get its UUID, ask for the reply as often as needed, close it when done.
/// </summary>
/// <remarks>
/// Survives: Titanic, broker and worker restarts between calls (each call is one Majordomo request with
/// the client's timeout and retries; a call that gets no answer returns <see cref="TitanicStatus.NoAnswer"/>
/// and can simply be repeated: titanic.reply and titanic.close are idempotent). Keep the UUIDs somewhere
/// safe if the client itself must survive a crash (the Guide suggests a local database); without its
/// UUID a reply cannot be fetched. A <see cref="Submit(string, IEnumerable{byte[]}, out string?)"/>
/// that ends in NoAnswer may still have been stored: submitting again can run the request twice.
/// Not thread-safe.
/// </remarks>
public sealed class TitanicClient : IDisposable
{
    private readonly MajordomoClient _client;

    /// <summary>Connects to the Majordomo broker Titanic is registered with.</summary>
    /// <param name="context">The context to create sockets in.</param>
    /// <param name="broker">The broker's endpoint, e.g. <see cref="MajordomoProtocol.DefaultEndpoint"/>.</param>
    /// <param name="options">Timeout and retries of each call (the Guide's 2500 ms × 3); null for the defaults.</param>
    public TitanicClient(ZmqContext context, string broker, MajordomoClientOptions? options = null)
    {
        _client = new MajordomoClient(context, broker, options);
    }

    /// <summary>Asks Titanic to store a request for <paramref name="service"/> (titanic.request).</summary>
    /// <param name="service">The service that should answer it, e.g. "echo".</param>
    /// <param name="body">The request's body frames (one or more).</param>
    /// <param name="uuid">The request's UUID when the result is <see cref="TitanicStatus.Ok"/>.</param>
    /// <returns>
    /// Ok: stored, on disk; NoAnswer or Error: try again later; Unknown: Titanic refused it (no usable
    /// service name), do not retry.
    /// </returns>
    public TitanicStatus Submit(string service, IEnumerable<byte[]> body, out string? uuid)
    {
        var request = SubmitRequest(service, body);
        (TitanicStatus status, uuid) = Submitted(Parse(_client.Send(TitanicProtocol.RequestService, request), out var rest), rest);
        return status;
    }

    /// <summary>
    /// <see cref="Submit(string, IEnumerable{byte[]}, out string?)"/> awaitable: the same Majordomo call (timeout
    /// and retries) with no thread blocked while it waits.
    /// </summary>
    /// <param name="service">The service that should answer it, e.g. "echo".</param>
    /// <param name="body">The request's body frames (one or more).</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/> (the request may still have been stored).</param>
    /// <returns>The status as <see cref="Submit(string, IEnumerable{byte[]}, out string?)"/>'s, and the UUID when Ok.</returns>
    public async ValueTask<(TitanicStatus Status, string? Uuid)> SubmitAsync(string service, IEnumerable<byte[]> body, CancellationToken cancellationToken = default)
    {
        var request = SubmitRequest(service, body);
        var answer = await _client.SendAsync(TitanicProtocol.RequestService, request, cancellationToken).ConfigureAwait(false);
        return Submitted(Parse(answer, out var rest), rest);
    }

    /// <summary>Asks Titanic to store a one-frame text request (UTF-8, no terminating NUL).</summary>
    /// <param name="service">The service that should answer it.</param>
    /// <param name="body">The request text.</param>
    /// <param name="uuid">The request's UUID when the result is <see cref="TitanicStatus.Ok"/>.</param>
    /// <returns>As <see cref="Submit(string, IEnumerable{byte[]}, out string?)"/>.</returns>
    public TitanicStatus Submit(string service, string body, out string? uuid) =>
        Submit(service, [Encoding.UTF8.GetBytes(body)], out uuid);

    /// <summary>Asks Titanic for the reply to a request (titanic.reply); idempotent, the reply stays until closed.</summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <param name="reply">The reply's frames when the result is <see cref="TitanicStatus.Ok"/>.</param>
    /// <returns>Ok with the reply; Pending: ask again later; Unknown: no such request (closed or never stored); NoAnswer or Error: ask again later.</returns>
    public TitanicStatus TryGetReply(string uuid, out List<byte[]>? reply)
    {
        ArgumentNullException.ThrowIfNull(uuid);
        TitanicStatus status = Parse(_client.Send(TitanicProtocol.ReplyService, [Encoding.ASCII.GetBytes(uuid)]), out reply);
        if (status != TitanicStatus.Ok)
        {
            reply = null;
        }

        return status;
    }

    /// <summary><see cref="TryGetReply"/> awaitable, with no thread blocked while it waits.</summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The status as <see cref="TryGetReply"/>'s, and the reply's frames when Ok.</returns>
    public async ValueTask<(TitanicStatus Status, List<byte[]>? Reply)> GetReplyAsync(string uuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uuid);
        var answer = await _client.SendAsync(TitanicProtocol.ReplyService, [Encoding.ASCII.GetBytes(uuid)], cancellationToken).ConfigureAwait(false);
        TitanicStatus status = Parse(answer, out var reply);
        return (status, status == TitanicStatus.Ok ? reply : null);
    }

    /// <summary>
    /// Asks for the reply every <paramref name="pollInterval"/> until it is there, the UUID turns out
    /// unknown, or <paramref name="cancellation"/> is cancelled (the Guide's ticlient loop).
    /// </summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <param name="pollInterval">The pause between two questions (the Guide's ticlient: 5 s).</param>
    /// <param name="cancellation">Ends the wait.</param>
    /// <param name="reply">The reply's frames when the result is <see cref="TitanicStatus.Ok"/>.</param>
    /// <returns>Ok with the reply, Unknown, or NoAnswer when cancelled first.</returns>
    public TitanicStatus WaitForReply(string uuid, TimeSpan pollInterval, CancellationToken cancellation, out List<byte[]>? reply)
    {
        while (!cancellation.IsCancellationRequested)
        {
            TitanicStatus status = TryGetReply(uuid, out reply);
            if (status is TitanicStatus.Ok or TitanicStatus.Unknown)
            {
                return status;
            }

            if (cancellation.WaitHandle.WaitOne(pollInterval))
            {
                break;
            }
        }

        reply = null;
        return TitanicStatus.NoAnswer;
    }

    /// <summary>
    /// <see cref="WaitForReply"/> awaitable: asks every <paramref name="pollInterval"/> until the reply is there
    /// or the UUID turns out unknown, with no thread blocked in between.
    /// </summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <param name="pollInterval">The pause between two questions (the Guide's ticlient: 5 s).</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/> (unlike
    /// <see cref="WaitForReply"/>, which returns NoAnswer).</param>
    /// <returns>Ok with the reply, or Unknown.</returns>
    public async ValueTask<(TitanicStatus Status, List<byte[]>? Reply)> WaitForReplyAsync(string uuid, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var (status, reply) = await GetReplyAsync(uuid, cancellationToken).ConfigureAwait(false);
            if (status is TitanicStatus.Ok or TitanicStatus.Unknown)
            {
                return (status, reply);
            }

            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Tells Titanic the reply has been dealt with, so it deletes the request and reply (titanic.close; idempotent).</summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <returns>Ok (also for an unknown UUID, RFC 9); Unknown for a malformed UUID; NoAnswer or Error: try again later.</returns>
    public TitanicStatus Close(string uuid)
    {
        ArgumentNullException.ThrowIfNull(uuid);
        return Parse(_client.Send(TitanicProtocol.CloseService, [Encoding.ASCII.GetBytes(uuid)]), out _);
    }

    /// <summary><see cref="Close"/> awaitable, with no thread blocked while it waits.</summary>
    /// <param name="uuid">The request's UUID.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>As <see cref="Close"/>.</returns>
    public async ValueTask<TitanicStatus> CloseAsync(string uuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uuid);
        return Parse(await _client.SendAsync(TitanicProtocol.CloseService, [Encoding.ASCII.GetBytes(uuid)], cancellationToken).ConfigureAwait(false), out _);
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _client.Dispose();

    private static List<byte[]> SubmitRequest(string service, IEnumerable<byte[]> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(body);
        var request = new List<byte[]> { Encoding.UTF8.GetBytes(service) };
        request.AddRange(body);
        return request;
    }

    private static (TitanicStatus Status, string? Uuid) Submitted(TitanicStatus status, List<byte[]>? rest)
    {
        if (status != TitanicStatus.Ok)
        {
            return (status, null);
        }

        string? uuid = rest!.Count > 0 ? Encoding.ASCII.GetString(rest[0]) : null;
        // A "200" without a UUID is not TSP.
        return TitanicStore.IsValidUuid(uuid) ? (status, uuid) : (TitanicStatus.Error, null);
    }

    /// <summary>A Majordomo answer's status frame, and the frames after it.</summary>
    private static TitanicStatus Parse(List<byte[]>? answer, out List<byte[]>? rest)
    {
        rest = null;
        if (answer is null)
        {
            return TitanicStatus.NoAnswer;
        }

        if (answer.Count == 0)
        {
            return TitanicStatus.Error;
        }

        rest = answer.GetRange(1, answer.Count - 1);
        return TitanicProtocol.ParseStatus(answer[0]);
    }
}
