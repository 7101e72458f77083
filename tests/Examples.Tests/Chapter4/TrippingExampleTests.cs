using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter4;

/// <summary>`zguide tripping`: the round-trip demonstrator prints the Guide's lines and ends once both tests are done.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class TrippingExampleTests
{
    [Test]
    public void Tripping_SmallCounts_PrintsBothRatesInTheGuidesFormat()
    {
        var result = Zguide.Run(["tripping", "--count", "300", "--async-count", "3000",
            "--frontend-port", ZguideProcess.FreePort().ToString(), "--backend-port", ZguideProcess.FreePort().ToString()], TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        var lines = result.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(5), result.Stdout);
        Assert.That(lines[0], Is.EqualTo("Setting up test..."));
        Assert.That(lines[1], Is.EqualTo("Synchronous round-trip test..."));
        Assert.That(lines[2], Does.Match(@"^ [1-9]\d* calls/second$"));
        Assert.That(lines[3], Is.EqualTo("Asynchronous round-trip test..."));
        Assert.That(lines[4], Does.Match(@"^ [1-9]\d* calls/second$"));
    }

    [Test]
    public void Tripping_BadCount_ExitsWithUsage()
    {
        var result = Zguide.Run(["tripping", "--count", "0"], TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Regex.IsMatch(result.Stderr, "--count and --async-count take 1 or more"), Is.True, result.Stderr);
    }
}
