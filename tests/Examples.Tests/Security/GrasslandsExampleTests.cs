using static ZmqNative.Examples.Tests.Security.SecurityDemoRun;

namespace ZmqNative.Examples.Tests.Security;

/// <summary>`zguide grasslands`: no security; the client gets its Hello.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class GrasslandsExampleTests
{
    [Test]
    public void Grasslands_Run_PrintsTestOk()
    {
        var result = Run("grasslands");

        Assert.That(result.ExitCode, Is.EqualTo(0), Output(result));
        Assert.That(Lines(result), Is.EqualTo(new[] { "Grasslands test OK" }));
        Assert.That(result.Stdout, Does.Not.Contain("I: zap:"), "no authenticator");
    }
}
