using System.Text.RegularExpressions;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Packaging;

/// <summary>
/// The user's first five minutes: a fresh console project outside the repository, whose only
/// package source is artifacts/packages, runs `dotnet add package ZmqNative`, builds, and does a
/// REQ/REP round trip with the libzmq the package brought (not one from the system). Its
/// packages are restored into a private folder, so the global NuGet cache never holds ours.
/// </summary>
[TestFixture]
[CancelAfter(600_000)]
[NonParallelizable]
public class PackageConsumerTests
{
    /// <summary>The consumer app: a REQ/REP round trip, then where libzmq came from (also the NativeAOT test's app).</summary>
    internal const string Program = """
            using ZmqNative;

            using (var context = new ZmqContext())
            {
                using var server = context.CreateSocket(ZmqSocketType.Rep);
                server.Bind("tcp://127.0.0.1:*");
                using var client = context.CreateSocket(ZmqSocketType.Req);
                client.Connect(server.LastEndpoint);

                client.Send("Hello");
                if (!server.TryReceiveString(TimeSpan.FromSeconds(30), out var request))
                {
                    Console.WriteLine("no request within 30 s");
                    return 1;
                }

                server.Send("World");
                if (!client.TryReceiveString(TimeSpan.FromSeconds(30), out var reply))
                {
                    Console.WriteLine("no reply within 30 s");
                    return 1;
                }

                Console.WriteLine($"round trip: {request} -> {reply}");
            }

            Console.WriteLine($"libzmq {Zmq.LibraryVersion}");
            Console.WriteLine($"loaded from {ZmqNativeLibrary.LoadedFrom}");
            // What the dynamic loader really mapped: the file, not just what the resolver says.
            foreach (var line in File.ReadLines("/proc/self/maps").Where(l => l.Contains("libzmq")).Select(l => l[l.IndexOf('/')..]).Distinct())
            {
                Console.WriteLine($"mapped {line}");
            }

            return 0;
            """;

    private ConsumerProject _consumer = null!;

    [SetUp]
    public void CreateConsumerFolder()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("reads /proc/self/maps; Linux only");
        }

        PackageFolder.Require("ZmqNative");
        _consumer = new ConsumerProject("consumer", [PackageFolder.Path], "", Program);
    }

    [TearDown]
    public void DeleteConsumerFolder() => _consumer?.Dispose();

    [Test]
    public void AddPackage_FreshConsoleProject_RoundTripsWithTheBundledLibzmq()
    {
        _consumer.Dotnet("add", "package", "ZmqNative");
        Assert.That(File.ReadAllText(Path.Combine(_consumer.App, "consumer.csproj")),
            Does.Contain($"""<PackageReference Include="ZmqNative" Version="{PackageFolder.Version}" />"""));
        Assert.That(Directory.Exists(Path.Combine(_consumer.Packages, $"runtime.{Repo.Rid}.zmqnative.native", PackageFolder.Version)), Is.True,
            "the runtime package came in through ZmqNative -> ZmqNative.Native, into the private packages folder (NUGET_PACKAGES)");

        _consumer.Dotnet("build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false");
        string output = _consumer.Dotnet("bin/Release/net10.0/consumer.dll");

        Assert.That(output, Does.Contain("round trip: Hello -> World"));
        Assert.That(output, Does.Contain("libzmq " + Repo.PinnedValue("LIBZMQ_VERSION")));
        var mapped = Regex.Matches(output, "^mapped (?<path>.+)$", RegexOptions.Multiline).Select(m => m.Groups["path"].Value.Trim()).ToList();
        Assert.That(mapped, Is.Not.Empty, "no libzmq in /proc/self/maps:\n" + output);
        string fromOutput = Path.Combine(_consumer.App, "bin", "Release", "net10.0", "runtimes", Repo.Rid, "native") + "/";
        string fromCache = Path.Combine(_consumer.Packages, $"runtime.{Repo.Rid}.zmqnative.native") + "/";
        Assert.That(mapped, Has.All.StartsWith(fromOutput).Or.StartsWith(fromCache),
            "libzmq must come from the package (copied to the output's runtimes/ folder), never from /usr/lib:\n" + output);
        byte[] packed = PackageFolder.ReadEntry(PackageFolder.Require($"runtime.{Repo.Rid}.ZmqNative.Native"), $"runtimes/{Repo.Rid}/native/libzmq.so");
        Assert.That(PackageFolder.Sha256(File.ReadAllBytes(mapped[0])), Is.EqualTo(PackageFolder.Sha256(packed)),
            "the mapped library is the one in the runtime package");
    }
}
