using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide psenvsub`: subscribes to the B envelopes of psenvpub.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class PsenvsubExampleTests
{
    [Test]
    public void Psenvsub_PublisherSendsAAndB_PrintsOnlyTheBMessages()
    {
        var endpoint = Chapter2Harness.FreeEndpoint();
        using var publisher = ZguideProcess.Start("psenvpub", "--bind", endpoint.Bind, "--interval-ms", "20");
        using var subscriber = ZguideProcess.Start("psenvsub", "--connect", endpoint.Connect, "--count", "3");

        Assert.That(subscriber.WaitForExit(Chapter2Harness.Wait), Is.EqualTo(0), string.Join('\n', subscriber.Errors));
        Assert.That(subscriber.Lines, Is.EqualTo(Enumerable.Repeat("[B] We would like to see this", 3)));
    }

    [Test]
    public void Psenvsub_SubscribedToA_PrintsOnlyTheAMessages()
    {
        var endpoint = Chapter2Harness.FreeEndpoint();
        using var publisher = ZguideProcess.Start("psenvpub", "--bind", endpoint.Bind, "--interval-ms", "20");
        using var subscriber = ZguideProcess.Start("psenvsub", "--connect", endpoint.Connect, "--subscribe", "A", "--count", "2");

        Assert.That(subscriber.WaitForExit(Chapter2Harness.Wait), Is.EqualTo(0), string.Join('\n', subscriber.Errors));
        Assert.That(subscriber.Lines, Is.EqualTo(Enumerable.Repeat("[A] We don't want to see this", 2)));
    }
}
