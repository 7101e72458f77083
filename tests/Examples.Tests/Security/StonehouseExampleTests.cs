using static ZmqNative.Examples.Tests.Security.SecurityDemoRun;

namespace ZmqNative.Examples.Tests.Security;

/// <summary>`zguide stonehouse`: CURVE encryption, any client key.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class StonehouseExampleTests
{
    [Test]
    public void Stonehouse_Run_PrintsTestOk()
    {
        var result = Run("stonehouse");

        Assert.That(result.ExitCode, Is.EqualTo(0), Output(result));
        Assert.That(Lines(result), Is.EqualTo(new[] { "Stonehouse test OK" }));
        Assert.That(result.Stdout, Does.Contain("I: zap: allowed: CURVE (any key) client key "));
    }

    [Test]
    public void Stonehouse_AddressNotAllowed_IsRefused()
    {
        var result = Run("stonehouse", "--allow", "10.0.0.1", "--timeout-ms", "1500");

        Assert.That(result.ExitCode, Is.EqualTo(1), Output(result));
        Assert.That(Lines(result).Single(), Does.StartWith("Stonehouse test FAILED"));
    }
}
