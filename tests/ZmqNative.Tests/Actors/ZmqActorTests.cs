namespace ZmqNative.Tests.Actors;

/// <summary>ZmqActor: a function on its own thread, joined to its owner by a PAIR pipe.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqActorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void Pipe_EchoActor_RepliesToEachCommand()
    {
        using var context = new ZmqContext();
        using var actor = new ZmqActor(context, Echo);

        var replies = new List<string?>();
        foreach (var word in new[] { "one", "two", "three" })
        {
            actor.Pipe.Send(word);
            actor.Pipe.TryReceiveString(Wait, out var reply);
            replies.Add(reply);
        }

        Assert.That(replies, Is.EqualTo(new[] { "one", "two", "three" }));
    }

    [Test]
    public void Constructor_ActorSetsUpBeforeSignalling_ReturnsOnlyAfterItIsReady()
    {
        using var context = new ZmqContext();
        string endpoint = "inproc://actor-service-" + Guid.NewGuid().ToString("N");
        bool setUp = false;

        using var actor = new ZmqActor(context, pipe =>
        {
            using var service = context.CreateSocket(ZmqSocketType.Rep);
            service.Bind(endpoint);
            Thread.Sleep(50); // slow set-up: the constructor must still wait for it
            setUp = true;
            pipe.SignalReady();
            Serve(pipe, service);
        });

        Assert.That(setUp, Is.True);
        // The service is bound, so a client can talk to it right away.
        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.Connect(endpoint);
        client.Send("ping");
        Assert.That(client.TryReceiveString(Wait, out var reply), Is.True);
        Assert.That(reply, Is.EqualTo("pong"));
    }

    [Test]
    public void Dispose_ActorReturnsOnTerm_SendsTermAndJoinsTheThread()
    {
        using var context = new ZmqContext();
        string? lastCommand = null;
        Thread? actorThread = null;
        var actor = new ZmqActor(context, pipe =>
        {
            actorThread = Thread.CurrentThread;
            pipe.SignalReady();
            lastCommand = pipe.Socket.ReceiveString();
        });

        actor.Dispose();

        Assert.That(lastCommand, Is.EqualTo(ZmqActorPipe.TerminateCommand));
        Assert.That(actor.IsCompleted, Is.True);
        Assert.That(actorThread!.IsAlive, Is.False);
        Assert.That(actor.Pipe.IsDisposed, Is.True);
        Assert.DoesNotThrow(actor.Dispose, "a second Dispose is harmless");
    }

    [Test]
    public void Dispose_WhileAnotherThreadWaitsOnThePipe_SendsTermOnceThatCallEnds()
    {
        using var context = new ZmqContext();
        string? lastCommand = null;
        var actor = new ZmqActor(context, pipe =>
        {
            pipe.SignalReady();
            pipe.Cancellation.WaitHandle.WaitOne(); // Dispose has begun...
            pipe.Socket.Send("bye");                // ...this ends the owner's pending receive
            lastCommand = pipe.Socket.ReceiveString();
        });
        string? received = null;
        var reader = new Thread(() => actor.Pipe.TryReceiveString(Wait, out received));
        reader.Start();
        SpinWait.SpinUntil(() => actor.Pipe.IsBusy || !reader.IsAlive, Wait);
        Assume.That(actor.Pipe.IsBusy, "the reader thread should be inside its receive now");

        // The pipe is busy in the reader's call: Dispose must wait for it, not throw.
        Assert.DoesNotThrow(actor.Dispose);
        reader.Join();

        Assert.That(received, Is.EqualTo("bye"));
        Assert.That(lastCommand, Is.EqualTo(ZmqActorPipe.TerminateCommand));
        Assert.That(actor.IsCompleted, Is.True);
    }

    [Test]
    public void Dispose_ActorHonoursCancellation_EndsWithoutReadingThePipe()
    {
        using var context = new ZmqContext();
        using var actor = new ZmqActor(context, pipe =>
        {
            pipe.SignalReady();
            pipe.Cancellation.WaitHandle.WaitOne();
            pipe.Cancellation.ThrowIfCancellationRequested();
        });

        Assert.DoesNotThrow(actor.Dispose);
        Assert.That(actor.Fault, Is.Null, "cancellation asked for by Dispose is not a fault");
    }

    [Test]
    public void Dispose_ActorFunctionThrew_SurfacesTheException()
    {
        using var context = new ZmqContext();
        var actor = new ZmqActor(context, pipe =>
        {
            pipe.SignalReady();
            pipe.Socket.ReceiveString();
            throw new InvalidOperationException("actor failed");
        });

        actor.Pipe.Send("fail now");
        var error = Assert.Throws<AggregateException>(actor.Dispose)!;

        Assert.That(error.InnerException, Is.TypeOf<InvalidOperationException>());
        Assert.That(error.InnerException!.Message, Is.EqualTo("actor failed"));
        Assert.That(actor.Fault, Is.SameAs(error.InnerException));
        Assert.DoesNotThrow(actor.Dispose, "surfaced once");
    }

    [Test]
    public void Constructor_ActorThrowsBeforeReady_ThrowsTheFailure()
    {
        using var context = new ZmqContext();

        var error = Assert.Throws<AggregateException>(() => new ZmqActor(context, _ => throw new FormatException("bad set-up")))!;

        Assert.That(error.InnerException, Is.TypeOf<FormatException>());
    }

    [Test]
    public void Constructor_ActorEndsWithoutSignalling_Returns()
    {
        using var context = new ZmqContext();

        using var actor = new ZmqActor(context, _ => { });

        Assert.That(actor.IsCompleted, Is.True);
        Assert.That(actor.Fault, Is.Null);
    }

    [Test]
    public void ContextDispose_WhileActorWaitsOnItsPipe_EndsTheActorWithoutHanging()
    {
        var context = new ZmqContext();
        var actor = new ZmqActor(context, Echo);
        actor.Pipe.Send("alive?");
        Assert.That(actor.Pipe.TryReceiveString(Wait, out _), Is.True);

        var disposing = Task.Run(() =>
        {
            context.Dispose();
            actor.Dispose();
        });

        Assert.That(disposing.Wait(Wait), Is.True, "context and actor disposal finished");
        Assert.That(actor.IsCompleted, Is.True);
        Assert.That(actor.Fault, Is.Null, "ETERM is a normal end");
    }

    [Test]
    public void ActorDispose_AfterContextShutdown_DoesNotHang()
    {
        using var context = new ZmqContext();
        var actor = new ZmqActor(context, Echo);

        context.Shutdown();
        var disposing = Task.Run(actor.Dispose);

        Assert.That(disposing.Wait(Wait), Is.True);
        Assert.That(actor.IsCompleted, Is.True);
    }

    private static void Echo(ZmqActorPipe pipe)
    {
        pipe.SignalReady();
        using var message = new ZmqMessage();
        while (true)
        {
            pipe.Socket.Receive(message);
            if (ZmqActorPipe.IsTerminateCommand(message.Data))
            {
                return;
            }

            pipe.Socket.Send(message);
        }
    }

    private static void Serve(ZmqActorPipe pipe, ZmqSocket service)
    {
        using var poller = new ZmqPoller();
        poller.Add(pipe.Socket, ZmqPollEvents.In);
        poller.Add(service, ZmqPollEvents.In);
        while (true)
        {
            poller.Wait(Timeout.InfiniteTimeSpan);
            if (poller.IsReady(pipe.Socket))
            {
                return; // the only command this actor gets is $TERM
            }

            if (poller.IsReady(service))
            {
                service.ReceiveString();
                service.Send("pong");
            }
        }
    }
}
