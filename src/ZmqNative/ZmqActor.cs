namespace ZmqNative;

/// <summary>
/// Runs a function on a thread of its own, joined to its owner by a pipe: a pair of
/// <see cref="ZmqSocketType.Pair"/> sockets over a unique <c>inproc://</c> endpoint of the given
/// context. The owner sends commands to the actor and reads its replies on <see cref="Pipe"/>; the
/// function gets the other end (<see cref="ZmqActorPipe"/>). The idea is czmq's zactor.
/// </summary>
/// <remarks>
/// <para><b>Start.</b> The constructor returns once the function has called
/// <see cref="ZmqActorPipe.SignalReady"/> (or has ended, whichever comes first), so the actor is set
/// up when the owner first uses it. If the function fails before it signalled, the constructor
/// throws that failure (wrapped in an <see cref="AggregateException"/>).</para>
/// <para><b>Stop.</b> <see cref="Dispose"/> cancels <see cref="ZmqActorPipe.Cancellation"/>, sends
/// <see cref="ZmqActorPipe.TerminateCommand"/> (<c>"$TERM"</c>) on the pipe, waits for the thread to end
/// and closes the owner's end. The function must return when it receives <c>"$TERM"</c>. Shutting
/// down or disposing the context also ends it: its pipe calls throw <see cref="ContextTerminatedException"/>,
/// which counts as a normal end.</para>
/// <para><b>Failures are not lost.</b> An exception that escapes the function (other than
/// <see cref="ContextTerminatedException"/>, <see cref="ObjectDisposedException"/> once the context has
/// closed the pipe, and <see cref="OperationCanceledException"/> for its own cancellation) is kept in
/// <see cref="Fault"/> and thrown by the first <see cref="Dispose"/>, wrapped in an
/// <see cref="AggregateException"/> (as <c>Task.Wait</c> does), after the actor is fully stopped.</para>
/// <para>The owner's <see cref="Pipe"/> is a socket like any other: used by one thread at a time.</para>
/// </remarks>
public sealed class ZmqActor : IDisposable
{
    private readonly ZmqActorPipe _actorPipe;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new();
    private readonly CancellationTokenSource _cancellation = new();
    private volatile Exception? _fault;
    private volatile bool _completed;
    private int _disposed;

    /// <summary>Starts <paramref name="body"/> on a new thread and waits until it signals ready or ends.</summary>
    /// <param name="context">The context the pipe's sockets belong to.</param>
    /// <param name="body">The actor's function; it gets its end of the pipe and must return on <c>"$TERM"</c>.</param>
    /// <exception cref="AggregateException">The function threw before it signalled ready.</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    public ZmqActor(ZmqContext context, Action<ZmqActorPipe> body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);

        // zmq_inproc(7): inproc endpoints are unique names within a context.
        string endpoint = "inproc://zmqnative-actor-" + Guid.NewGuid().ToString("N");
        Pipe = context.CreateSocket(ZmqSocketType.Pair);
        ZmqSocket? actorSocket = null;
        try
        {
            Pipe.Bind(endpoint);
            actorSocket = context.CreateSocket(ZmqSocketType.Pair);
            actorSocket.Connect(endpoint);
        }
        catch
        {
            actorSocket?.Dispose();
            Pipe.Dispose();
            throw;
        }

        // The actor's socket is created here and handed to the new thread; Thread.Start is the
        // synchronisation zmq_socket(3) asks for when a socket moves between threads.
        _actorPipe = new ZmqActorPipe(actorSocket, _cancellation.Token, _started);
        _thread = new Thread(() => RunBody(body))
        {
            IsBackground = true,
            Name = "ZmqActor",
        };
        _thread.Start();
        _started.Wait();

