using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Basics;

/// <summary>`zguide twosubs`: two subscribers with different filters on one publisher each get only their topic.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class TwoSubsExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public void TwoSubs_DifferentFilters_EachGetsOnlyItsTopic()
    {
        var result = Zguide.Run(["twosubs", "--updates", "3", "--interval-ms", "1"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var lines = result.Stdout.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        foreach (var topic in new[] { "news", "sports" })
        {
            var received = lines.Where(l => l.StartsWith(topic + " subscriber received: ", StringComparison.Ordinal)).ToList();
            Assert.That(received, Has.Count.EqualTo(3), topic);
            Assert.That(received, Has.All.Match($"^{topic} subscriber received: {topic} \\d+$"), topic);
            Assert.That(lines, Does.Contain($"{topic} subscriber done: 3 updates"));
        }

        Assert.That(result.Stdout, Does.Not.Contain("weather"), "nobody subscribed to weather");
        Assert.That(lines, Has.Length.EqualTo(8));
    }
}
