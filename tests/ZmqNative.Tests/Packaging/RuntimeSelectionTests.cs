using System.Text;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Packaging;

/// <summary>
/// Which libzmq a build for a runtime id gets (ZmqNative.Native's buildTransitive targets).
/// NuGet picks native files per package along the runtime id graph, so without those targets a
/// linux-musl-x64 build also gets (or, with no musl package, only gets) runtime.linux-x64's glibc
/// library, which does not load on musl. The fixture packs its own feed from native/out/ copies:
/// linux-x64 (the real build), and stand-ins for linux-arm64 and linux-musl-arm64 (this machine's
/// library with a marker section naming the runtime id; they are only packed and published,
/// never loaded), but no linux-musl-x64. A build for a runtime id with no library at all is
/// checked against the real packages in artifacts/packages, through ZmqNative (transitively).
/// Without the targets, the SDK settles two libzmq.so for one folder "arbitrarily" (the first
/// package by name): runtime.linux-arm64 before runtime.linux-musl-arm64, so arm64 shows it.
/// </summary>
[TestFixture]
[CancelAfter(600_000)]
[NonParallelizable]
public class RuntimeSelectionTests
{
    private const string Program = "System.Console.WriteLine(\"built\");\n";

    // Framework-dependent and without an apphost: restore for any runtime id needs no runtime or
    // host pack, so it works offline for riscv64 as for x64.
    private static readonly string[] PublishOptions = ["-c", "Release", "--self-contained", "false", "-p:UseAppHost=false", "--disable-build-servers", "-nodeReuse:false"];

    private string _feedWork = "";
    private string _feed = "";

    [OneTimeSetUp]
    public void PackAFeedWithMuslAndGlibcPackages()
    {
        if (!OperatingSystem.IsLinux() || Repo.Rid != "linux-x64")
        {
            Assert.Ignore("packs stand-ins made from the linux-x64 build");
        }

        _feedWork = Directory.CreateTempSubdirectory("zmqnative-rid-feed-").FullName;
        _feed = Path.Combine(_feedWork, "feed");
        string outRoot = Path.Combine(_feedWork, "out");
        CopyNativeBuild(outRoot, "linux-x64", marker: null);
        CopyNativeBuild(outRoot, "linux-arm64", marker: StandInMarker("linux-arm64"));
        CopyNativeBuild(outRoot, "linux-musl-arm64", marker: StandInMarker("linux-musl-arm64"));

        foreach (var project in new[]
        {
            "runtime.linux-x64.ZmqNative.Native/runtime.linux-x64.ZmqNative.Native.csproj",
            "runtime.linux-arm64.ZmqNative.Native/runtime.linux-arm64.ZmqNative.Native.csproj",
            "runtime.linux-musl-arm64.ZmqNative.Native/runtime.linux-musl-arm64.ZmqNative.Native.csproj",
            "ZmqNative.Native/ZmqNative.Native.csproj",
        })
        {
            var (exit, output) = PackageFolder.Run(Repo.Root, BuildEnvironment(), TimeSpan.FromMinutes(3), "dotnet",
                "pack", Path.Combine(Repo.Root, "native", "packaging", project), "-c", "Release", "-o", _feed,
                "--artifacts-path", Path.Combine(_feedWork, "artifacts"), "-p:NoBuild=true", "-p:ZmqNativeOutRoot=" + outRoot + "/",
                "--disable-build-servers", "-nodeReuse:false");
            Assert.That(exit, Is.EqualTo(0), $"dotnet pack {project} failed:\n{output}");
        }
    }

    [OneTimeTearDown]
    public void DeleteFeed()
    {
        if (_feedWork.Length > 0 && Directory.Exists(_feedWork))
        {
            Directory.Delete(_feedWork, recursive: true);
        }
    }

    [Test]
    public void Publish_MuslRuntimeId_GetsTheMuslLibraryNeverTheGlibcOne()
    {
        using var consumer = NativeConsumer();

        consumer.Dotnet(["publish", "-r", "linux-musl-arm64", "-o", "out-musl", .. PublishOptions]);

        string published = Path.Combine(consumer.App, "out-musl", "libzmq.so");
        Assert.That(File.Exists(published), Is.True, "the publish folder has a libzmq.so");
        Assert.That(Contains(published, StandInMarker("linux-musl-arm64")), Is.True,
            "the published libzmq.so is runtime.linux-musl-arm64's, not runtime.linux-arm64's glibc one (NuGet's linux-musl-arm64 -> linux-arm64 fallback)");
        string deps = File.ReadAllText(Path.Combine(consumer.App, "out-musl", "consumer.deps.json"));
        Assert.That(deps, Does.Contain("runtimes/linux-musl-arm64/native/libzmq.so"));
        Assert.That(deps, Does.Not.Contain("runtimes/linux-arm64/native/libzmq.so"), "the glibc library is not in the app's dependency manifest either");
    }

    [TestCase("linux-x64", null)]
    [TestCase("linux-arm64", "linux-arm64")]
    public void Publish_GlibcRuntimeId_GetsTheGlibcLibrary(string rid, string? standIn)
    {
        using var consumer = NativeConsumer();

        consumer.Dotnet(["publish", "-r", rid, "-o", "out-glibc", .. PublishOptions]);

        string published = Path.Combine(consumer.App, "out-glibc", "libzmq.so");
        Assert.That(File.Exists(published), Is.True, "the publish folder has a libzmq.so");
        if (standIn is null)
        {
            Assert.That(Contains(published, "zmqnative test stand-in"), Is.False, "linux-x64 gets the real build");
        }
        else
        {
            Assert.That(Contains(published, StandInMarker(standIn)), Is.True, $"{rid} gets {standIn}'s library, never the musl one");
        }
    }