        if (_completed && _fault is { } fault && !_actorPipe.ReadySignalled)
        {
            _disposed = 1;
            Release();
            throw new AggregateException("the actor's function failed before it signalled ready", fault);
        }
    }

    /// <summary>The owner's end of the pipe: send commands to the actor and receive its replies here.</summary>
    public ZmqSocket Pipe { get; }

    /// <summary>Whether the actor's function has returned (or thrown).</summary>
    public bool IsCompleted => _completed;

    /// <summary>The exception that escaped the actor's function, once it has ended; null when it ended normally or still runs.</summary>
    public Exception? Fault => _completed ? _fault : null;

    /// <summary>
    /// Stops the actor: cancels its token, sends <c>"$TERM"</c>, waits for its thread to end and closes
    /// the pipe. Harmless when called again.
    /// </summary>
    /// <remarks>
    /// The wait lasts as long as the function takes to return after <c>"$TERM"</c>, or until its pipe
    /// calls fail because the context is shut down. Called from the actor's own thread, it does not wait.
    /// </remarks>
    /// <exception cref="AggregateException">The actor's function threw; the exception is the inner one.</exception>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _cancellation.Cancel();
        for (int busy = 0; !_completed; busy++)
        {
            try
            {
                // PAIR over inproc queues up to the high-water mark without waiting for the reader;
                // a full pipe means the actor is not reading, so waiting would not help either.
                Pipe.TrySend(ZmqActorPipe.TerminateCommandBytes);
                break;
            }
            catch (ZmqException)
            {
                // ETERM: the context is shutting down, which ends the actor too.
                break;
            }
            catch (ObjectDisposedException)
            {
                // The context was disposed and closed the pipe; its shutdown ends the actor.
                break;
            }
            catch (InvalidOperationException)
            {
                // Another thread of the owner is inside a call on the pipe (e.g. waiting for a
                // reply): the pipe is one-thread-at-a-time, so wait for that call to end and send
                // "$TERM" then. The actor's token is already cancelled, which may end it sooner.
                Thread.Sleep(1 << Math.Min(busy, 4));
            }
        }

        Release();
        if (_fault is { } fault)
        {
            throw new AggregateException("the actor's function failed", fault);
        }
    }

    /// <summary>Waits for the thread (unless called on it) and frees what the owner holds.</summary>
    private void Release()
    {
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
            _started.Dispose();
            _cancellation.Dispose();
        }

        Pipe.Dispose();
    }

    private void RunBody(Action<ZmqActorPipe> body)
    {
        try
        {
            body(_actorPipe);
        }
        catch (ContextTerminatedException)
        {
            // The context was shut down: the end every actor gets when its context goes away.
        }
        catch (ObjectDisposedException) when (_actorPipe.Socket.DisposeRequested)
        {
            // The context was disposed between two pipe calls (it closes every socket, the pipe too):
            // the same end as ETERM, reached a moment later.
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            // The owner's Dispose cancelled the token and the function honoured it.
        }
        catch (Exception error)
        {
            _fault = error;
        }
        finally
        {
            _actorPipe.Socket.Dispose();
            _completed = true;
            _started.Set(); // wakes the constructor if the function ended before signalling ready
        }
    }
}

/// <summary>
/// The actor's end of a <see cref="ZmqActor"/>'s pipe, given to its function: the socket, the
/// cancellation the owner triggers when it disposes the actor, and the ready signal.
/// </summary>
public sealed class ZmqActorPipe
{
    /// <summary>The command <see cref="ZmqActor.Dispose"/> sends: one frame, <c>"$TERM"</c>. The function returns when it receives it.</summary>
    public const string TerminateCommand = "$TERM";

    private readonly ManualResetEventSlim _ready;

    internal ZmqActorPipe(ZmqSocket socket, CancellationToken cancellation, ManualResetEventSlim ready)
    {
        Socket = socket;
        Cancellation = cancellation;
        _ready = ready;
    }

    /// <summary>The actor's end of the pipe (a PAIR socket), closed when the function returns; use it only on the actor's thread.</summary>
    public ZmqSocket Socket { get; }

    /// <summary>Cancelled when the owner disposes the actor, before <c>"$TERM"</c> is sent: for work that does not read the pipe.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Whether <see cref="SignalReady"/> was called.</summary>
    internal bool ReadySignalled { get; private set; }

    internal static ReadOnlySpan<byte> TerminateCommandBytes => "$TERM"u8;

    /// <summary>Tells the owner the actor is set up: the <see cref="ZmqActor"/> constructor returns. Calling it again does nothing.</summary>
    public void SignalReady()
    {
        ReadySignalled = true;
        _ready.Set();
    }

    /// <summary>Whether a received frame is the terminate command (<c>"$TERM"</c>).</summary>
    /// <param name="frame">The frame's bytes.</param>
    /// <returns>True for <c>"$TERM"</c>.</returns>
    public static bool IsTerminateCommand(ReadOnlySpan<byte> frame) => frame.SequenceEqual(TerminateCommandBytes);
}
