using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide mtrelay`: three threads relaying READY over inproc PAIR sockets.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class MtrelayExampleTests
{
    [Test]
    public void Mtrelay_Run_SignalsStepByStepInOrder()
    {
        var result = Zguide.Run(["mtrelay"], Chapter2Harness.Wait);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')), Is.EqualTo(new[]
        {
            "Step 1 ready, signaling step 2",
            "Step 2 ready, signaling step 3",
            "Test successful!",
        }));
    }
}
