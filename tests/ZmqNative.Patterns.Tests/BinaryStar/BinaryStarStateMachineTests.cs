using System.Text;
using ZmqNative.Patterns.BinaryStar;

namespace ZmqNative.Patterns.Tests.BinaryStar;

/// <summary>
/// The Binary Star state machine on its own, with a hand-moved clock: every cell of the Guide's table
/// (state x event), the two-heartbeat failover rule, the conflicts, and two machines wired together.
/// </summary>
[TestFixture]
[CancelAfter(10_000)]
public class BinaryStarStateMachineTests
{
    private const int Heartbeat = 1000;

    private ManualTimeProvider _clock = null!;

    [SetUp]
    public void SetUp() => _clock = new ManualTimeProvider();

    // Every (state, event) cell while the peer is alive: outcome, next state, conflict.
    [TestCase(BinaryStarState.Primary, BinaryStarEvent.PeerPrimary, BinaryStarOutcome.Conflict, BinaryStarState.Primary, BinaryStarConflict.DualPrimary)]
    [TestCase(BinaryStarState.Primary, BinaryStarEvent.PeerBackup, BinaryStarOutcome.Changed, BinaryStarState.Active, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Primary, BinaryStarEvent.PeerActive, BinaryStarOutcome.Changed, BinaryStarState.Passive, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Primary, BinaryStarEvent.PeerPassive, BinaryStarOutcome.Unchanged, BinaryStarState.Primary, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Primary, BinaryStarEvent.ClientRequest, BinaryStarOutcome.Refused, BinaryStarState.Primary, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Backup, BinaryStarEvent.PeerPrimary, BinaryStarOutcome.Unchanged, BinaryStarState.Backup, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Backup, BinaryStarEvent.PeerBackup, BinaryStarOutcome.Conflict, BinaryStarState.Backup, BinaryStarConflict.DualBackup)]
    [TestCase(BinaryStarState.Backup, BinaryStarEvent.PeerActive, BinaryStarOutcome.Changed, BinaryStarState.Passive, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Backup, BinaryStarEvent.PeerPassive, BinaryStarOutcome.Unchanged, BinaryStarState.Backup, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Backup, BinaryStarEvent.ClientRequest, BinaryStarOutcome.Refused, BinaryStarState.Backup, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Active, BinaryStarEvent.PeerPrimary, BinaryStarOutcome.Unchanged, BinaryStarState.Active, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Active, BinaryStarEvent.PeerBackup, BinaryStarOutcome.Unchanged, BinaryStarState.Active, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Active, BinaryStarEvent.PeerActive, BinaryStarOutcome.Conflict, BinaryStarState.Active, BinaryStarConflict.DualActive)]
    [TestCase(BinaryStarState.Active, BinaryStarEvent.PeerPassive, BinaryStarOutcome.Unchanged, BinaryStarState.Active, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Active, BinaryStarEvent.ClientRequest, BinaryStarOutcome.Unchanged, BinaryStarState.Active, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Passive, BinaryStarEvent.PeerPrimary, BinaryStarOutcome.Changed, BinaryStarState.Active, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Passive, BinaryStarEvent.PeerBackup, BinaryStarOutcome.Changed, BinaryStarState.Active, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Passive, BinaryStarEvent.PeerActive, BinaryStarOutcome.Unchanged, BinaryStarState.Passive, BinaryStarConflict.None)]
    [TestCase(BinaryStarState.Passive, BinaryStarEvent.PeerPassive, BinaryStarOutcome.Conflict, BinaryStarState.Passive, BinaryStarConflict.DualPassive)]
    [TestCase(BinaryStarState.Passive, BinaryStarEvent.ClientRequest, BinaryStarOutcome.Refused, BinaryStarState.Passive, BinaryStarConflict.None)]
    public void Apply_PeerAlive_FollowsTheGuidesTable(BinaryStarState state, BinaryStarEvent e, BinaryStarOutcome outcome, BinaryStarState next, BinaryStarConflict conflict)
    {
        var fsm = InState(state);

        var t = fsm.Apply(e);

        Assert.That(t.Outcome, Is.EqualTo(outcome));
        Assert.That(t.From, Is.EqualTo(state));
        Assert.That(t.To, Is.EqualTo(next));
        Assert.That(fsm.State, Is.EqualTo(next));
        Assert.That(t.Conflict, Is.EqualTo(conflict));
        Assert.That(t.IsConflict, Is.EqualTo(conflict != BinaryStarConflict.None));
        // Only a client request while active (or becoming active) is served.
        Assert.That(t.Serve, Is.EqualTo(e == BinaryStarEvent.ClientRequest && next == BinaryStarState.Active));
        // A change or a conflict has the Guide's log line; nothing else does.
        Assert.That(t.Description is not null, Is.EqualTo(outcome is BinaryStarOutcome.Changed or BinaryStarOutcome.Conflict));
    }

