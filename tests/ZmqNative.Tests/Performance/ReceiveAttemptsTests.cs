namespace ZmqNative.Tests.Performance;

/// <summary>
/// When a socket's receives first try the call without the GC transition (ReceiveAttempts): the
/// policy alone, since in a test process where any zero-copy message was made the attempt is off
/// for every socket (ZmqMessage.ManagedFreeInUse). Speed is measured by bench/, never here.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class ReceiveAttemptsTests
{
    [Test]
    public void Next_BeforeAnyMiss_AttemptsEveryReceive()
    {
        var attempts = default(ReceiveAttempts);

        for (int i = 0; i < 100; i++)
        {
            Assert.That(attempts.Next(blocking: true), Is.True, $"blocking receive {i}");
            Assert.That(attempts.Next(blocking: false), Is.True, $"non-blocking receive {i}");
        }
    }

    [Test]
    public void Next_AfterAMiss_SkipsTheNextBlockingReceivesThenAttemptsAgain()
    {
        var attempts = default(ReceiveAttempts);
        attempts.Missed();

        var skipped = Enumerable.Range(0, ReceiveAttempts.SkipsAfterMiss).Select(_ => attempts.Next(blocking: true)).ToList();

        Assert.That(skipped, Is.All.False, "the blocking receives right after the miss");
        Assert.That(attempts.Next(blocking: true), Is.True, "the one after them");
        Assert.That(attempts.Next(blocking: true), Is.True, "and the ones after that, until the next miss");
    }

    [Test]
    public void Next_NonBlockingAfterAMiss_AttemptsAndLeavesTheSkipsToTheBlockingOnes()
    {
        var attempts = default(ReceiveAttempts);
        attempts.Missed();

        for (int i = 0; i < 3 * ReceiveAttempts.SkipsAfterMiss; i++)
        {
            Assert.That(attempts.Next(blocking: false), Is.True, $"non-blocking receive {i}");
        }

        Assert.That(attempts.Next(blocking: true), Is.False, "the skips are all still there");
    }

    [Test]
    public void Missed_WhileSkipping_StartsTheRunAgain()
    {
        var attempts = default(ReceiveAttempts);
        attempts.Missed();
        for (int i = 0; i < ReceiveAttempts.SkipsAfterMiss - 1; i++)
        {
            attempts.Next(blocking: true);
        }

        attempts.Missed();

        int skipped = 0;
        while (skipped <= 10 * ReceiveAttempts.SkipsAfterMiss && !attempts.Next(blocking: true))
        {
            skipped++;
        }

        Assert.That(skipped, Is.EqualTo(ReceiveAttempts.SkipsAfterMiss));
    }
}
