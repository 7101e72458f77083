using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter3;

/// <summary>`zguide identity`: what a ROUTER sees of an anonymous and of a named REQ peer.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class IdentityExampleTests
{
    [Test]
    public void Identity_AnonymousThenNamedPeer_RouterShowsGeneratedThenChosenIdentity()
    {
        var result = Zguide.Run(["identity"], TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var lines = result.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(8), result.Stdout);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("----------------------------------------"));
            Assert.That(lines[1], Does.Match("^\\[005\\] 00[0-9A-F]{8}$"), "libzmq makes up 5 bytes: a zero and a 32-bit number, shown as hex");
            Assert.That(lines[2], Is.EqualTo("[000]"), "the REQ's empty delimiter");
            Assert.That(lines[3], Is.EqualTo("[039] ROUTER uses a generated 5 byte identity"));
            Assert.That(lines[4], Is.EqualTo("----------------------------------------"));
            Assert.That(lines[5], Is.EqualTo("[005] PEER2"), "the identity the peer set with ZMQ_ROUTING_ID");
            Assert.That(lines[6], Is.EqualTo("[000]"));
            Assert.That(lines[7], Is.EqualTo("[040] ROUTER socket uses REQ's socket identity"));
        });
    }
}
