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
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(4);

    private string _work = "";
    private string _app = "";
    private string _packages = "";
    private Dictionary<string, string?> _environment = [];

    [SetUp]
    public void CreateConsumerFolder()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("reads /proc/self/maps; Linux only");
        }

        PackageFolder.Require("ZmqNative");
        _work = Directory.CreateTempSubdirectory("zmqnative-consumer-").FullName;
        Assert.That(_work, Does.Not.StartWith(Repo.Root), "the consumer must live outside the repository");
        _app = Directory.CreateDirectory(Path.Combine(_work, "consumer")).FullName;
        _packages = Path.Combine(_work, "nuget-packages");

        // Only artifacts/packages: the SDK's own packs (the net10.0 targeting and apphost packs)
        // are on disk, so restore needs no other source.
        File.WriteAllText(Path.Combine(_app, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="zmqnative-artifacts" value="{PackageFolder.Path}" />
              </packageSources>
            </configuration>
            """);
        // Stop MSBuild's search for Directory.*.props/targets here: whatever is above the temp
        // folder is not part of a user's fresh project.
        File.WriteAllText(Path.Combine(_app, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_app, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(_app, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_app, "consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_app, "Program.cs"), """
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
            """);

        _environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = _packages,                 // private packages folder: the global cache stays clean
            ["ZMQNATIVE_LIBZMQ"] = null,                    // the library must come from the package
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",              // no MSBuild node outliving the test
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",             // no compiler server either
        };
        // The test host runs inside `dotnet test`: its MSBuild settings must not leak into the
        // consumer's own builds.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && name != "MSBUILDDISABLENODEREUSE")
            {
                _environment[name] = null;
            }
        }
    }

    [TearDown]
    public void DeleteConsumerFolder()
    {
        if (_work.Length > 0 && Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Test]
    public void AddPackage_FreshConsoleProject_RoundTripsWithTheBundledLibzmq()
    {
        Dotnet("add", "package", "ZmqNative");
        Assert.That(File.ReadAllText(Path.Combine(_app, "consumer.csproj")),
            Does.Contain($"""<PackageReference Include="ZmqNative" Version="{PackageFolder.Version}" />"""));
        Assert.That(Directory.Exists(Path.Combine(_packages, $"runtime.{Repo.Rid}.zmqnative.native", PackageFolder.Version)), Is.True,
            "the runtime package came in through ZmqNative -> ZmqNative.Native, into the private packages folder (NUGET_PACKAGES)");

        Dotnet("build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false");
        string output = Dotnet("bin/Release/net10.0/consumer.dll");

        Assert.That(output, Does.Contain("round trip: Hello -> World"));
        Assert.That(output, Does.Contain("libzmq " + Repo.PinnedValue("LIBZMQ_VERSION")));
        var mapped = Regex.Matches(output, "^mapped (?<path>.+)$", RegexOptions.Multiline).Select(m => m.Groups["path"].Value.Trim()).ToList();
        Assert.That(mapped, Is.Not.Empty, "no libzmq in /proc/self/maps:\n" + output);
        string fromOutput = Path.Combine(_app, "bin", "Release", "net10.0", "runtimes", Repo.Rid, "native") + "/";
        string fromCache = Path.Combine(_packages, $"runtime.{Repo.Rid}.zmqnative.native") + "/";
        Assert.That(mapped, Has.All.StartsWith(fromOutput).Or.StartsWith(fromCache),
            "libzmq must come from the package (copied to the output's runtimes/ folder), never from /usr/lib:\n" + output);
        Assert.That(PackageFolder.Sha256(File.ReadAllBytes(mapped[0])), Is.EqualTo(PackageFolder.Sha256(File.ReadAllBytes(Path.Combine(Repo.NativeOut, "libzmq.so")))),
            "the mapped library is the one native/build-libzmq.sh built");
    }

    /// <summary>Runs `dotnet` in the consumer folder; fails the test with its output when it fails.</summary>
    private string Dotnet(params string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var (exit, output) = PackageFolder.Run(_app, _environment, ToolTimeout, dotnet, arguments);
        Assert.That(exit, Is.EqualTo(0), $"dotnet {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }
}
