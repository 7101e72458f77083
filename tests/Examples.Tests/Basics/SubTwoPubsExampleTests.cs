using System.Globalization;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Basics;

/// <summary>`zguide subtwopubs`: one SUB socket connected to two publishers receives from both.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class SubTwoPubsExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public void SubTwoPubs_TwoPublishers_ReceivesFromBothInEachOnesOrder()
    {
        var result = Zguide.Run(["subtwopubs", "--updates", "3", "--interval-ms", "1"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var updates = Regex.Matches(result.Stdout, "^Received ([AB]) (\\d+)$", RegexOptions.Multiline)
            .Select(m => (Publisher: m.Groups[1].Value, Number: long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
        var fromA = updates.Where(u => u.Publisher == "A").Select(u => u.Number).ToList();
        var fromB = updates.Where(u => u.Publisher == "B").Select(u => u.Number).ToList();

        Assert.That(fromA, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(fromB, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(fromA, Is.Ordered.Ascending.And.Unique, "one publisher's updates arrive in its order");
        Assert.That(fromB, Is.Ordered.Ascending.And.Unique);
        Assert.That(result.Stdout, Does.Contain($"Received {fromA.Count} updates from A and {fromB.Count} updates from B"));
    }
}
