using System.Text;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Patterns.Tests.Titanic;

/// <summary>The disk store: round trips, crash leftovers, malformed UUIDs, close, and the pending queue across restarts.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class TitanicStoreTests
{
    private string _directory = string.Empty;

    [SetUp]
    public void SetUp() => _directory = Path.Combine(Path.GetTempPath(), "titanic-store-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public void StoreRequestAndReply_ReadBack_SameFramesAndStatuses()
    {
        var store = new TitanicStore(_directory);
        byte[] binary = [0, 1, 2, 255];
        string uuid = store.StoreRequest([Text("echo"), Text("Hello"), [], binary]);

        Assert.That(TitanicStore.IsValidUuid(uuid), Is.True);
        Assert.That(store.PendingRequests(), Is.EqualTo(new[] { uuid }));
        Assert.That(store.GetReply(uuid, out _), Is.EqualTo(TitanicStatus.Pending));
        Assert.That(store.TryGetRequest(uuid, out var request), Is.True);
        Assert.That(request, Is.EqualTo(new[] { Text("echo"), Text("Hello"), [], binary }));

        Assert.That(store.StoreReply(uuid, [Text("Hello"), [], binary]), Is.True);

        Assert.That(store.GetReply(uuid, out var reply), Is.EqualTo(TitanicStatus.Ok));
        Assert.That(reply, Is.EqualTo(new[] { Text("Hello"), [], binary }));
        Assert.That(store.GetReply(uuid.ToLowerInvariant(), out _), Is.EqualTo(TitanicStatus.Ok), "TSP UUIDs are hexadecimal in either case");
        Assert.That(store.PendingCount, Is.Zero);
        Assert.That(store.StoreReply(uuid, [Text("second")]), Is.False, "a request gets at most one reply");
        Assert.That(store.GetReply(uuid, out reply), Is.EqualTo(TitanicStatus.Ok));
        Assert.That(reply![0], Is.EqualTo(Text("Hello")));
    }

    [Test]
    public void StoreRequest_CrashBeforeRename_IsNoRequestAfterRestart()
    {
        var store = new TitanicStore(_directory) { CrashPoint = Crash("request-written") };

        Assert.That(() => store.StoreRequest([Text("echo"), Text("lost")]), Throws.TypeOf<SimulatedCrash>());
        Assert.That(Directory.GetFiles(_directory, "*.tmp"), Has.Length.EqualTo(1), "the crash left its temporary file");

        var lines = new List<string>();
        var restarted = new TitanicStore(_directory, lines.Add);

        Assert.That(restarted.PendingRequests(), Is.Empty);
        Assert.That(Directory.GetFiles(_directory), Is.Empty, "the leftover is cleaned up, not taken for a request");
        Assert.That(lines, Has.One.StartsWith("I: removed unfinished write"));
    }

    [Test]
    public void StoreReply_CrashBeforeRename_RequestStillPendingAfterRestart()
    {
        var store = new TitanicStore(_directory);
        string uuid = store.StoreRequest([Text("echo"), Text("again")]);
        store.CrashPoint = Crash("reply-written");

        Assert.That(() => store.StoreReply(uuid, [Text("again")]), Throws.TypeOf<SimulatedCrash>());

        var restarted = new TitanicStore(_directory);
        Assert.That(restarted.PendingRequests(), Is.EqualTo(new[] { uuid }));
        Assert.That(restarted.GetReply(uuid, out _), Is.EqualTo(TitanicStatus.Pending));
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { uuid + ".req" }));
    }

    [TestCase("")]
    [TestCase("../../../../etc/passwd")]
    [TestCase("0123456789ABCDEF0123456789ABCDE")]
    [TestCase("0123456789ABCDEF0123456789ABCDEF0")]
    [TestCase("0123456789ABCDEF0123456789ABCDEG")]
    [TestCase("0123456789ABCDEF/123456789ABCDEF")]
    [TestCase("..\\..\\0123456789ABCDEF0123456789")]
    [TestCase(" 0123456789ABCDEF0123456789ABCDE")]
    public void Lookups_MalformedUuid_UnknownAndNothingTouched(string uuid)
    {
        var store = new TitanicStore(_directory);
        string real = store.StoreRequest([Text("echo"), Text("x")]);

        Assert.That(TitanicStore.IsValidUuid(uuid), Is.False);
        Assert.That(store.GetReply(uuid, out _), Is.EqualTo(TitanicStatus.Unknown));
        Assert.That(store.TryGetRequest(uuid, out _), Is.False);
        Assert.That(store.StoreReply(uuid, [Text("x")]), Is.False);
        Assert.That(store.Close(uuid), Is.False);
        Assert.That(store.PendingRequests(), Is.EqualTo(new[] { real }));
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { real + ".req" }));
    }

    [Test]
    public void GetReply_WellFormedButUnknownUuid_Unknown()
    {
        var store = new TitanicStore(_directory);

        Assert.That(store.GetReply(TitanicStore.NewUuid(), out _), Is.EqualTo(TitanicStatus.Unknown));
        Assert.That(store.Close(TitanicStore.NewUuid()), Is.True, "RFC 9: closing an unknown UUID is OK");
    }

    [Test]
    public void Close_AnsweredAndPending_RemovesFilesAndLaterReplyIsDropped()
    {
        var store = new TitanicStore(_directory);
        string answered = store.StoreRequest([Text("echo"), Text("a")]);
        string pending = store.StoreRequest([Text("echo"), Text("b")]);
        store.StoreReply(answered, [Text("a")]);

        Assert.That(store.Close(answered), Is.True);
        Assert.That(store.Close(pending), Is.True);
        Assert.That(store.Close(pending), Is.True, "idempotent");

        Assert.That(store.GetReply(answered, out _), Is.EqualTo(TitanicStatus.Unknown));
        Assert.That(store.GetReply(pending, out _), Is.EqualTo(TitanicStatus.Unknown));
        Assert.That(store.PendingRequests(), Is.Empty);
        Assert.That(store.StoreReply(pending, [Text("b")]), Is.False, "a reply that comes after the close is dropped");
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public void Restart_SomeAnswered_RebuildsPendingQueueInSubmissionOrder()
    {
        var store = new TitanicStore(_directory);
        var uuids = Enumerable.Range(1, 6).Select(i => store.StoreRequest([Text("echo"), Text($"r{i}")])).ToList();
        store.StoreReply(uuids[1], [Text("r2")]);
        store.StoreReply(uuids[4], [Text("r5")]);

        var restarted = new TitanicStore(_directory);
        string later = restarted.StoreRequest([Text("echo"), Text("r7")]);

        Assert.That(restarted.PendingRequests(), Is.EqualTo(new[] { uuids[0], uuids[2], uuids[3], uuids[5], later }));
        Assert.That(restarted.GetReply(uuids[1], out var reply), Is.EqualTo(TitanicStatus.Ok));
        Assert.That(reply![0], Is.EqualTo(Text("r2")));
    }

    [Test]
    public void Restart_ReplyWhoseRequestWasClosed_RemovesTheOrphan()
    {
        var store = new TitanicStore(_directory);
        string uuid = store.StoreRequest([Text("echo"), Text("x")]);
        store.StoreReply(uuid, [Text("x")]);
        File.Delete(Path.Combine(_directory, uuid + ".req")); // a crash between the two deletes of a close

        var restarted = new TitanicStore(_directory);

        Assert.That(restarted.GetReply(uuid, out _), Is.EqualTo(TitanicStatus.Unknown));
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public void Restart_RequestFileThatDoesNotParse_SetAsideAndUnknown()
    {
        var store = new TitanicStore(_directory);
        string good = store.StoreRequest([Text("echo"), Text("good")]);
        string bad = store.StoreRequest([Text("echo"), Text("bad")]);
        string badPath = Path.Combine(_directory, bad + ".req");
        byte[] data = File.ReadAllBytes(badPath);
        File.WriteAllBytes(badPath, data[..^3]);

        var lines = new List<string>();
        var restarted = new TitanicStore(_directory, lines.Add);

        Assert.That(restarted.PendingRequests(), Is.EqualTo(new[] { good }));
        Assert.That(restarted.GetReply(bad, out _), Is.EqualTo(TitanicStatus.Unknown));
        Assert.That(File.Exists(badPath + ".corrupt"), Is.True);
        Assert.That(lines, Has.One.Contains("does not parse"));
    }

    [Test]
    public void Decode_EveryTruncationAndEveryFlippedByte_Rejected()
    {
        byte[] data = TitanicFile.Encode(42, [Text("echo"), Text("Hello world"), []]);
        Assert.That(TitanicFile.TryDecode(data, out long sequence, out var frames), Is.True);
        Assert.That(sequence, Is.EqualTo(42));
        Assert.That(frames, Has.Count.EqualTo(3));

        for (int length = 0; length < data.Length; length++)
        {
            Assert.That(TitanicFile.TryDecode(data.AsSpan(0, length), out _, out _), Is.False, $"truncated to {length}");
        }

        for (int at = 0; at < data.Length; at++)
        {
            byte[] copy = [.. data];
            copy[at] ^= 0x20;
            Assert.That(TitanicFile.TryDecode(copy, out _, out _), Is.False, $"byte {at} flipped");
        }
    }

    [Test]
    public void RemoveExpired_PendingOlderThanRetention_RemovedFromDiskAndUnknown()
    {
        var clock = new WallClock();
        var store = new TitanicStore(_directory, timeProvider: clock);
        string old1 = store.StoreRequest([Text("nobody"), Text("1")]);
        string old2 = store.StoreRequest([Text("nobody"), Text("2")]);
        clock.Advance(TimeSpan.FromHours(2));
        string fresh = store.StoreRequest([Text("nobody"), Text("3")]);

        Assert.That(store.RemoveExpired(TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan), Is.EqualTo(2));

        Assert.That(store.PendingRequests(), Is.EqualTo(new[] { fresh }));
        Assert.That(store.GetReply(old1, out _), Is.EqualTo(TitanicStatus.Unknown));
        Assert.That(store.PendingService(old2), Is.Null);
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { fresh + ".req" }));
    }

    [Test]
    public void RemoveExpired_AnsweredAndNeverClosed_RequestAndReplyRemovedAfterReplyRetention()
    {
        var clock = new WallClock();
        var store = new TitanicStore(_directory, timeProvider: clock);
        string uuid = store.StoreRequest([Text("echo"), Text("x")]);
        Assert.That(store.StoreReply(uuid, [Text("x")]), Is.True);
        Assert.That(store.StoredCount, Is.EqualTo(1));

        Assert.That(store.RemoveExpired(TimeSpan.FromHours(1), TimeSpan.FromHours(1)), Is.Zero, "not yet");
        clock.Advance(TimeSpan.FromHours(2));
        Assert.That(store.RemoveExpired(Timeout.InfiniteTimeSpan, TimeSpan.FromHours(1)), Is.EqualTo(1));

        Assert.That(store.GetReply(uuid, out _), Is.EqualTo(TitanicStatus.Unknown));
        Assert.That(store.StoredCount, Is.Zero);
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public void PendingService_AfterRestart_ComesFromTheIndexWithoutReadingTheRequest()
    {
        string uuid = new TitanicStore(_directory).StoreRequest([Text("svc"), new byte[100_000]]);

        var reopened = new TitanicStore(_directory);

        Assert.That(reopened.PendingService(uuid), Is.EqualTo("svc"));
        Assert.That(reopened.RequestReads, Is.Zero);
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static Action<string> Crash(string at) => point =>
    {
        if (point == at)
        {
            throw new SimulatedCrash();
        }
    };

    private sealed class SimulatedCrash : Exception;
}
