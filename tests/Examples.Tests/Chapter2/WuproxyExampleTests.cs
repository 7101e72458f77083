using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide wuproxy`: an XSUB/XPUB forwarder between the weather server and its subscribers.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class WuproxyExampleTests
{
    [Test]
    public void Wuproxy_ClientBehindProxy_GetsOnlyItsZipCodeFromTheServer()
    {
        var server = Chapter2Harness.FreeEndpoint();
        var proxy = Chapter2Harness.FreeEndpoint();
        using var weather = ZguideProcess.Start("wuserver", "--bind", server.Bind, "--zipcodes", "10");
        using var forwarder = ZguideProcess.Start("wuproxy", "--frontend", server.Connect, "--backend", proxy.Bind);

        // The client's subscription travels through the proxy to the server, and the updates back.
        var client = Zguide.Run(["wuclient", "00003 ", "--connect", proxy.Connect, "--updates", "5", "--verbose"], Chapter2Harness.Wait);

        Assert.That(client.ExitCode, Is.EqualTo(0), client.Stderr);
        var updates = client.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => char.IsDigit(l[0])).ToList();
        Assert.That(updates, Has.Count.EqualTo(5));
        Assert.That(updates, Has.All.Match(@"^00003 -?\d+ \d+$"));
        Assert.That(client.Stdout, Does.Contain("Average temperature for zipcode '00003 ' was"));
    }
}
