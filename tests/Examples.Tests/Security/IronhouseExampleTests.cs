using static ZmqNative.Examples.Tests.Security.SecurityDemoRun;

namespace ZmqNative.Examples.Tests.Security;

/// <summary>`zguide ironhouse`: CURVE encryption, only client keys in the certificate store.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class IronhouseExampleTests
{
    private string _directory = string.Empty;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("zmqnative-ironhouse-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Ironhouse_Run_PrintsTestOkAndSavesTheClientCertificateInCzmqFormat()
    {
        string certs = Path.Combine(_directory, ".curve");

        var result = Run("ironhouse", "--certs", certs);

        Assert.That(result.ExitCode, Is.EqualTo(0), Output(result));
        Assert.That(Lines(result), Is.EqualTo(new[] { "Ironhouse test OK" }));
        var saved = ZmqCertificate.Load(Path.Combine(certs, "testcert.pub"));
        Assert.That(saved.HasSecretKey, Is.False, "only the public certificate goes into the store");
        Assert.That(saved.Metadata["name"], Is.EqualTo("Client test certificate"));
        Assert.That(result.Stdout, Does.Contain($"I: zap: allowed: CURVE client key {saved.PublicKeyZ85} is in the store"));
    }

    [Test]
    public void Ironhouse_ClientNotInTheStore_IsRefused()
    {
        var result = Run("ironhouse", "--certs", Path.Combine(_directory, ".curve"), "--unknown-client", "--timeout-ms", "1500");

        Assert.That(result.ExitCode, Is.EqualTo(1), Output(result));
        Assert.That(Lines(result).Single(), Does.StartWith("Ironhouse test FAILED"));
        Assert.That(result.Stdout, Does.Contain("is not in certificate store"));
    }
}
