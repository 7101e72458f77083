using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>HeartbeatLiveness: the countdown of silent heartbeat intervals before a peer is declared dead.</summary>
[TestFixture]
[CancelAfter(10_000)]
public class HeartbeatLivenessTests
{
    [Test]
    public void Miss_LivenessTimes_ReportsDeadOnlyOnTheLast()
    {
        var liveness = new HeartbeatLiveness(3);

        var dead = new[] { liveness.Miss(), liveness.Miss(), liveness.Miss() };

        Assert.That(dead, Is.EqualTo(new[] { false, false, true }));
        Assert.That(liveness.IsExhausted, Is.True);
    }

    [Test]
    public void Reset_AfterMisses_StartsTheCountdownAgain()
    {
        var liveness = new HeartbeatLiveness(3);
        liveness.Miss();
        liveness.Miss();

        liveness.Reset();

        Assert.That(liveness.Remaining, Is.EqualTo(3));
        Assert.That(new[] { liveness.Miss(), liveness.Miss(), liveness.Miss() }, Is.EqualTo(new[] { false, false, true }));
    }

    [Test]
    public void Miss_PastZero_StaysAtZero()
    {
        var liveness = new HeartbeatLiveness(1);

        Assert.That(liveness.Miss(), Is.True);
        Assert.That(liveness.Miss(), Is.True);
        Assert.That(liveness.Remaining, Is.Zero);
    }

    [Test]
    public void Constructor_ZeroLiveness_Throws()
    {
        Assert.That(() => new HeartbeatLiveness(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