    [Test]
    public void Publish_MuslRuntimeIdWithoutItsPackage_FailsWithZmqn002InsteadOfShippingGlibcs()
    {
        // linux-musl-x64 has no package in the feed, but linux-x64 has: NuGet alone would ship
        // the glibc library for it.
        using var consumer = NativeConsumer();

        var (exit, output) = consumer.TryDotnet(["publish", "-r", "linux-musl-x64", "-o", "out-musl-x64", .. PublishOptions]);

        Assert.That(exit, Is.Not.EqualTo(0), output);
        Assert.That(output, Does.Contain("error ZMQN002"));
        Assert.That(output, Does.Contain("'linux-musl-x64'").And.Contain("musl"));
        Assert.That(output, Does.Contain("Runtime identifiers with a libzmq in this version of ZmqNative.Native: linux-x64, linux-arm64, linux-musl-arm64."),
            "names the runtime ids the package has");
        Assert.That(Directory.Exists(Path.Combine(consumer.App, "out-musl-x64")) && Directory.GetFiles(Path.Combine(consumer.App, "out-musl-x64"), "libzmq*").Length > 0,
            Is.False, "nothing was published");
    }

    [Test]
    public void Publish_MissingRuntimeIdAllowed_WarnsAndPublishes()
    {
        using var consumer = NativeConsumer();

        string output = consumer.Dotnet(["publish", "-r", "linux-musl-x64", "-o", "out-allowed", "-p:ZmqNativeAllowMissingNativeLibrary=true", .. PublishOptions]);

        Assert.That(output, Does.Contain("warning ZMQN002"));
        Assert.That(Directory.GetFiles(Path.Combine(consumer.App, "out-allowed"), "libzmq*"), Is.Empty,
            "the glibc library is still not shipped for musl");
    }

    [Test]
    public void Publish_RuntimeIdWithNoLibraryThroughZmqNative_FailsWithZmqn002NamingTheRuntimeIds()
    {
        // The real packages, referenced as a user does (ZmqNative -> ZmqNative.Native): the
        // targets reach the application transitively.
        PackageFolder.Require("ZmqNative");
        using var consumer = new ConsumerProject("riscv64", [PackageFolder.Path],
            $"""<ItemGroup><PackageReference Include="ZmqNative" Version="{PackageFolder.Version}" /></ItemGroup>""", Program);

        var (exit, output) = consumer.TryDotnet(["publish", "-r", "linux-riscv64", .. PublishOptions]);

        Assert.That(exit, Is.Not.EqualTo(0), output);
        Assert.That(output, Does.Contain("error ZMQN002"));
        Assert.That(output, Does.Contain("'linux-riscv64'"));
        Assert.That(output, Does.Contain("Runtime identifiers with a libzmq in this version of ZmqNative.Native: " + string.Join(", ", PackageFolder.PackedRuntimes()) + "."));
    }

    private ConsumerProject NativeConsumer() => new("rid", [_feed],
        $"""<ItemGroup><PackageReference Include="ZmqNative.Native" Version="{PackageFolder.Version}" /></ItemGroup>""", Program);

    private static string StandInMarker(string rid) => $"zmqnative test stand-in for {rid}";

    private static bool Contains(string file, string text)
    {
        byte[] bytes = File.ReadAllBytes(file);
        return bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;
    }

    /// <summary>native/out/linux-x64/ as native/out/&lt;rid&gt;/ under <paramref name="outRoot"/>, the library marked when it stands in for another build.</summary>
    private static void CopyNativeBuild(string outRoot, string rid, string? marker)
    {
        string from = Path.Combine(Repo.Root, "native", "out", "linux-x64");
        string to = Directory.CreateDirectory(Path.Combine(outRoot, rid)).FullName;
        foreach (var name in new[] { "libzmq.so", "COPYING.libzmq.txt", "COPYING.LESSER.libzmq.txt" })
        {
            File.Copy(Path.Combine(from, name), Path.Combine(to, name));
        }

        File.WriteAllText(Path.Combine(to, "BUILD-INFO"), File.ReadAllText(Path.Combine(from, "BUILD-INFO")).Replace("rid linux-x64", "rid " + rid));
        if (marker is not null)
        {
            // An allocated section, so stripping at pack time keeps it.
            string markerFile = Path.Combine(outRoot, rid + ".marker");
            File.WriteAllText(markerFile, marker);
            var (exit, _, error) = Repo.RunTool("objcopy", "--add-section", ".zmqnative_test=" + markerFile,
                "--set-section-flags", ".zmqnative_test=alloc,readonly,contents", Path.Combine(to, "libzmq.so"));
            Assert.That(exit, Is.EqualTo(0), error);
        }
    }

    private static Dictionary<string, string?> BuildEnvironment()
    {
        var environment = new Dictionary<string, string?>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && name != "MSBUILDDISABLENODEREUSE")
            {
                environment[name] = null;
            }
        }

        return environment;
    }
}
