using System.Globalization;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter3;

/// <summary>`zguide asyncsrv`: DEALER clients, a ROUTER-DEALER proxy and DEALER workers, all asynchronous.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class AsyncsrvExampleTests
{
    [Test]
    public void Asyncsrv_ThreeClientsTwoSeconds_RepliesReachEachClient()
    {
        int port = ZguideProcess.FreePort();
        using var run = ZguideProcess.Start("asyncsrv", "--bind", $"tcp://127.0.0.1:{port}", "--connect", $"tcp://127.0.0.1:{port}",
            "--clients", "3", "--workers", "3", "--seconds", "2", "--tick-ms", "100", "--delay-ms", "20");

        Assert.That(run.WaitForExit(TimeSpan.FromSeconds(60)), Is.EqualTo(0), string.Join('\n', run.Errors));
        var lines = run.Lines;
        var summaries = lines.Select(l => Regex.Match(l, "^([0-9A-F]{4}-[0-9A-F]{4}): sent (\\d+) requests, received (\\d+) replies$"))
            .Where(m => m.Success).ToList();
        Assert.That(summaries, Has.Count.EqualTo(3), string.Join('\n', lines));

        foreach (var summary in summaries)
        {
            string identity = summary.Groups[1].Value;
            int sent = int.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture);
            int received = int.Parse(summary.Groups[3].Value, CultureInfo.InvariantCulture);
            var replies = lines.Where(l => l.StartsWith(identity + " ", StringComparison.Ordinal)).ToList();

            Assert.That(sent, Is.GreaterThan(0), identity);
            Assert.That(received, Is.GreaterThan(0), $"{identity} got replies");
            Assert.That(replies, Has.Count.EqualTo(received), $"{identity} printed each reply it counted");
            Assert.That(replies, Has.All.Match($"^{identity} \\[0\\d\\d\\] request #\\d+$"), "a reply is a copy of the client's own request");
            Assert.That(replies.Select(r => int.Parse(r[(r.LastIndexOf('#') + 1)..], CultureInfo.InvariantCulture)), Has.All.InRange(1, sent),
                "replies answer requests this client sent");
        }
    }
}
