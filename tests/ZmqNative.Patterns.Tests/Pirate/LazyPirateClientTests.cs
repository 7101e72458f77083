using ZmqNative.Patterns.Pirate;
using static ZmqNative.Patterns.Tests.Pirate.PirateTesting;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>
/// LazyPirateClient in one process: retries on new sockets, gives up with a result, never hangs; each
/// test runs against Request and RequestAsync.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
[CancelAfter(60_000)]
public class LazyPirateClientTests(bool awaitable)
{
    private static LazyPirateClientOptions Fast(PirateEvents? events = null) => new()
    {
        RequestTimeout = TimeSpan.FromMilliseconds(200),
        Attempts = 3,
        Observer = events?.Observer,
    };

    [Test]
    public void Request_ServerEchoes_ReturnsTheReplyOnTheFirstAttempt()
    {
        using var context = new ZmqContext();
        string endpoint = Inproc("echo");
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        server.Bind(endpoint);
        var echo = Background(() =>
        {
            if (server.TryReceiveMultipart(Wait, out var request))
            {
                server.SendMultipart(request!);
            }
        });
        using var client = new LazyPirateClient(context, endpoint, Fast());

        var result = Request(client, [Bytes("hello")]);

        Join(echo);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.ReplyText, Is.EqualTo("hello"));
    }

    [Test]
    public void Request_NoServer_GivesUpAfterItsAttemptsWithAClearResult()
    {
        using var context = new ZmqContext();
        var events = new PirateEvents();
        using var client = new LazyPirateClient(context, Inproc("nobody"), Fast(events));

        var result = Request(client, [Bytes("1")]);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Attempts, Is.EqualTo(3));
        Assert.That(result.Reply, Is.Empty);
        Assert.That(events.All.Select(e => e.Kind), Is.EqualTo(new[]
        {
            PirateEventKind.Connecting,
            PirateEventKind.NoResponse, PirateEventKind.Connecting,
            PirateEventKind.NoResponse, PirateEventKind.Connecting,
            PirateEventKind.Abandoned,
        }));
        Assert.That(events.All.Where(e => e.Kind == PirateEventKind.NoResponse).Select(e => e.Count), Is.EqualTo(new[] { 2, 1 }));
    }

    [Test]
    public void Request_ServerIgnoresTheFirstCopy_ResendsOnANewSocketAndSucceeds()
    {
        using var context = new ZmqContext();
        string endpoint = Inproc("forgetful");
        using var server = context.CreateSocket(ZmqSocketType.Router);
        server.Bind(endpoint);
        var senders = new List<string>();
        var forgetful = Background(() =>
        {
            // First copy: swallowed, as by a server that crashed holding it. Second copy: answered.
            Assert.That(server.TryReceiveMultipart(Wait, out var first), Is.True);
            Assert.That(server.TryReceiveMultipart(Wait, out var second), Is.True);
            senders.Add(Convert.ToHexString(first![0]));
            senders.Add(Convert.ToHexString(second![0]));
            server.SendMultipart([second[0], [], Bytes("reply to " + Text(second[^1]))]);
        });
        using var client = new LazyPirateClient(context, endpoint, Fast());

        var result = Request(client, [Bytes("7")]);

        Join(forgetful);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.ReplyText, Is.EqualTo("reply to 7"));
        Assert.That(result.Attempts, Is.EqualTo(2));
        Assert.That(senders[1], Is.Not.EqualTo(senders[0]), "the resend must come from a new socket");
    }

    [Test]
    public void Request_ReplyRefusedByTheCheck_CountsAsAFailedAttempt()
    {
        using var context = new ZmqContext();
        string endpoint = Inproc("wrong-first");
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        server.Bind(endpoint);
        var replies = new Queue<string>(["41", "42"]);
        var answering = Background(() =>
        {
            while (replies.Count > 0 && server.TryReceiveMultipart(Wait, out _))
            {
                server.Send(replies.Dequeue());
            }
        });
        var events = new PirateEvents();
        using var client = new LazyPirateClient(context, endpoint, Fast(events));

        var result = Request(client, [Bytes("42")], reply => Text(reply[0]) == "42");

        Join(answering);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.Attempts, Is.EqualTo(2));
        Assert.That(events.All.Count(e => e.Kind == PirateEventKind.RejectedReply), Is.EqualTo(1));
    }

    [Test]
    public void Request_AfterGivingUp_ReconnectsWhenTheServerComesBack()
    {
        using var context = new ZmqContext();
        string endpoint = Inproc("late");
        using var client = new LazyPirateClient(context, endpoint, Fast());
        Assert.That(Request(client, [Bytes("1")]).Succeeded, Is.False);

        using var stop = new CancellationTokenSource();
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        server.Bind(endpoint);
        // Echoes everything: copies of the abandoned request may still arrive (inproc keeps a
        // connect made before the bind pending with what was sent on it), and must not be taken
        // for the reply to the new one.
        var echo = Background(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (server.TryReceiveMultipart(TimeSpan.FromMilliseconds(50), out var request))
                {
                    server.SendMultipart(request!);
                }
            }
        });
        var result = Request(client, [Bytes("2")], reply => Text(reply[0]) == "2");

        stop.Cancel();
        Join(echo);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.ReplyText, Is.EqualTo("2"));
    }

    [Test]
    public void Constructor_ZeroAttempts_Throws()
    {
        using var context = new ZmqContext();
        Assert.That(() => new LazyPirateClient(context, "inproc://x", new LazyPirateClientOptions { Attempts = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    /// <summary>The request in the form this fixture tests.</summary>
    private LazyPirateResult Request(LazyPirateClient client, IReadOnlyList<byte[]> request, Func<IReadOnlyList<byte[]>, bool>? accept = null) =>
        awaitable ? client.RequestAsync(request, accept).AsTask().GetAwaiter().GetResult() : client.Request(request, accept);
}

/// <summary>What only the awaitable form has: a caller's cancellation.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class LazyPirateClientAsyncTests
{
    [Test]
    public void RequestAsync_Cancelled_ThrowsAndTheNextRequestStartsOnAFreshSocket()
    {
        using var context = new ZmqContext();
        string endpoint = Inproc("slow");
        using var server = context.CreateSocket(ZmqSocketType.Router);
        server.Bind(endpoint);
        using var client = new LazyPirateClient(context, endpoint, new LazyPirateClientOptions { RequestTimeout = Wait, Attempts = 1 });
        using var cancel = new CancellationTokenSource();

        var pending = client.RequestAsync([Bytes("first")], cancellationToken: cancel.Token).AsTask();
        Assert.That(server.TryReceiveMultipart(Wait, out var first), Is.True, "the first request was not sent");
        cancel.Cancel();
        Assert.That(() => pending.GetAwaiter().GetResult(), Throws.InstanceOf<OperationCanceledException>());

        // Answer the first request after the cancellation: its socket is closed, so the reply goes nowhere.
        server.SendMultipart([first![0], [], Bytes("late")]);
        var second = client.RequestAsync([Bytes("second")]).AsTask();
        Assert.That(server.TryReceiveMultipart(Wait, out var request), Is.True);
        Assert.That(request![0], Is.Not.EqualTo(first[0]), "the request after a cancellation must come from a new socket");
        server.SendMultipart([request[0], [], Bytes("second reply")]);
        Assert.That(second.GetAwaiter().GetResult().ReplyText, Is.EqualTo("second reply"));
    }
}
