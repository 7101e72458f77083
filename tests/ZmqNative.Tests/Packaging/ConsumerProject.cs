using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Packaging;

/// <summary>
/// A fresh console project outside the repository, as a user would make one: its only package
/// sources are the folders given (artifacts/packages, or a feed a test packed), its packages
/// are restored into a private folder (the global NuGet cache never holds ours), and nothing
/// from the repository's Directory.*.props or the test host's MSBuild settings reaches it.
/// </summary>
internal sealed class ConsumerProject : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(4);

    private readonly Dictionary<string, string?> _environment;

    /// <param name="name">part of the temporary folder's name.</param>
    /// <param name="packageSources">the package sources: only these, unless <paramref name="alsoUserSources"/>.</param>
    /// <param name="projectItems">MSBuild XML added to the project (properties, package references).</param>
    /// <param name="program">Program.cs.</param>
    /// <param name="packagesFolder">the packages folder; a private one in the temporary folder when null.</param>
    /// <param name="alsoUserSources">keep the machine's configured sources too (for packages the SDK does not carry, such as the NativeAOT compiler).</param>
    public ConsumerProject(string name, IEnumerable<string> packageSources, string projectItems, string program, string? packagesFolder = null, bool alsoUserSources = false)
    {
        Work = Directory.CreateTempSubdirectory($"zmqnative-{name}-").FullName;
        Assert.That(Work, Does.Not.StartWith(Repo.Root), "the consumer must live outside the repository");
        App = Directory.CreateDirectory(Path.Combine(Work, "consumer")).FullName;
        Packages = packagesFolder ?? Path.Combine(Work, "nuget-packages");

        // Only the given sources: the SDK's own packs (the net10.0 targeting and apphost packs)
        // are on disk, so restore needs no other source.
        string sources = string.Join("\n", packageSources.Select((s, i) => $"""    <add key="zmqnative-{i}" value="{s}" />"""));
        File.WriteAllText(Path.Combine(App, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                {(alsoUserSources ? "" : "<clear />")}
            {sources}
              </packageSources>
            </configuration>
            """);
        // Stop MSBuild's search for Directory.*.props/targets here: whatever is above the temp
        // folder is not part of a user's fresh project.
        File.WriteAllText(Path.Combine(App, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(App, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(App, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(App, "consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            {projectItems}
            </Project>
            """);
        File.WriteAllText(Path.Combine(App, "Program.cs"), program);

        _environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = Packages,                  // private packages folder: the global cache stays clean
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
        foreach (var variable in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (variable.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && variable != "MSBUILDDISABLENODEREUSE")
            {
                _environment[variable] = null;
            }
        }
    }

    /// <summary>The temporary folder holding everything; deleted by <see cref="Dispose"/>.</summary>
    public string Work { get; }

    /// <summary>The project folder.</summary>
    public string App { get; }

    /// <summary>The private NuGet packages folder (NUGET_PACKAGES).</summary>
    public string Packages { get; }

    /// <summary>Runs `dotnet` in the project folder; fails the test with its output when it fails.</summary>
    public string Dotnet(params string[] arguments)
    {
        var (exit, output) = TryDotnet(arguments);
        Assert.That(exit, Is.EqualTo(0), $"dotnet {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }

    /// <summary>Runs `dotnet` in the project folder (bounded) and returns its exit code and output.</summary>
    public (int ExitCode, string Output) TryDotnet(params string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        return PackageFolder.Run(App, _environment, ToolTimeout, dotnet, arguments);
    }

    public void Dispose()
    {
        if (Directory.Exists(Work))
        {
            Directory.Delete(Work, recursive: true);
        }
    }
}
