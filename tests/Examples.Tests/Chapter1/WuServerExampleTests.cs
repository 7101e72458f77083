using System.Globalization;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter1;

/// <summary>`zguide wuserver` and `zguide wuclient`: the Guide's weather updates, publish-subscribe over tcp.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class WuServerExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public void WuClient_SubscribedToOneZipCode_AveragesOnlyThatZipCode()
    {
        // Three zip codes instead of 100,000, so one in three updates is the client's.
        int port = ZguideProcess.FreePort();
        using var server = ZguideProcess.Start("wuserver", "--bind", $"tcp://127.0.0.1:{port}", "--zipcodes", "3");
        using var client = ZguideProcess.Start("wuclient", "00001 ", "--connect", $"tcp://127.0.0.1:{port}", "--updates", "20", "--verbose");

        Assert.That(client.WaitForExit(Timeout), Is.EqualTo(0), string.Join('\n', client.Errors));
        var lines = client.Lines;

        Assert.That(lines[0], Is.EqualTo("Collecting updates from weather server..."));
        var updates = lines.Skip(1).Take(20).ToList();
        Assert.That(updates, Has.Count.EqualTo(20));
        Assert.That(updates, Has.All.Match(@"^00001 -?\d+ \d+$"), "every update is the subscribed zip code's");

        var temperatures = updates.Select(u => int.Parse(u.Split(' ')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.That(temperatures, Has.All.InRange(-80, 134));
        var average = Regex.Match(lines[21], "^Average temperature for zipcode '(.*)' was (-?\\d+)F$");
        Assert.That(average.Success, Is.True, lines[21]);
        Assert.That(average.Groups[1].Value, Is.EqualTo("00001 "));
        Assert.That(int.Parse(average.Groups[2].Value, CultureInfo.InvariantCulture), Is.EqualTo(temperatures.Sum() / temperatures.Count));
        Assert.That(lines, Has.Count.EqualTo(22));
    }

    [Test]
    public void WuServer_Count_PublishesThatManyAndExits()
    {
        int port = ZguideProcess.FreePort();
        var result = Zguide.Run(["wuserver", "--bind", $"tcp://127.0.0.1:{port}", "--count", "1000", "--zipcodes", "10"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
    }
}