    [TestCase(BinaryStarState.Primary, BinaryStarOutcome.Changed, BinaryStarState.Active, "request from client, ready as active")]
    [TestCase(BinaryStarState.Passive, BinaryStarOutcome.Changed, BinaryStarState.Active, "failover successful, ready as active")]
    [TestCase(BinaryStarState.Backup, BinaryStarOutcome.Refused, BinaryStarState.Backup, null)]
    [TestCase(BinaryStarState.Active, BinaryStarOutcome.Unchanged, BinaryStarState.Active, null)]
    public void ClientRequest_PeerSilentForTwoHeartbeats_VoteDecides(BinaryStarState state, BinaryStarOutcome outcome, BinaryStarState next, string? description)
    {
        var fsm = InState(state);
        _clock.Advance(2 * Heartbeat);

        var t = fsm.Apply(BinaryStarEvent.ClientRequest);

        Assert.That((t.Outcome, t.To, t.Description), Is.EqualTo((outcome, next, description)));
        Assert.That(t.Serve, Is.EqualTo(next == BinaryStarState.Active));
    }

    [Test]
    public void ClientRequest_PassiveOneMillisecondBeforeTwoHeartbeats_RefusedThenAcceptedAtTwo()
    {
        var fsm = InState(BinaryStarState.Passive);
        _clock.Advance(2 * Heartbeat - 1);

        Assert.That(fsm.PeerExpired, Is.False);
        Assert.That(fsm.PeerExpiresIn, Is.EqualTo(TimeSpan.FromMilliseconds(1)));
        Assert.That(fsm.Apply(BinaryStarEvent.ClientRequest).Outcome, Is.EqualTo(BinaryStarOutcome.Refused));

        _clock.Advance(1);

        Assert.That(fsm.PeerExpired, Is.True);
        Assert.That(fsm.Apply(BinaryStarEvent.ClientRequest).Outcome, Is.EqualTo(BinaryStarOutcome.Changed));
        Assert.That(fsm.State, Is.EqualTo(BinaryStarState.Active));
    }

    [Test]
    public void PeerEvent_AfterSilence_RestartsTheClockButClientRequestsDoNot()
    {
        var fsm = InState(BinaryStarState.Passive);
        _clock.Advance(1500);
        fsm.Apply(BinaryStarEvent.PeerActive); // still alive: the two heartbeats count from here
        _clock.Advance(1500);
        Assert.That(fsm.Apply(BinaryStarEvent.ClientRequest).Outcome, Is.EqualTo(BinaryStarOutcome.Refused));

        // Refused votes are no sign of the peer: the clock keeps running.
        _clock.Advance(500);
        Assert.That(fsm.Apply(BinaryStarEvent.ClientRequest).Outcome, Is.EqualTo(BinaryStarOutcome.Changed));
    }

    [Test]
    public void PrimaryState_VoteBeforeTwoHeartbeatsSinceStart_Refused()
    {
        // A primary that hears nobody waits two heartbeats from its start: the backup may be active after a failover.
        var fsm = new BinaryStarStateMachine(primary: true, TimeSpan.FromMilliseconds(Heartbeat), _clock);
        _clock.Advance(1999);
        Assert.That(fsm.Apply(BinaryStarEvent.ClientRequest).Outcome, Is.EqualTo(BinaryStarOutcome.Refused));
        _clock.Advance(1);
        Assert.That(fsm.Apply(BinaryStarEvent.ClientRequest).Serve, Is.True);
    }

    [Test]
    public void BackupState_PeerSilentForEver_NeverServes()
    {
        var fsm = new BinaryStarStateMachine(primary: false, TimeSpan.FromMilliseconds(Heartbeat), _clock);
        for (int i = 0; i < 10; i++)
        {
            _clock.Advance(10 * Heartbeat);
            Assert.That(fsm.Apply(BinaryStarEvent.ClientRequest).Outcome, Is.EqualTo(BinaryStarOutcome.Refused));
        }

        Assert.That(fsm.State, Is.EqualTo(BinaryStarState.Backup));
    }

    [Test]
    public void ResetPeerExpiry_AfterSilence_PeerAliveAgain()
    {
        var fsm = InState(BinaryStarState.Passive);
        _clock.Advance(5 * Heartbeat);
        Assert.That(fsm.PeerExpired, Is.True);

        fsm.ResetPeerExpiry();

        Assert.That(fsm.PeerExpired, Is.False);
        Assert.That(fsm.PeerExpiresIn, Is.EqualTo(TimeSpan.FromMilliseconds(2 * Heartbeat)));
    }

