using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Basics;

/// <summary>`zguide pair`: PAIR sockets talk both ways without REQ/REP's lock-step.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class PairExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public void Pair_BothSidesSendFirst_EachReceivesEverythingInOrder()
    {
        var result = Zguide.Run(["pair", "--messages", "4"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var lines = result.Stdout.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var (side, sent, received) in new[] { ("client", "ping", "pong"), ("server", "pong", "ping") })
        {
            var own = lines.Where(l => l.StartsWith(side + " ", StringComparison.Ordinal)).ToList();
            var expected = Enumerable.Range(1, 4).Select(i => $"{side} sent {sent} {i}")
                .Concat(Enumerable.Range(1, 4).Select(i => $"{side} received {received} {i}"));

            // All of its sends come before its first receive: no taking turns.
            Assert.That(own, Is.EqualTo(expected), side);
        }

        Assert.That(lines[^1], Is.EqualTo("Both sides sent and received 4 messages"));
    }
}
