using static ZmqNative.Examples.Tests.Security.SecurityDemoRun;

namespace ZmqNative.Examples.Tests.Security;

/// <summary>`zguide strawhouse`: clients filtered by IP address.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class StrawhouseExampleTests
{
    [Test]
    public void Strawhouse_AllowedAddress_PrintsTestOk()
    {
        var result = Run("strawhouse");

        Assert.That(result.ExitCode, Is.EqualTo(0), Output(result));
        Assert.That(Lines(result), Is.EqualTo(new[] { "Strawhouse test OK" }));
        Assert.That(result.Stdout, Does.Contain("I: zap: passed: address 127.0.0.1 is on the allow list"));
        Assert.That(result.Stdout, Does.Contain("I: zap: allowed: NULL"));
    }

    [Test]
    public void Strawhouse_AddressNotAllowed_IsRefused()
    {
        var result = Run("strawhouse", "--allow", "10.0.0.1", "--timeout-ms", "1500");

        Assert.That(result.ExitCode, Is.EqualTo(1), Output(result));
        Assert.That(Lines(result).Single(), Does.StartWith("Strawhouse test FAILED"));
        Assert.That(result.Stdout, Does.Contain("address 127.0.0.1 is not on the allow list"));
    }
}
