using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Packaging;

/// <summary>
/// artifacts/packages/, where build.cake's Pack target writes the NuGet packages, and what the
/// packaging tests need to read them. The Test target runs Pack first; run outside Cake, the
/// tests fail with the command that makes the packages.
/// </summary>
internal static class PackageFolder
{
    /// <summary>The runtime ids native/packaging/ has a runtime package project for, and each one's library file.</summary>
    public static readonly IReadOnlyDictionary<string, string> RuntimeLibraries = new Dictionary<string, string>
    {
        ["linux-x64"] = "libzmq.so",
        ["linux-arm64"] = "libzmq.so",
        ["linux-musl-x64"] = "libzmq.so",
        ["linux-musl-arm64"] = "libzmq.so",
        ["win-x64"] = "libzmq.dll",
        ["win-arm64"] = "libzmq.dll",
        ["osx-x64"] = "libzmq.dylib",
        ["osx-arm64"] = "libzmq.dylib",
    };

    public static string Path => System.IO.Path.Combine(Repo.Root, "artifacts", "packages");

    /// <summary>The version every package carries: VersionPrefix (and VersionSuffix, if any) in Directory.Build.props.</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>The full path of package <paramref name="id"/> at <see cref="Version"/>; fails the test, saying how to make it, when it is missing.</summary>
    public static string Require(string id, string extension = ".nupkg")
    {
        string file = System.IO.Path.Combine(Path, $"{id}.{Version}{extension}");
        if (!File.Exists(file))
        {
            Assert.Fail($"{file} does not exist: make the packages with ./build.sh --target=Pack (the Test target does it first)");
        }

        return file;
    }

    /// <summary>The runtime ids whose runtime.&lt;rid&gt;.ZmqNative.Native package is in the folder.</summary>
    public static List<string> PackedRuntimes()
    {
        Require("ZmqNative");
        return RuntimeLibraries.Keys
            .Where(rid => File.Exists(System.IO.Path.Combine(Path, $"runtime.{rid}.ZmqNative.Native.{Version}.nupkg")))
            .ToList();
    }

    /// <summary>The runtime ids with a native build in native/out/ (what Pack packs).</summary>
    public static List<string> BuiltRuntimes() =>
        RuntimeLibraries.Where(kv => File.Exists(System.IO.Path.Combine(Repo.Root, "native", "out", kv.Key, kv.Value)))
            .Select(kv => kv.Key)
            .ToList();

    /// <summary>The entries of a package, without the files NuGet itself adds (_rels/, [Content_Types].xml, package/, the .nuspec).</summary>
    public static List<string> ContentEntries(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        return zip.Entries.Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal)
                && !n.StartsWith("package/", StringComparison.Ordinal)
                && n != "[Content_Types].xml"
                && !(n.EndsWith(".nuspec", StringComparison.Ordinal) && !n.Contains('/')))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The package's .nuspec (its metadata element).</summary>
    public static XElement Metadata(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var nuspec = zip.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    /// <summary>One element of the metadata by local name (the nuspec namespace varies with the features used).</summary>
    public static XElement? Child(this XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>The bytes of one entry.</summary>
    public static byte[] ReadEntry(string package, string entry)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry(entry)?.Open() ?? throw new AssertionException($"{package} has no {entry}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The SHA-256 of some bytes, as hex: compares large files quickly and reads well in a failure.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));

    /// <summary>
    /// Runs a program to completion within <paramref name="timeout"/> with the given environment
    /// changes (null value: removed), and returns its exit code and combined output.
    /// </summary>
    public static (int ExitCode, string Output) Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        // Bounded as well: a grandchild that kept the pipes open (a build server) must not hang the test.
        if (!Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(30)))
        {
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} exited but its output stayed open (a build server left running?)");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string ReadVersion()
    {
        var props = XDocument.Load(System.IO.Path.Combine(Repo.Root, "Directory.Build.props"));
        string? Value(string name) => props.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
        string prefix = Value("VersionPrefix") ?? throw new InvalidOperationException("Directory.Build.props has no VersionPrefix");
        string? suffix = Value("VersionSuffix");
        return string.IsNullOrEmpty(suffix) ? prefix : prefix + "-" + suffix;
    }
}
