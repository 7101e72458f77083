using System.Diagnostics;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Native;

/// <summary>
/// libzmq's own tests and our defect tests against the library we ship: the bounded subset of
/// native/test-libzmq.sh (the whole suite is build.cake's NativeTests target).
/// </summary>
[TestFixture]
[CancelAfter(600_000)]
public class LibzmqTestSuiteTests
{
    [Test]
    public void Subset_AgainstTheBuiltLibrary_AllPass()
    {
        Assume.That(OperatingSystem.IsLinux(), "the script builds the tests with the Linux toolchain");
        var (exit, output) = RunScript("subset", "--rid", Repo.Rid);

        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output, Does.Match(@"test-libzmq: \d+ passed, 0 failed"), output);
        // Every defect test that native/tests/ holds ran (and passed: 0 failed above).
        foreach (var test in Directory.GetFiles(Path.Combine(Repo.Root, "native", "tests"), "*.cpp"))
        {
            Assert.That(output, Does.Contain("pass  " + Path.GetFileNameWithoutExtension(test)), output);
        }
    }

    // The first run compiles the subset (a minute or two on a busy machine); later runs reuse
    // native/.cache/test-subset-<rid>/ until the library or the patch set changes.
    private static (int ExitCode, string Output) RunScript(params string[] arguments)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.Root,
        };
        info.ArgumentList.Add(Path.Combine(Repo.Root, "native", "test-libzmq.sh"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(9)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("native/test-libzmq.sh " + string.Join(' ', arguments) + " did not finish within 9 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
