using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>ParanoidPirateProtocol: RFC 6's command bytes and the envelope split of requests and replies.</summary>
[TestFixture]
[CancelAfter(10_000)]
public class ParanoidPirateProtocolTests
{
    [Test]
    public void Commands_AreTheRfcBytes()
    {
        Assert.That(ParanoidPirateProtocol.Ready, Is.EqualTo(0x01));
        Assert.That(ParanoidPirateProtocol.Heartbeat, Is.EqualTo(0x02));
    }

    [Test]
    public void IsCommand_OneFrameOneByte_Matches()
    {
        Assert.That(ParanoidPirateProtocol.IsCommand([[0x02]], ParanoidPirateProtocol.Heartbeat), Is.True);
        Assert.That(ParanoidPirateProtocol.IsCommand([[0x02, 0x00]], ParanoidPirateProtocol.Heartbeat), Is.False);
        Assert.That(ParanoidPirateProtocol.IsCommand([[0x02], [0x02]], ParanoidPirateProtocol.Heartbeat), Is.False);
        Assert.That(ParanoidPirateProtocol.IsCommand([[0x01]], ParanoidPirateProtocol.Heartbeat), Is.False);
    }

    [Test]
    public void TrySplitEnvelope_AddressDelimiterBody_FindsTheEnvelope()
    {
        bool ok = ParanoidPirateProtocol.TrySplitEnvelope([[1, 2], [3], [], [9], [8]], out int envelope);

        Assert.That(ok, Is.True);
        Assert.That(envelope, Is.EqualTo(3));
    }

    [Test]
    public void TrySplitEnvelope_NoBodyOrNoAddress_Fails()
    {
        Assert.That(ParanoidPirateProtocol.TrySplitEnvelope([[1], []], out _), Is.False);
        Assert.That(ParanoidPirateProtocol.TrySplitEnvelope([[], [1]], out _), Is.False);
        Assert.That(ParanoidPirateProtocol.TrySplitEnvelope([[0x02]], out _), Is.False);
    }
}
