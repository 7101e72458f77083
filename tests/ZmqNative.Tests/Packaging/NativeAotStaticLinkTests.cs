using System.Text.RegularExpressions;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Packaging;

/// <summary>
/// ZmqNativeStaticLink=true with PublishAot=true: a user's app, from the packages in
/// artifacts/packages, publishes as one executable with libzmq linked in, and runs a REQ/REP
/// round trip with no libzmq.so anywhere it could load one from (ldd and /proc/self/maps).
/// The NativeAOT compiler comes from NuGet; it is kept in artifacts/nuget-aot/ between runs
/// (our own packages are removed from there first, so a stale copy never shadows a new one).
/// </summary>
[TestFixture]
[Category("NativeAot")]
[CancelAfter(900_000)]
[NonParallelizable]
public class NativeAotStaticLinkTests
{
    [Test]
    public void PublishAot_StaticLink_OneExecutableRunsWithNoLibzmqSharedLibrary()
    {
        if (!OperatingSystem.IsLinux() || Repo.Rid != "linux-x64")
        {
            Assert.Ignore("the static archive is packed for linux-x64 only");
        }

        string archive = Path.Combine(Repo.Root, "native", "out", "linux-x64", "static", "libzmq.a");
        Assert.That(File.Exists(archive), Is.True, $"{archive} is missing: ./build.sh --target=Pack builds it (native/build-static.sh)");
        PackageFolder.Require("ZmqNative");
        string compilerCache = Directory.CreateDirectory(Path.Combine(Repo.Root, "artifacts", "nuget-aot")).FullName;
        foreach (var stale in Directory.GetDirectories(compilerCache).Where(d => Path.GetFileName(d).Contains("zmqnative", StringComparison.OrdinalIgnoreCase)))
        {
            Directory.Delete(stale, recursive: true);
        }

        using var consumer = new ConsumerProject("aot", [PackageFolder.Path], $"""
            <PropertyGroup>
                <PublishAot>true</PublishAot>
                <ZmqNativeStaticLink>true</ZmqNativeStaticLink>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ZmqNative" Version="{PackageFolder.Version}" />
              </ItemGroup>
            """, PackageConsumerTests.Program, packagesFolder: compilerCache, alsoUserSources: true);

        consumer.Dotnet("publish", "-r", "linux-x64", "-c", "Release", "-o", "out", "--disable-build-servers", "-nodeReuse:false");

        string output = Path.Combine(consumer.App, "out");
        string executable = Path.Combine(output, "consumer");
        Assert.That(File.Exists(executable), Is.True);
        Assert.That(Directory.GetFiles(output, "libzmq*", SearchOption.AllDirectories), Is.Empty, "no libzmq.so published beside the executable");
        var (lddExit, ldd, lddError) = Repo.RunTool("ldd", executable);
        Assert.That(lddExit, Is.EqualTo(0), lddError);
        Assert.That(ldd, Does.Not.Contain("libzmq").And.Not.Contain("libstdc++"), "ldd: " + ldd);

        // Run from an empty folder with no way to find a libzmq: not the package cache, not native/out.
        string runFolder = Directory.CreateDirectory(Path.Combine(consumer.Work, "run")).FullName;
        File.Copy(executable, Path.Combine(runFolder, "consumer")); // keeps the mode (executable) on Unix
        var (exit, run) = PackageFolder.Run(runFolder, new Dictionary<string, string?> { ["ZMQNATIVE_LIBZMQ"] = null, ["LD_LIBRARY_PATH"] = null },
            TimeSpan.FromMinutes(1), Path.Combine(runFolder, "consumer"));

        Assert.That(exit, Is.EqualTo(0), run);
        Assert.That(run, Does.Contain("round trip: Hello -> World"));
        Assert.That(run, Does.Contain("libzmq " + Repo.PinnedValue("LIBZMQ_VERSION")));
        Assert.That(run, Does.Contain("loaded from linked statically into the executable"));
        Assert.That(Regex.IsMatch(run, "^mapped ", RegexOptions.Multiline), Is.False, "no libzmq file mapped:\n" + run);
    }
}
