using System.Text.RegularExpressions;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Native;

/// <summary>The libzmq that native/build-libzmq.sh built: self-contained, the pinned version, drafts and CURVE on.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class NativeBuildTests
{
    // What a Linux shared library may need: the C library and its loader, nothing else
    // (libstdc++ and libgcc are linked statically, libsodium/gnutls/libbsd are off).
    private static readonly Regex AllowedLinuxDependency =
        new(@"^(libc\.so\.\d+|libm\.so\.\d+|libpthread\.so\.\d+|libdl\.so\.\d+|librt\.so\.\d+|ld-linux[-\w.]*\.so\.\d+)$");

    private static IEnumerable<string> Libraries()
    {
        yield return Repo.BuiltLibrary;
        yield return Repo.BundledLibrary;
    }

    [TestCaseSource(nameof(Libraries))]
    public void Library_Dependencies_AreOnlyTheCLibrary(string library)
    {
        Assume.That(OperatingSystem.IsLinux(), "ELF check");
        var (exit, output, error) = Repo.RunTool("readelf", "-d", library);
        Assert.That(exit, Is.EqualTo(0), error);

        var needed = Regex.Matches(output, @"\(NEEDED\).*\[(?<name>[^\]]+)\]").Select(m => m.Groups["name"].Value).ToList();
        Assert.That(needed, Is.Not.Empty, "readelf found no NEEDED entries at all");
        Assert.That(needed, Has.All.Matches(AllowedLinuxDependency), "dependencies: " + string.Join(", ", needed));
    }

    [Test]
    public void Library_DynamicSymbols_ExportOnlyTheZmqApi()
    {
        Assume.That(OperatingSystem.IsLinux(), "ELF check");
        var (exit, output, error) = Repo.RunTool("nm", "-D", "--defined-only", Repo.BuiltLibrary);
        Assert.That(exit, Is.EqualTo(0), error);

        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ').Last()).ToList();
        Assert.That(names, Has.Some.EqualTo("zmq_ctx_new"));
        Assert.That(names.Where(n => !n.StartsWith("zmq_", StringComparison.Ordinal)), Is.Empty,
            "the statically linked C++ runtime must not leak into the export table");
    }

    [Test]
    public void LibraryVersion_OfTheLoadedLibrary_IsThePinnedRelease()
    {
        Assert.That(Zmq.LibraryVersion.ToString(), Is.EqualTo(Repo.PinnedValue("LIBZMQ_VERSION")));
    }

    [TestCase("curve", true)]
    [TestCase("draft", true)]
    [TestCase("ipc", true)]
    [TestCase("ws", true)]
    [TestCase("WS", true)]
    [TestCase("wss", false)] // no TLS: GnuTLS is left out
    [TestCase("pgm", false)]
    [TestCase("norm", false)]
    [TestCase("gssapi", false)]
    [TestCase("no-such-capability", false)]
    public void Has_Capability_MatchesTheBuildOptions(string capability, bool expected)
    {
        Assert.That(Zmq.Has(capability), Is.EqualTo(expected));
    }

    [Test]
    public void Has_Null_ThrowsArgumentNullException()
    {
        Assert.That(() => Zmq.Has(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void BuildInfo_NamesThePinnedSourceHash()
    {
        var info = File.ReadAllText(Path.Combine(Repo.NativeOut, "BUILD-INFO"));
        Assert.That(info, Does.Contain("sha256 " + Repo.PinnedValue("LIBZMQ_SHA256")));
        Assert.That(info, Does.Contain("rid " + Repo.Rid));
    }

    [TestCase("inproc_lat", "1", "200", "average latency: ")]
    [TestCase("inproc_thr", "1", "20000", "mean throughput: ")]
    public void PerfTools_FromTheSameSource_Run(string tool, string size, string count, string expected)
    {
        foreach (var name in new[] { "local_thr", "remote_thr", "local_lat", "remote_lat", "inproc_thr", "inproc_lat" })
        {
            Assert.That(File.Exists(Path.Combine(Repo.NativeOut, "perf", name)), Is.True, name + " was not built");
        }

        var (exit, output, error) = Repo.RunTool(Path.Combine(Repo.NativeOut, "perf", tool), size, count);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain(expected));
    }
}