    [TestCase("1", BinaryStarEvent.PeerPrimary)]
    [TestCase("2", BinaryStarEvent.PeerBackup)]
    [TestCase("3", BinaryStarEvent.PeerActive)]
    [TestCase("4", BinaryStarEvent.PeerPassive)]
    public void TryParseState_GuideStateNumber_Parsed(string text, BinaryStarEvent expected)
    {
        Assert.That(BinaryStarStateMachine.TryParseState(Encoding.ASCII.GetBytes(text), out var e), Is.True);
        Assert.That(e, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("0")]
    [TestCase("5")]
    [TestCase("33")]
    [TestCase("x")]
    [TestCase("3\0")]
    public void TryParseState_NotAState_Rejected(string text)
    {
        Assert.That(BinaryStarStateMachine.TryParseState(Encoding.ASCII.GetBytes(text), out _), Is.False);
    }

    [Test]
    public void FormatState_EachState_TheGuidesDigit()
    {
        Assert.That(Enum.GetValues<BinaryStarState>().Select(BinaryStarStateMachine.FormatState), Is.EqualTo(new[] { "1", "2", "3", "4" }));
    }

    [Test]
    public void Apply_NotAnEvent_Throws()
    {
        var fsm = InState(BinaryStarState.Active);
        Assert.That(() => fsm.Apply((BinaryStarEvent)6), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => fsm.Apply(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(fsm.State, Is.EqualTo(BinaryStarState.Active));
    }

    [Test]
    public void Constructor_NonPositiveHeartbeat_Throws()
    {
        Assert.That(() => new BinaryStarStateMachine(true, TimeSpan.Zero, _clock), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Pair_StartedInEitherOrder_ExactlyOneActive(bool primaryFirst)
    {
        var primary = new BinaryStarStateMachine(true, TimeSpan.FromMilliseconds(Heartbeat), _clock);
        var backup = new BinaryStarStateMachine(false, TimeSpan.FromMilliseconds(Heartbeat), _clock);
        var (first, second) = primaryFirst ? (primary, backup) : (backup, primary);

        // Heartbeats cross a few times; each side hears what the other said last.
        for (int beat = 0; beat < 4; beat++)
        {
            Exchange(first, second);
            Assert.That(primary.State == BinaryStarState.Active && backup.State == BinaryStarState.Active, Is.False, "never both active");
        }

        Assert.That((primary.State, backup.State), Is.EqualTo((BinaryStarState.Active, BinaryStarState.Passive)));
    }

    [Test]
    public void Pair_PrimaryDiesThenRestarts_BackupTakesOverOnAVoteAndPrimaryComesBackPassive()
    {
        var primary = new BinaryStarStateMachine(true, TimeSpan.FromMilliseconds(Heartbeat), _clock);
        var backup = new BinaryStarStateMachine(false, TimeSpan.FromMilliseconds(Heartbeat), _clock);
        Exchange(primary, backup);
        Exchange(primary, backup);
        Assert.That((primary.State, backup.State), Is.EqualTo((BinaryStarState.Active, BinaryStarState.Passive)));

        // The primary dies. Without a vote the backup stays passive however long the silence.
        _clock.Advance(5 * Heartbeat);
        Assert.That(backup.State, Is.EqualTo(BinaryStarState.Passive));
        // A client's vote after two silent heartbeats makes it active.
        Assert.That(backup.Apply(BinaryStarEvent.ClientRequest).Serve, Is.True);
        Assert.That(backup.State, Is.EqualTo(BinaryStarState.Active));

        // The primary restarts: it hears the backup active and goes passive; the backup stays active.
        var restarted = new BinaryStarStateMachine(true, TimeSpan.FromMilliseconds(Heartbeat), _clock);
        Exchange(restarted, backup);
        Exchange(restarted, backup);
        Assert.That((restarted.State, backup.State), Is.EqualTo((BinaryStarState.Passive, BinaryStarState.Active)));
        Assert.That(restarted.Apply(BinaryStarEvent.ClientRequest).Outcome, Is.EqualTo(BinaryStarOutcome.Refused));
    }

    [Test]
    public void Pair_BothActiveAfterAPartition_BothReportDualActives()
    {
        var a = InState(BinaryStarState.Active);
        var b = InState(BinaryStarState.Active);

        Assert.That(a.Apply((BinaryStarEvent)b.State).Conflict, Is.EqualTo(BinaryStarConflict.DualActive));
        Assert.That(b.Apply((BinaryStarEvent)a.State).Conflict, Is.EqualTo(BinaryStarConflict.DualActive));
    }

    /// <summary>A machine brought into <paramref name="state"/> by the Guide's own events, peer just heard.</summary>
    private BinaryStarStateMachine InState(BinaryStarState state)
    {
        var fsm = new BinaryStarStateMachine(state != BinaryStarState.Backup, TimeSpan.FromMilliseconds(Heartbeat), _clock);
        if (state == BinaryStarState.Active)
        {
            fsm.Apply(BinaryStarEvent.PeerBackup);
        }
        else if (state == BinaryStarState.Passive)
        {
            fsm.Apply(BinaryStarEvent.PeerActive);
        }

        Assert.That(fsm.State, Is.EqualTo(state));
        return fsm;
    }

    /// <summary>One heartbeat: each machine publishes its state and the other applies it (first to second, then back).</summary>
    private void Exchange(BinaryStarStateMachine first, BinaryStarStateMachine second)
    {
        _clock.Advance(Heartbeat);
        Assert.That(second.Apply((BinaryStarEvent)first.State).IsConflict, Is.False);
        Assert.That(first.Apply((BinaryStarEvent)second.State).IsConflict, Is.False);
    }
}
