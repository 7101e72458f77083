using System.Text.RegularExpressions;

namespace ZmqNative.Patterns.Tests.Network;

/// <summary>
/// Freelance (model three, RFC 10/FLP) across hosts: three `zguide flserver3`s, each in a namespace of its
/// own, and two numbered clients (<see cref="NetNsHost"/> flp-client, on FreelanceClient) in a fourth,
/// one link per server. The preferred server's link is cut while the clients run, then restored.
/// </summary>
[TestFixture]
[Category("Network")]
[CancelAfter(120_000)]
public partial class FreelanceLinkCutTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    /// <summary>
    /// The clients' agents ping every 300 ms and call a server dead after 1.5 s of silence; a request
    /// unanswered for 500 ms also goes to the next server. With the first (preferred) server cut off, no
    /// request fails: the other two answer, and once the server is marked dead it gets no request and
    /// answers none. After the link comes back its pongs arrive and it serves again.
    /// </summary>
    [Test]
    public void PreferredServerCutOff_ClientsKeepBeingServedByTheOthersAndUseItAgainAfterTheHeal()
    {
        using var lab = NetNs.Create();
        string clientHost = lab.Host("clients");
        var links = Enumerable.Range(1, 3).Select(i => lab.Link(lab.Host($"server{i}"), clientHost)).ToList();
        var endpoints = links.Select(l => $"tcp://{l.AddressA}:5555").ToList();
        // The endpoint the clients connect to is the server's identity (FLP), so each binds that address.
        var servers = links.Select((l, i) => lab.Zguide(l.HostA, $"server{i + 1}", "flserver3", "--bind", endpoints[i], "--connect", endpoints[i])).ToList();
        for (int i = 0; i < servers.Count; i++)
        {
            servers[i].WaitForLine($"I: service is ready at {endpoints[i]}", Wait);
        }

        var clients = new[] { "client1", "client2" }.Select(name => lab.Client(clientHost, name,
            ["flp-client", .. endpoints.SelectMany(e => new[] { "--server", e }), "--interval-ms", "50", "--ping-ms", "300", "--ttl-ms", "1500", "--retry-ms", "500"])).ToList();
        string preferred = endpoints[0];
        foreach (var client in clients)
        {
            client.WaitForLines(l => l.EndsWith(" from " + preferred, StringComparison.Ordinal), 5, Wait);
        }

        links[0].Cut();
        foreach (var client in clients)
        {
            client.WaitForLine($"W: server dead {preferred}", Wait);
            int dead = client.Lines.IndexOf($"W: server dead {preferred}");
            client.WaitForLines(l => ReplyLine().IsMatch(l), client.Lines.Take(dead).Count(l => ReplyLine().IsMatch(l)) + 20, Wait);
        }

        var whileCut = clients.Select(c => c.Lines.SkipWhile(l => l != $"W: server dead {preferred}").ToList()).ToList();
        var aliveBeforeHeal = clients.Select(c => c.Lines.Count(l => l == $"I: server alive {preferred}")).ToList();
        links[0].Heal();

        for (int i = 0; i < clients.Count; i++)
        {
            // Alive again, then a reply from it.
            var client = clients[i];
            client.WaitForLines(l => l == $"I: server alive {preferred}", aliveBeforeHeal[i] + 1, Wait);
            int alive = client.Lines.LastIndexOf($"I: server alive {preferred}");
            client.WaitForLines(l => l.EndsWith(" from " + preferred, StringComparison.Ordinal), client.Lines.Take(alive).Count(l => l.EndsWith(" from " + preferred, StringComparison.Ordinal)) + 1, Wait);
            client.CloseInput();
        }

        for (int i = 0; i < clients.Count; i++)
        {
            var client = clients[i];
            Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), client.Label);
            Assert.That(client.Lines, Has.None.StartsWith("E: failed"), $"{client.Label}: no request failed");
            var servedWhileCut = whileCut[i].Select(l => ReplyLine().Match(l)).Where(m => m.Success).SelectMany(m => m.Groups[1].Value.Split(',')).Distinct().ToList();
            Assert.That(servedWhileCut, Is.Not.Empty.And.SubsetOf(endpoints.Skip(1)), $"{client.Label}: served by the others while the preferred server was cut off");
        }

        TestContext.Out.WriteLine(string.Join("; ", clients.Select((c, i) => $"{c.Label}: {c.Lines.Count(l => ReplyLine().IsMatch(l))} answered, {whileCut[i].Count(l => ReplyLine().IsMatch(l))} while cut off, none failed")));
    }

    [GeneratedRegex(@"^reply \d+ from (.+)$")]
    private static partial Regex ReplyLine();
}
