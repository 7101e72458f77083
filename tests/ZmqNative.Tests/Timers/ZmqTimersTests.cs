using System.Diagnostics;

namespace ZmqNative.Tests.Timers;

/// <summary>
/// ZmqTimers (zmq_timers(3)), in the spirit of libzmq's tests/test_timers.cpp. Tests wait for a
/// timer by sleeping what <see cref="ZmqTimers.TimeUntilNext"/> says, never a guessed amount.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqTimersTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    [Test]
    public void Execute_AfterTheInterval_RunsTheHandlerWithItsId()
    {
        using var timers = new ZmqTimers();
        var fired = new List<int>();
        int id = timers.Add(Soon, fired.Add);

        WaitUntilDue(timers);
        timers.Execute();

        Assert.That(fired, Is.EqualTo(new[] { id }));
    }

    [Test]
    public void Execute_BeforeTheInterval_RunsNothing()
    {
        using var timers = new ZmqTimers();
        int fired = 0;
        timers.Add(Never, _ => fired++);

        timers.Execute();

        Assert.That(fired, Is.EqualTo(0));
    }

    [Test]
    public void Execute_TimerRepeats_RunsAgainAfterTheNextInterval()
    {
        using var timers = new ZmqTimers();
        int fired = 0;
        timers.Add(Soon, _ => fired++);

        for (int i = 0; i < 3; i++)
        {
            WaitUntilDue(timers);
            timers.Execute();
        }

        Assert.That(fired, Is.EqualTo(3));
        Assert.That(timers.TimeUntilNext, Is.Not.Null, "still scheduled");
    }

    [Test]
    public void Cancel_BeforeDue_HandlerNeverRuns()
    {
        using var timers = new ZmqTimers();
        var fired = new List<string>();
        int cancelled = timers.Add(Soon, _ => fired.Add("cancelled"));
        timers.Add(Soon, _ => fired.Add("kept")); // due at the same time or just after

        timers.Cancel(cancelled);
        WaitUntilDue(timers);
        timers.Execute();

        Assert.That(fired, Is.EqualTo(new[] { "kept" }));
        Assert.That(timers.Count, Is.EqualTo(1));
    }

    [Test]
    public void TimeUntilNext_NoTimers_IsNull()
    {
        using var timers = new ZmqTimers();
        int id = timers.Add(Never, _ => { });
        Assert.That(timers.TimeUntilNext, Is.Not.Null);

        timers.Cancel(id);

        Assert.That(timers.TimeUntilNext, Is.Null);
    }

    [Test]
    public void Reset_PartWayThrough_StartsTheIntervalAgain()
    {
        using var timers = new ZmqTimers();
        int id = timers.Add(Never, _ => { });
        var first = timers.TimeUntilNext!.Value;
        // Let at least a millisecond pass, as libzmq's clock sees it.
        TimeSpan partWay;
        while ((partWay = timers.TimeUntilNext!.Value) >= first)
        {
            Thread.Sleep(1);
        }

        timers.Reset(id);

        Assert.That(timers.TimeUntilNext!.Value, Is.GreaterThan(partWay));
    }

    [Test]
    public void SetInterval_Shorter_TimerIsDueSooner()
    {
        using var timers = new ZmqTimers();
        int fired = 0;
        int id = timers.Add(Never, _ => fired++);

        timers.SetInterval(id, Soon);
        Assert.That(timers.TimeUntilNext!.Value, Is.LessThanOrEqualTo(Soon));
        WaitUntilDue(timers);
        timers.Execute();

        Assert.That(fired, Is.EqualTo(1));
    }

    [TestCase("cancel")]
    [TestCase("reset")]
    [TestCase("set_interval")]
    public void Operation_UnknownId_ThrowsEINVAL(string operation)
    {
        using var timers = new ZmqTimers();

        var error = Assert.Throws<ZmqException>(() => Apply(timers, operation, 42))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EINVAL));
        Assert.That(error.Message, Does.Contain("zmq_timers_" + operation));
    }

    [Test]
    public void Cancel_Twice_ThrowsEINVAL()
    {
        using var timers = new ZmqTimers();
        int id = timers.Add(Never, _ => { });
        timers.Cancel(id);

        var error = Assert.Throws<ZmqException>(() => timers.Cancel(id))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EINVAL));
    }

    [Test]
    public void Add_ZeroInterval_ThrowsArgumentOutOfRange()
    {
        using var timers = new ZmqTimers();

        Assert.Throws<ArgumentOutOfRangeException>(() => timers.Add(TimeSpan.Zero, _ => { }));
    }

    [Test]
    public void Execute_HandlerThrows_OtherHandlersRunAndExecuteRethrows()
    {
        using var timers = new ZmqTimers();
        int ran = 0;
        timers.Add(Soon, _ => throw new InvalidOperationException("boom"));
        timers.Add(Soon, _ => ran++);
        WaitUntilAllDue(timers, Stopwatch.StartNew());

        var error = Assert.Throws<InvalidOperationException>(timers.Execute)!;

        Assert.That(error.Message, Is.EqualTo("boom"));
        Assert.That(ran, Is.EqualTo(1));
        Assert.That(timers.Count, Is.EqualTo(2), "a failing timer stays scheduled");
    }

    [Test]
    public void Execute_TwoHandlersThrow_ThrowsAggregateOfBoth()
    {
        using var timers = new ZmqTimers();
        timers.Add(Soon, _ => throw new InvalidOperationException("one"));
        timers.Add(Soon, _ => throw new ArgumentException("two"));
        WaitUntilAllDue(timers, Stopwatch.StartNew());

        var error = Assert.Throws<AggregateException>(timers.Execute)!;

        Assert.That(error.InnerExceptions.Select(e => e.Message), Is.EquivalentTo(new[] { "one", "two" }));
    }

    [Test]
    public void Execute_HandlerCancelsItself_DoesNotRunAgain()
    {
        using var timers = new ZmqTimers();
        int fired = 0;
        timers.Add(Soon, id =>
        {
            fired++;
            timers.Cancel(id);
        });

        WaitUntilDue(timers);
        timers.Execute();

        Assert.That(fired, Is.EqualTo(1));
        Assert.That(timers.Count, Is.EqualTo(0));
        Assert.That(timers.TimeUntilNext, Is.Null);
    }

    [Test]
    public void Execute_HandlerChangesItsOwnInterval_TakesEffectAfterExecute()
    {
        using var timers = new ZmqTimers();
        int fired = 0;
        timers.Add(Soon, id =>
        {
            fired++;
            timers.SetInterval(id, Never);
        });

        WaitUntilDue(timers);
        timers.Execute();

        Assert.That(fired, Is.EqualTo(1));
        Assert.That(timers.TimeUntilNext!.Value, Is.GreaterThan(Never - TimeSpan.FromMinutes(1)));
    }

    [Test]
    public void Execute_HandlerResetsATimerThatRanEarlierInThePass_BothRunOncePerPass()
    {
        // libzmq's reset erases the timer's list node, which zmq_timers_execute is still walking;
        // ZmqTimers applies it after the pass, so each timer stays scheduled exactly once.
        using var timers = new ZmqTimers();
        var fired = new List<string>();
        int first = timers.Add(Soon, _ => fired.Add("first"));
        timers.Add(Soon, _ =>
        {
            fired.Add("second");
            timers.Reset(first);
        });
        WaitUntilAllDue(timers, Stopwatch.StartNew());

        timers.Execute();
        WaitUntilAllDue(timers, Stopwatch.StartNew());
        timers.Execute();

        // The reset moved "first" behind "second" in the second pass.
        Assert.That(fired, Is.EquivalentTo(new[] { "first", "second", "first", "second" }));
    }

    [Test]
    public void Execute_HandlerAddsATimer_NewTimerRunsLater()
    {
        using var timers = new ZmqTimers();
        var fired = new List<string>();
        timers.Add(Soon, id =>
        {
            fired.Add("first");
            timers.Cancel(id);
            timers.Add(Soon, _ => fired.Add("second"));
        });

        WaitUntilDue(timers);
        timers.Execute();
        WaitUntilDue(timers);
        timers.Execute();

        Assert.That(fired, Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public void Execute_CalledFromAHandler_ThrowsInvalidOperation()
    {
        using var timers = new ZmqTimers();
        timers.Add(Soon, _ => timers.Execute());
        WaitUntilDue(timers);

        Assert.Throws<InvalidOperationException>(timers.Execute);
    }

    [Test]
    public void Dispose_Twice_IsHarmlessAndLaterUseThrows()
    {
        var timers = new ZmqTimers();
        timers.Add(Never, _ => { });

        timers.Dispose();
        timers.Dispose();

        Assert.Throws<ObjectDisposedException>(timers.Execute);
        Assert.Throws<ObjectDisposedException>(() => timers.Add(Soon, _ => { }));
    }

    [Test]
    public void Dispose_FromAHandler_DestroysAfterExecute()
    {
        var timers = new ZmqTimers();
        int fired = 0;
        timers.Add(Soon, _ =>
        {
            fired++;
            timers.Dispose();
        });
        WaitUntilDue(timers);

        timers.Execute();

        Assert.That(fired, Is.EqualTo(1));
        Assert.Throws<ObjectDisposedException>(timers.Execute);
    }

    [Test]
    public void Add_FromAnotherThreadDuringExecute_ThrowsInvalidOperation()
    {
        using var timers = new ZmqTimers();
        Exception? fromOtherThread = null;
        timers.Add(Soon, _ =>
        {
            var other = new Thread(() =>
            {
                try
                {
                    timers.Add(Never, _ => { });
                }
                catch (Exception error)
                {
                    fromOtherThread = error;
                }
            });
            other.Start();
            other.Join();
        });
        WaitUntilDue(timers);

        timers.Execute();

        Assert.That(fromOtherThread, Is.TypeOf<InvalidOperationException>());
    }

    private static void Apply(ZmqTimers timers, string operation, int id)
    {
        switch (operation)
        {
            case "cancel":
                timers.Cancel(id);
                break;
            case "reset":
                timers.Reset(id);
                break;
            default:
                timers.SetInterval(id, Soon);
                break;
        }
    }

    /// <summary>Sleeps as long as libzmq says the next timer needs (test_timers.cpp's sleep_and_execute), in a loop since sleeps are inexact.</summary>
    private static void WaitUntilDue(ZmqTimers timers)
    {
        TimeSpan? left;
        while ((left = timers.TimeUntilNext) is { } wait && wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait);
        }

        Assert.That(left, Is.Not.Null, "a timer is scheduled");
    }

    /// <summary>
    /// Waits until every timer added with interval <see cref="Soon"/> before <paramref name="sinceLastAdd"/>
    /// started is due. <see cref="ZmqTimers.TimeUntilNext"/> names only the earliest, and timers added
    /// one after the other can fall in different milliseconds of libzmq's clock, so after the earliest
    /// is due this also waits out the last one's schedule (plus libzmq's 1 ms clock resolution).
    /// </summary>
    private static void WaitUntilAllDue(ZmqTimers timers, Stopwatch sinceLastAdd)
    {
        WaitUntilDue(timers);
        var last = Soon + TimeSpan.FromMilliseconds(2);
        while (sinceLastAdd.Elapsed < last)
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (last - sinceLastAdd.Elapsed).Ticks)));
        }
    }
}
