using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide psenvpub`: publishes two-frame messages, a key then the content.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class PsenvpubExampleTests
{
    [Test]
    public void Psenvpub_SubscriberToEverything_GetsKeyFrameThenContentFrame()
    {
        using var context = new ZmqContext();
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Subscribe(string.Empty);
        var endpoint = Chapter2Harness.FreeEndpoint();
        subscriber.Connect(endpoint.Connect);
        using var publisher = ZguideProcess.Start("psenvpub", "--bind", endpoint.Bind, "--interval-ms", "20");

        // Whatever was sent before our subscription arrived is lost; from then on every pair comes whole.
        var messages = new List<List<string>>();
        while (messages.Count < 4)
        {
            Assert.That(subscriber.TryReceiveMultipart(Chapter2Harness.Wait, out var frames), Is.True, "psenvpub published");
            messages.Add(frames!.ConvertAll(f => System.Text.Encoding.UTF8.GetString(f)));
        }

        var a = new List<string> { "A", "We don't want to see this" };
        var b = new List<string> { "B", "We would like to see this" };
        int first = messages[0][0] == "A" ? 0 : 1;
        Assert.That(messages, Has.All.EqualTo(a).Or.EqualTo(b), "every message is a key frame and a content frame");
        Assert.That(messages.Skip(first).Take(3), Is.EqualTo(new[] { a, b, a }), "A and B alternate");
    }

    [Test]
    public void Psenvpub_CountGiven_PublishesThatManyRoundsAndExits()
    {
        var endpoint = Chapter2Harness.FreeEndpoint();
        using var publisher = ZguideProcess.Start("psenvpub", "--bind", endpoint.Bind, "--interval-ms", "10", "--count", "3");

        Assert.That(publisher.WaitForExit(Chapter2Harness.Wait), Is.EqualTo(0), string.Join('\n', publisher.Errors));
        Assert.That(publisher.Lines, Is.Empty, "the Guide's publisher prints nothing");
    }
}
