using System.Globalization;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Basics;

/// <summary>`zguide pipeline`: producer, consumers and collector over PUSH/PULL.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class PipelineExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public void Pipeline_ThreeConsumers_EveryResultCountedAndEveryConsumerDelivers()
    {
        var result = Zguide.Run(["pipeline", "--tasks", "30", "--consumers", "3", "--work-ms", "1"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var delivered = Regex.Matches(result.Stdout, "^consumer (\\d+) delivered (\\d+) results$", RegexOptions.Multiline)
            .ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

        Assert.That(delivered.Keys, Is.EquivalentTo(new[] { 1, 2, 3 }));
        Assert.That(delivered.Values, Has.All.GreaterThan(0), "every consumer got work");
        Assert.That(delivered.Values.Sum(), Is.EqualTo(30));

        // Every task 1..30 came back squared exactly once: 1² + ... + 30² = 30·31·61/6.
        Assert.That(result.Stdout, Does.Contain("collected 30 results, sum of squares 9455"));
    }
}
