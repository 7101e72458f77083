using ZmqNative.Interop;
using ZmqNative.Tests.Support;
using static ZmqNative.Interop.LibZmqResolver;

namespace ZmqNative.Tests.Interop;

/// <summary>How the resolver orders the places it looks, reports failure, and what it loaded in this run.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class LibZmqResolverTests
{
    private static readonly string AppDir = Path.Combine(Path.GetTempPath(), "app");
    private static readonly string LibDir = Path.Combine(Path.GetTempPath(), "lib");

    [Test]
    public void Candidates_NoExplicitPath_BundledThenApplicationFolderThenSystem()
    {
        var candidates = Candidates(null, [LibDir, AppDir, null, LibDir], "linux-x64", Os.Linux);

        Assert.That(candidates.Select(c => c.PathOrName), Is.EqualTo(new[]
        {
            Path.Combine(LibDir, "runtimes", "linux-x64", "native", "libzmq.so"),
            Path.Combine(AppDir, "runtimes", "linux-x64", "native", "libzmq.so"),
            Path.Combine(LibDir, "libzmq.so"),
            Path.Combine(AppDir, "libzmq.so"),
            "libzmq.so.5",
            "libzmq.so",
        }));
        Assert.That(candidates.Select(c => c.IsFile), Is.EqualTo(new[] { true, true, true, true, false, false }));
    }

    [TestCase("Windows", "win-x64", "libzmq.dll", new[] { "libzmq.dll" })]
    [TestCase("MacOS", "osx-arm64", "libzmq.dylib", new[] { "libzmq.5.dylib", "libzmq.dylib" })]
    public void Candidates_OtherSystems_UseTheirLibraryNames(string os, string rid, string file, string[] system)
    {
        var candidates = Candidates(null, [AppDir], rid, Enum.Parse<Os>(os));

        Assert.That(candidates.Select(c => c.PathOrName), Is.EqualTo(new[]
        {
            Path.Combine(AppDir, "runtimes", rid, "native", file),
            Path.Combine(AppDir, file),
        }.Concat(system)));
    }

    [Test]
    public void Candidates_ExplicitPath_IsTheOnlyCandidate()
    {
        var explicitPath = Path.Combine(LibDir, "custom", "libzmq-custom.so");

        var candidates = Candidates(explicitPath, [AppDir], "linux-x64", Os.Linux);

        Assert.That(candidates, Has.Count.EqualTo(1));
        Assert.That(candidates[0].PathOrName, Is.EqualTo(explicitPath));
        Assert.That(candidates[0].Description, Does.Contain(ZmqNativeLibrary.EnvironmentVariable));
    }

    [Test]
    public void Load_SecondCandidateLoads_ReturnsItsHandleAndSource()
    {
        var candidates = Candidates(null, [AppDir], "linux-x64", Os.Linux);
        var tried = new List<string>();

        var handle = Load(candidates, c =>
        {
            tried.Add(c.PathOrName);
            return c.PathOrName == "libzmq.so.5" ? (42, null) : (0, "no such file");
        }, out var loadedFrom);

        Assert.That(handle, Is.EqualTo((nint)42));
        Assert.That(loadedFrom, Is.EqualTo("libzmq.so.5 (system library search path)"));
        Assert.That(tried, Is.EqualTo(candidates.Take(3).Select(c => c.PathOrName)), "stops at the first that loads");
    }

    [Test]
    public void Load_NothingLoads_MessageListsEveryPlaceInOrderAndHowToFix()
    {
        var candidates = Candidates(null, [AppDir], "linux-x64", Os.Linux);

        var error = Assert.Throws<DllNotFoundException>(() => Load(candidates, c => (0, "reason for " + Path.GetFileName(c.PathOrName)), out _))!;

        var message = error.Message;
        int previous = -1;
        for (int i = 0; i < candidates.Count; i++)
        {
            int at = message.IndexOf($"\n  {i + 1}. {candidates[i].PathOrName} [", StringComparison.Ordinal);
            Assert.That(at, Is.GreaterThan(previous), candidates[i].PathOrName + " listed, in order");
            previous = at;
        }

        Assert.That(message, Does.Contain("reason for libzmq.so.5"));
        Assert.That(message, Does.Contain(ZmqNativeLibrary.EnvironmentVariable));
        Assert.That(message, Does.Contain("./build.sh --target=Native"));
        Assert.That(message, Does.Contain("ZmqNative.Native"));
    }

    [Test]
    public void LoadedFrom_InTheTestRun_IsTheBundledCopyBesideTheTests()
    {
        Assume.That(Environment.GetEnvironmentVariable(ZmqNativeLibrary.EnvironmentVariable), Is.Null.Or.Empty,
            "an explicit path overrides the bundled copy");
        _ = Zmq.LibraryVersion; // makes sure the library is loaded

        Assert.That(ZmqNativeLibrary.LoadedFrom, Is.EqualTo(Path.GetFullPath(Repo.BundledLibrary)));
    }

    [Test]
    public void Path_SetAfterTheLibraryLoaded_ThrowsInvalidOperationException()
    {
        _ = Zmq.LibraryVersion;

        Assert.That(() => ZmqNativeLibrary.Path = "/elsewhere/libzmq.so",
            Throws.InvalidOperationException.With.Message.Contains("already loaded"));
        Assert.That(ZmqNativeLibrary.Path, Is.Null);
    }

    [TestCase("Linux", "X64", false, "linux-x64")]
    [TestCase("Linux", "Arm64", false, "linux-arm64")]
    [TestCase("Linux", "X64", true, "linux-musl-x64")]
    [TestCase("Linux", "Arm64", true, "linux-musl-arm64")]
    [TestCase("MacOS", "Arm64", false, "osx-arm64")]
    [TestCase("Windows", "X64", false, "win-x64")]
    public void RuntimeRid_OsArchitectureAndCLibrary_IsThePackagesRuntimeId(string os, string architecture, bool musl, string expected)
    {
        Assert.That(RuntimeRid(Enum.Parse<Os>(os), Enum.Parse<System.Runtime.InteropServices.Architecture>(architecture), musl), Is.EqualTo(expected));
    }

    [TestCase("linux-musl-x64")]
    [TestCase("linux-musl-arm64")]
    [TestCase("alpine.3.20-x64")]
    public void IsMusl_RuntimeIdSaysMusl_IsTrue(string runtimeIdentifier)
    {
        Assert.That(IsMusl(runtimeIdentifier, () => throw new AssertionException("the runtime id alone decides")), Is.True);
    }

    [Test]
    public void IsMusl_PortableIdButMuslLoaderMapped_IsTrue()
    {
        // A runtime built as linux-x64 but running under musl's loader (what the loader says wins).
        Assert.That(IsMusl("linux-x64", () => ["/usr/lib/libstdc++.so.6", "/lib/ld-musl-x86_64.so.1"]), Is.True);
    }

    [Test]
    public void IsMusl_GlibcLoaderMapped_IsFalse()
    {
        Assert.That(IsMusl("linux-x64", () => ["/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib64/ld-linux-x86-64.so.2"]), Is.False);
    }

    [Test]
    public void Candidates_Musl_NeverTheGlibcBuild()
    {
        var candidates = Candidates(null, [AppDir], "linux-musl-x64", Os.Linux);

        Assert.That(candidates[0].PathOrName, Is.EqualTo(Path.Combine(AppDir, "runtimes", "linux-musl-x64", "native", "libzmq.so")));
        Assert.That(candidates.Select(c => c.PathOrName), Has.None.Contains(Path.Combine("runtimes", "linux-x64")));
    }

    [Test]
    public void Load_MuslAndNothingLoads_MessageNamesTheMuslPackage()
    {
        var candidates = Candidates(null, [AppDir], "linux-musl-arm64", Os.Linux);

        var error = Assert.Throws<DllNotFoundException>(() => Load(candidates, c => (0, "no such file"), out _))!;

        Assert.That(error.Message, Does.Contain("runtime.linux-musl-arm64.ZmqNative.Native"));
        Assert.That(error.Message, Does.Contain("runtimes/linux-arm64/native/, does not load on musl"));
    }

    [Test]
    public void RuntimeRid_ThisProcess_MatchesTheRuntimesFolderName()
    {
        Assert.That(RuntimeRid(), Is.EqualTo(Repo.Rid));
    }
}
