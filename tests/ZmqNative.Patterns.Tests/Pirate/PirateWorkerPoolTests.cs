using System.Text;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>PirateWorkerPool: the queues' LRU list of idle workers, busy workers, and expiry.</summary>
[TestFixture]
[CancelAfter(10_000)]
public class PirateWorkerPoolTests
{
    private static readonly byte[] A = Encoding.ASCII.GetBytes("A");
    private static readonly byte[] B = Encoding.ASCII.GetBytes("B");
    private static readonly byte[] C = Encoding.ASCII.GetBytes("C");

    [Test]
    public void Next_WorkersReadyInOrder_HandsThemOutLeastRecentlyUsedFirst()
    {
        var pool = new PirateWorkerPool(3000);
        pool.Ready(A, 0);
        pool.Ready(B, 0);
        pool.Ready(C, 0);

        byte[] first = pool.Next()!;
        pool.Ready(first, 10); // A replied: back to the end of the line

        var order = new[] { pool.Next(), pool.Next(), pool.Next() }.Select(Name).ToList();

        Assert.That(Name(first), Is.EqualTo("A"));
        Assert.That(order, Is.EqualTo(new[] { "B", "C", "A" }));
        Assert.That(pool.Next(), Is.Null);
    }

    [Test]
    public void Heartbeat_FromIdleWorker_KeepsItsPlaceInLine()
    {
        var pool = new PirateWorkerPool(3000);
        pool.Ready(A, 0);
        pool.Ready(B, 0);

        pool.Heartbeat(A, 500);

        Assert.That(Name(pool.Next()), Is.EqualTo("A"));
    }

    [Test]
    public void Heartbeat_FromBusyWorker_DoesNotMakeItIdle()
    {
        var pool = new PirateWorkerPool(3000);
        pool.Ready(A, 0);
        pool.Next();

        pool.Heartbeat(A, 500);

        Assert.That(pool.IdleCount, Is.Zero);
        Assert.That(pool.IsBusy(A), Is.True);
        Assert.That(pool.Next(), Is.Null);
    }

    [Test]
    public void Heartbeat_FromUnknownWorker_TakesItAsIdle()
    {
        var pool = new PirateWorkerPool(3000);

        bool added = pool.Heartbeat(A, 0);

        Assert.That(added, Is.True);
        Assert.That(Name(pool.Next()), Is.EqualTo("A"));
    }

    [Test]
    public void Ready_AlreadyIdleWorker_IsNotQueuedTwice()
    {
        var pool = new PirateWorkerPool(3000);
        pool.Ready(A, 0);

        bool again = pool.Ready(A, 100);

        Assert.That(again, Is.False);
        Assert.That(pool.IdleCount, Is.EqualTo(1));
    }

    [Test]
    public void Purge_SilentForTtl_DropsExactlyTheExpiredWorkers()
    {
        var pool = new PirateWorkerPool(3000);
        pool.Ready(A, 0);
        pool.Ready(B, 0);
        pool.Ready(C, 0);
        pool.Next();              // A busy
        pool.Heartbeat(B, 2000);  // B spoke later: expires at 5000

        var early = pool.Purge(2999);
        var expired = pool.Purge(3000);

        Assert.That(early, Is.Empty);
        Assert.That(expired.Select(e => (Name(e.Identity), e.Busy)), Is.EquivalentTo(new[] { ("A", true), ("C", false) }));
        Assert.That(pool.Count, Is.EqualTo(1));
        Assert.That(Name(pool.Next()), Is.EqualTo("B"));
        Assert.That(pool.NextExpiry(), Is.EqualTo(5000));
    }

    [Test]
    public void Purge_NoTtl_NeverExpires()
    {
        var pool = new PirateWorkerPool(long.MaxValue);
        pool.Ready(A, 0);

        Assert.That(pool.Purge(long.MaxValue - 1), Is.Empty);
        Assert.That(pool.NextExpiry(), Is.Null);
    }

    [Test]
    public void Remove_IdleWorker_TakesItOutOfLine()
    {
        var pool = new PirateWorkerPool(3000);
        pool.Ready(A, 0);
        pool.Ready(B, 0);

        pool.Remove(A);

        Assert.That(Name(pool.Next()), Is.EqualTo("B"));
        Assert.That(pool.Contains(A), Is.False);
    }

    private static string? Name(byte[]? identity) => identity is null ? null : Encoding.ASCII.GetString(identity);
}
