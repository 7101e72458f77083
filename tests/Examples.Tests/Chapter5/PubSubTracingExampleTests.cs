using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Chapter5;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter5;

/// <summary>`zguide espresso`, `lvcache` (with `pathopub` and `pathosub`) and `suisnail`: the Guide's advanced pub-sub helpers.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class PubSubTracingExampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public void Espresso_ProxyWithCapture_PrintsTheSubscriptionsAndTheMessagesThatPassed()
    {
        int port = ZguideProcess.FreeTriple();

        var result = Zguide.Run(["espresso", "--port", port.ToString(), "--frames", "8", "--interval-ms", "10"], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        var lines = result.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.That(lines[^1], Is.EqualTo(" interrupted"));
        var frames = lines[..^1];
        Assert.That(frames, Has.Length.EqualTo(8));
        // The subscriber's two subscriptions go upstream through the proxy ("\x01A", "\x01B" as hex)...
        Assert.That(frames, Does.Contain("[002] 0141").And.Contain("[002] 0142"));
        // ...and the publisher's messages come back down, only topics A and B once the subscriptions are in.
        var messages = frames.Where(f => Regex.IsMatch(f, @"^\[007\] [A-J]-\d{5}$")).ToList();
        Assert.That(messages, Is.Not.Empty, string.Join('\n', frames));
        Assert.That(messages, Has.All.Match(@"^\[007\] [AB]-\d{5}$"));
    }

    [Test]
    public void Lvcache_LateSubscriber_GetsTheCachedValueOfItsTopicAtOnce()
    {
        int publisherPort = ZguideProcess.FreePort();
        int cachePort = ZguideProcess.FreePort();
        using var cache = ZguideProcess.Start("lvcache", "--frontend", $"tcp://127.0.0.1:{publisherPort}", "--backend", $"tcp://127.0.0.1:{cachePort}");
        // No random updates after the first 1,000 topics: whatever a subscriber gets later comes from the cache.
        using var publisher = ZguideProcess.Start("pathopub", $"tcp://127.0.0.1:{publisherPort}", "--settle-ms", "1000", "--interval-ms", "600000");
        var first = Zguide.Run(["pathosub", $"tcp://127.0.0.1:{cachePort}", "--topic", "999", "--messages", "1"], Wait);
        Assert.That(first.Stdout.Trim(), Is.EqualTo("Save Roger"), first.Stderr);

        var late = Zguide.Run(["pathosub", $"tcp://127.0.0.1:{cachePort}", "--topic", "042", "--messages", "1"], Wait);

        Assert.That(late.ExitCode, Is.EqualTo(0), late.Stderr);
        Assert.That(late.Stdout.Trim(), Is.EqualTo("Save Roger"));
        cache.WaitForLine("Sending cached topic 042", Wait);
    }

    [Test]
    public void Suisnail_SubscriberTooSlow_NoticesItIsOverASecondBehindAndDies()
    {
        var result = Zguide.Run(["suisnail", "--port", ZguideProcess.FreePort().ToString(), "--work-ms", "4", "--max-delay-ms", "300"], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("E: subscriber cannot keep up, aborting"));
        var clocks = result.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(long.Parse).ToList();
        Assert.That(clocks, Is.Ordered, "the publisher's timestamps, in the order sent");
        Assert.That(clocks.Count, Is.GreaterThan(1));
    }
}
