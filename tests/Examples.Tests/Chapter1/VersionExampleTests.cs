using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter1;

/// <summary>`zguide version`: the proof that the whole stack stands, and how the library is found.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class VersionExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public void Version_Run_PrintsTheLibraryVersionAndCapabilities()
    {
        var result = Zguide.Run(["version"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.StartWith("Current 0MQ version is 4.3.4" + Environment.NewLine));
        Assert.That(result.Stdout, Does.Match(@"libzmq build 4\.3\.4\+zmqnative\.[1-9]\d*" + Environment.NewLine));
        Assert.That(result.Stdout, Does.Match(@"ZmqNative version \d+\.\d+\.\d+"));
        Assert.That(result.Stdout, Does.Contain("libzmq loaded from " + Path.Combine(Zguide.Directory, "runtimes", Zguide.Rid, "native", "libzmq.so")));
        var capabilities = result.Stdout.Split('\n').Single(l => l.StartsWith("capabilities: ", StringComparison.Ordinal)).Split(' ');
        Assert.That(capabilities, Does.Contain("curve").And.Contain("draft").And.Contain("ipc"));
        Assert.That(capabilities, Does.Not.Contain("pgm"));
    }

    [Test]
    public void Version_ExplicitLibraryPath_LoadsThatFile()
    {
        var dir = Directory.CreateTempSubdirectory("zmqnative-explicit-");
        try
        {
            var copy = Path.Combine(dir.FullName, "libzmq-elsewhere.so");
            File.Copy(Path.Combine(Zguide.Directory, "runtimes", Zguide.Rid, "native", "libzmq.so"), copy);

            var result = Zguide.Run(["version"], Timeout, new Dictionary<string, string?> { ["ZMQNATIVE_LIBZMQ"] = copy });

            Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
            Assert.That(result.Stdout, Does.Contain("libzmq loaded from " + copy + Environment.NewLine));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Version_ExplicitPathMissing_FailsNamingThePathAndTheFix()
    {
        var missing = Path.Combine(Path.GetTempPath(), "zmqnative-no-such-dir", "libzmq.so");

        var result = Zguide.Run(["version"], Timeout, new Dictionary<string, string?> { ["ZMQNATIVE_LIBZMQ"] = missing });

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Stderr, Does.Contain("Tried, in order:"));
        Assert.That(result.Stderr, Does.Contain("\n  1. " + missing + " [explicit path"));
        Assert.That(result.Stderr, Does.Contain("no such file"));
        Assert.That(result.Stderr, Does.Not.Contain("\n  2. "), "an explicit path is the only place tried");
    }

    [Test]
    public void Version_NoBundledLibrary_TriesBundledThenAppFolderThenSystem()
    {
        // The application without its runtimes/ folder: the resolver must fall through to the
        // system's libzmq and, when there is none, say everything it tried in order.
        var dir = Directory.CreateTempSubdirectory("zmqnative-nobundle-");
        try
        {
            foreach (var file in new[] { "zguide.dll", "zguide.runtimeconfig.json", "zguide.deps.json", "ZmqNative.dll" })
            {
                File.Copy(Path.Combine(Zguide.Directory, file), Path.Combine(dir.FullName, file));
            }

            var result = Zguide.Run(["version"], Timeout, directory: dir.FullName);

            bool systemHasLibzmq = new[] { "/usr/lib/x86_64-linux-gnu/libzmq.so.5", "/usr/lib/aarch64-linux-gnu/libzmq.so.5", "/usr/lib/libzmq.so.5", "/usr/local/lib/libzmq.so.5" }.Any(File.Exists);
            if (systemHasLibzmq)
            {
                Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
                Assert.That(result.Stdout, Does.Contain("libzmq loaded from libzmq.so.5 (system library search path)"));
            }
            else
            {
                Assert.That(result.ExitCode, Is.EqualTo(3), result.Stdout);
                var bundled = result.Stderr.IndexOf(Path.Combine(dir.FullName, "runtimes", Zguide.Rid, "native", "libzmq.so") + " [", StringComparison.Ordinal);
                var appFolder = result.Stderr.IndexOf(Path.Combine(dir.FullName, "libzmq.so") + " [", StringComparison.Ordinal);
                var system = result.Stderr.IndexOf("libzmq.so.5 [system", StringComparison.Ordinal);
                Assert.That(bundled, Is.GreaterThan(0), result.Stderr);
                Assert.That(appFolder, Is.GreaterThan(bundled), result.Stderr);
                Assert.That(system, Is.GreaterThan(appFolder), result.Stderr);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Zguide_NoArguments_ListsEveryExampleWithASummary()
    {
        var result = Zguide.Run([], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Match(@"\n\s+version\s+ch\.1\s+prints the libzmq version"));
    }

    [Test]
    public void Zguide_UnknownExample_ExitsWithUsageError()
    {
        var result = Zguide.Run(["no-such-example"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("no example named 'no-such-example'"));
    }

    [Test]
    public void Version_Help_TellsItsUsage()
    {
        var result = Zguide.Run(["version", "--help"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("usage: zguide version"));
    }
}
