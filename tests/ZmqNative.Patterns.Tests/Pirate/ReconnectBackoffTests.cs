using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>ReconnectBackoff: the Paranoid Pirate worker's exponential reconnect delay.</summary>
[TestFixture]
[CancelAfter(10_000)]
public class ReconnectBackoffTests
{
    [Test]
    public void Next_GuideDefaults_DoublesFromOneSecondUpToThirtyTwo()
    {
        var backoff = new ReconnectBackoff(ParanoidPirateProtocol.DefaultReconnectInterval, ParanoidPirateProtocol.DefaultReconnectIntervalMax);

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToList();

        Assert.That(delays, Is.EqualTo(new double[] { 1000, 2000, 4000, 8000, 16000, 32000, 32000, 32000 }));
    }

    [Test]
    public void Next_MaxNotAPowerOfTwoAbove_IsCappedAtTheMax()
    {
        // The Guide doubles while below the max, so 3 s would go 24 s -> 48 s; the cap holds at 32 s.
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(32));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalSeconds).ToList();

        Assert.That(delays, Is.EqualTo(new double[] { 3, 6, 12, 24, 32, 32 }));
    }

    [Test]
    public void Reset_AfterBackingOff_StartsAgainFromTheInitialDelay()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(800));
        backoff.Next();
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.That(backoff.Next(), Is.EqualTo(TimeSpan.FromMilliseconds(100)));
        Assert.That(backoff.Current, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
    }

    [Test]
    public void Constructor_MaxBelowInitial_Throws()
    {
        Assert.That(() => new ReconnectBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
