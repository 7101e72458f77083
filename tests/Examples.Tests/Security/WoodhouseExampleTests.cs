using static ZmqNative.Examples.Tests.Security.SecurityDemoRun;

namespace ZmqNative.Examples.Tests.Security;

/// <summary>`zguide woodhouse`: PLAIN user name and password.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class WoodhouseExampleTests
{
    [Test]
    public void Woodhouse_RightPassword_PrintsTestOk()
    {
        var result = Run("woodhouse");

        Assert.That(result.ExitCode, Is.EqualTo(0), Output(result));
        Assert.That(Lines(result), Is.EqualTo(new[] { "Woodhouse test OK" }));
        Assert.That(result.Stdout, Does.Contain("I: zap: allowed: PLAIN user 'admin'"));
    }

    [Test]
    public void Woodhouse_WrongPassword_IsRefusedAndThePasswordIsNotLogged()
    {
        var result = Run("woodhouse", "--password", "open-sesame", "--timeout-ms", "1500");

        Assert.That(result.ExitCode, Is.EqualTo(1), Output(result));
        Assert.That(Lines(result).Single(), Does.StartWith("Woodhouse test FAILED"));
        Assert.That(result.Stdout, Does.Contain("wrong password for PLAIN user 'admin'"));
        Assert.That(result.Stdout, Does.Not.Contain("open-sesame").And.Not.Contain("secret"));
    }

    [Test]
    public void Woodhouse_PasswordsFile_LetsItsUsersIn()
    {
        var directory = Directory.CreateTempSubdirectory("zmqnative-woodhouse-");
        try
        {
            string passwords = Path.Combine(directory.FullName, "passwords");
            File.WriteAllText(passwords, "admin=secret\nbob=builder\n");

            var result = Run("woodhouse", "--passwords", passwords, "--user", "bob", "--password", "builder");

            Assert.That(result.ExitCode, Is.EqualTo(0), Output(result));
            Assert.That(result.Stdout, Does.Contain("allowed: PLAIN user 'bob'"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
