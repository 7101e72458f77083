using System.Globalization;
using System.Runtime.InteropServices;

namespace ZmqNative.Tests.Lifetime;

/// <summary>
/// A socket among threads: two overlapping calls are refused, and a blocked call survives what
/// the .NET runtime does to threads (garbage collections, signals, i.e. EINTR).
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class ZmqSocketThreadingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void Send_WhileAnotherThreadIsInReceive_ThrowsInvalidOperationAndHarmsNothing()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pair);
        socket.Bind("inproc://two-threads");
        using var peer = context.CreateSocket(ZmqSocketType.Pair);
        peer.Connect("inproc://two-threads");
        socket.ReceiveTimeout = Wait;
        var receiver = Task.Run(socket.ReceiveString); // one blocking call: busy all along
        Assert.That(SpinWait.SpinUntil(() => socket.IsBusy, Wait), Is.True, "the receiver is inside Receive");

        var error = Assert.Throws<InvalidOperationException>(() => socket.Send("from a second thread"))!;
        Assert.That(() => socket.TrySend("again"u8), Throws.InvalidOperationException);
        Assert.That(() => _ = socket.Linger, Throws.InvalidOperationException);

        Assert.That(error.Message, Does.Contain("two threads").And.Contain("Pair"));
        peer.Send("for the receiver");
        Assert.That(receiver.Wait(Wait), Is.True);
        Assert.That(receiver.Result, Is.EqualTo("for the receiver"));
        // The refused calls left the socket as it was: usable again, and nothing was sent.
        socket.Send("now it works");
        Assert.That(peer.TryReceiveString(Wait, out var text), Is.True);
        Assert.That(text, Is.EqualTo("now it works"));
        Assert.That(peer.TryReceiveString(TimeSpan.Zero, out _), Is.False);
    }

    [Test]
    public void Receive_WhileAnotherThreadCollectsGarbage_StillGetsItsMessage()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://gc-storm");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect("inproc://gc-storm");
        pull.ReceiveTimeout = Wait;
        var receiver = Task.Run(pull.ReceiveString);
        Assert.That(SpinWait.SpinUntil(() => pull.IsBusy, Wait), Is.True, "the receiver is inside Receive");

        for (int i = 0; i < 200; i++)
        {
            _ = new byte[100_000];
            GC.Collect();
        }

        push.Send("after the storm");
        Assert.That(receiver.Wait(Wait), Is.True);
        Assert.That(receiver.Result, Is.EqualTo("after the storm"));
    }

    [Test]
    [Platform(Include = "Linux", Reason = "sends the signal with pthread_kill")]
    public void Receive_InterruptedBySignalsWhileBlocked_RetriesAndStillGetsItsMessage()
    {
        // The runtime's own thread-activation signal (SIGRTMIN): its handler returns at once for a
        // thread in native code, and every delivery interrupts libzmq's poll() with EINTR, which
        // zmq_recv reports (signaler.cpp). Send it only when the runtime handles it.
        int signal = RuntimeSignal();
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://signals");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect("inproc://signals");
        pull.ReceiveTimeout = Wait;
        var receiver = BlockedReceiver.Start(pull);

        for (int i = 0; i < 100; i++)
        {
            Assert.That(receiver.Interrupt(signal), Is.Zero);
            Thread.Sleep(1);
        }

        push.Send("after the signals");
        Assert.That(receiver.Join(Wait), Is.True);
        Assert.That(receiver.Failure, Is.Null);
        Assert.That(receiver.Received, Is.EqualTo("after the signals"));
    }

    [Test]
    [Platform(Include = "Linux", Reason = "sends the signal with pthread_kill")]
    public void Receive_InterruptedOverAndOverWithATimeout_StillTimesOutOnTime()
    {
        // Restarting the blocking zmq_recv after each EINTR would start ZMQ_RCVTIMEO afresh, so
        // a steady stream of signals (the runtime sends its own) would keep it waiting for ever.
        int signal = RuntimeSignal();
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://signals-timeout");
        pull.ReceiveTimeout = TimeSpan.FromMilliseconds(300);
        var receiver = BlockedReceiver.Start(pull);

        // Interrupt it every 10 ms, far more often than its 300 ms timeout, until it gives up or 20 s pass.
        var interrupting = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.IsAlive && interrupting.Elapsed < TimeSpan.FromSeconds(20))
        {
            receiver.Interrupt(signal);
            Thread.Sleep(10);
        }

        Assert.That(receiver.Join(Wait), Is.True);
        Assert.That(interrupting.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "it timed out while the interruptions went on");
        Assert.That(receiver.Failure, Is.TypeOf<ZmqException>().With.Property(nameof(ZmqException.Error)).EqualTo(ZmqErrorCode.EAGAIN));
    }

    [Test]
    [Platform(Include = "Linux", Reason = "sends the signal with pthread_kill")]
    public void Receive_OneSignalLateInItsTimeout_StillEndsAtTheTimeoutFromTheCallsStart()
    {
        // The deadline starts when the call starts: a signal late in ZMQ_RCVTIMEO must not give
        // the call a fresh timeout (it ended after timeout + signal time, issue 16 item 3).
        int signal = RuntimeSignal();
        var timeout = TimeSpan.FromSeconds(2);
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://signal-late");
        pull.ReceiveTimeout = timeout;
        var receiver = BlockedReceiver.Start(pull);

        // This wait is the scenario (a signal at 80 % of the timeout), not a pause to let things settle.
        Thread.Sleep(timeout * 0.8);
        if (receiver.IsAlive)
        {
            receiver.Interrupt(signal); // (if this thread slept past the timeout, there is nothing to interrupt)
        }

        Assert.That(receiver.Join(Wait), Is.True);
        Assert.That(receiver.Failure, Is.TypeOf<ZmqException>().With.Property(nameof(ZmqException.Error)).EqualTo(ZmqErrorCode.EAGAIN));
        // A bound, not a speed: restarting the timeout at the signal ends after about 1.8 x timeout.
        Assert.That(receiver.Elapsed, Is.LessThan(timeout * 1.4), "the signal restarted the timeout");
    }

    [Test]
    [Platform(Include = "Linux", Reason = "sends the signal with pthread_kill")]
    public void TryReceiveWithTimeout_InterruptedOverAndOver_StillReturnsFalseOnTime()
    {
        // A timed Try* is attempt, wait (ZmqWait: zmq_poll for the time left), attempt: an
        // interrupted poll must wait only for what is left, or the signals would keep it waiting.
        int signal = RuntimeSignal();
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://signals-try");
        var receiver = BlockedReceiver.Start(pull, s => s.TryReceiveString(TimeSpan.FromMilliseconds(300), out var text) ? text : "timed out");

        var interrupting = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.IsAlive && interrupting.Elapsed < TimeSpan.FromSeconds(20))
        {
            receiver.Interrupt(signal);
            Thread.Sleep(10);
        }

        Assert.That(receiver.Join(Wait), Is.True);
        Assert.That(interrupting.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "it timed out while the interruptions went on");
        Assert.That(receiver.Failure, Is.Null);
        Assert.That(receiver.Received, Is.EqualTo("timed out"));
    }

    [TestCase(false)]
    [TestCase(true)]
    [Platform(Include = "Linux", Reason = "sends the signal with pthread_kill")]
    public void PollerWait_InterruptedOverAndOverWithATimeout_StillTimesOutOnTime(bool draft)
    {
        // Both backends wait through ZmqWait: zmq_poll, or zmq_poller_wait_all (draft API).
        Assume.That(!draft || Zmq.Has("draft"), "zmq_poller is draft API");
        var backend = draft ? ZmqPollerBackend.DraftPoller : ZmqPollerBackend.Poll;
        int signal = RuntimeSignal();
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://signals-poller-" + backend);
        var receiver = BlockedReceiver.Start(pull, s =>
        {
            using var poller = new ZmqPoller(backend);
            poller.Add(s, ZmqPollEvents.In);
            return poller.Wait(TimeSpan.FromMilliseconds(300)).ToString(CultureInfo.InvariantCulture);
        });

        var interrupting = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.IsAlive && interrupting.Elapsed < TimeSpan.FromSeconds(20))
        {
            receiver.Interrupt(signal);
            Thread.Sleep(10);
        }

        Assert.That(receiver.Join(Wait), Is.True);
        Assert.That(interrupting.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "it timed out while the interruptions went on");
        Assert.That(receiver.Failure, Is.Null);
        Assert.That(receiver.Received, Is.EqualTo("0"));
    }

    /// <summary>The runtime's own thread-activation signal (SIGRTMIN), or the test is skipped where it is not usable.</summary>
    private static int RuntimeSignal()
    {
        int signal = 0;
        try
        {
            signal = Libc.__libc_current_sigrtmin();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Assert.Ignore("not glibc: " + e.Message);
        }

        Assume.That(IsCaught(signal), $"signal {signal} has no handler in this process");
        return signal;
    }

    /// <summary>A thread blocked in <c>ReceiveString</c> on a socket, which a test can send signals to.</summary>
    private sealed class BlockedReceiver
    {
        private readonly Thread _thread;
        private nuint _pthread;

        private BlockedReceiver(ZmqSocket socket, Func<ZmqSocket, string?> receive)
        {
            _thread = new Thread(() =>
            {
                Volatile.Write(ref _pthread, Libc.pthread_self());
                var clock = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    Received = receive(socket);
                }
                catch (Exception e)
                {
                    Failure = e;
                }

                Elapsed = clock.Elapsed;
            })
            { IsBackground = true };
        }

        public string? Received { get; private set; }

        public Exception? Failure { get; private set; }

        /// <summary>How long the receive took, measured around it in the receiving thread.</summary>
        public TimeSpan Elapsed { get; private set; }

        public bool IsAlive => _thread.IsAlive;

        /// <summary>Starts the thread and returns once it is inside the receive.</summary>
        public static BlockedReceiver Start(ZmqSocket socket, Func<ZmqSocket, string?>? receive = null)
        {
            var receiver = new BlockedReceiver(socket, receive ?? (s => s.ReceiveString()));
            receiver._thread.Start();
            Assert.That(SpinWait.SpinUntil(() => socket.IsBusy, Wait), Is.True, "the receiver is inside Receive");
            return receiver;
        }

        public int Interrupt(int signal) => Libc.pthread_kill(Volatile.Read(ref _pthread), signal);

        public bool Join(TimeSpan timeout) => _thread.Join(timeout);
    }

    private static bool IsCaught(int signal)
    {
        // SigCgt in /proc/self/status: a hexadecimal mask of the signals with a handler, bit n-1 for signal n.
        string mask = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigCgt:", StringComparison.Ordinal))["SigCgt:".Length..].Trim();
        ulong caught = ulong.Parse(mask, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return signal is >= 1 and <= 64 && (caught & (1UL << (signal - 1))) != 0;
    }

    private static class Libc
    {
        private const string Name = "libc.so.6";

        [DllImport(Name)]
        public static extern nuint pthread_self();

        [DllImport(Name)]
        public static extern int pthread_kill(nuint thread, int signal);

        [DllImport(Name)]
        public static extern int __libc_current_sigrtmin();
    }
}
