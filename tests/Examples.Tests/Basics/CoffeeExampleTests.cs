using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Basics;

/// <summary>`zguide coffee`: one REQ socket connected to two REP servers deals its requests round-robin.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class CoffeeExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public void Coffee_TwoServers_RepliesAlternate()
    {
        var result = Zguide.Run(["coffee", "--orders", "6"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var replies = Regex.Matches(result.Stdout, "^Received (.+) for order (\\d+)$", RegexOptions.Multiline)
            .Select(m => (Drink: m.Groups[1].Value, Order: int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        Assert.That(replies.Select(r => r.Order), Is.EqualTo(Enumerable.Range(1, 6)));
        Assert.That(replies.Select(r => r.Drink).Distinct(), Is.EquivalentTo(new[] { "coffee", "hot chocolate" }));
        for (int i = 1; i < replies.Count; i++)
        {
            Assert.That(replies[i].Drink, Is.Not.EqualTo(replies[i - 1].Drink), $"order {replies[i].Order} went to the same server as the one before");
        }
    }
}
