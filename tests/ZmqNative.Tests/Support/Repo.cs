using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ZmqNative.Tests.Support;

/// <summary>Paths into the repository and the native build, found from the test output folder.</summary>
internal static class Repo
{
    /// <summary>The repository root, recorded at build time (the output may be outside the repository).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>This machine's runtime id as the native build names it (linux-x64, ...).</summary>
    public static string Rid { get; } = RuntimeInformation.RuntimeIdentifier;

    /// <summary>native/out/&lt;rid&gt;/, where native/build-libzmq.sh put the library, zmq.h and the perf tools.</summary>
    public static string NativeOut => Path.Combine(Root, "native", "out", Rid);

    /// <summary>The built library in native/out/&lt;rid&gt;/.</summary>
    public static string BuiltLibrary => Path.Combine(NativeOut, "libzmq.so");

    /// <summary>The copy of the library the build placed beside the tests (what the resolver loads).</summary>
    public static string BundledLibrary =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "runtimes", Rid, "native", "libzmq.so");

    /// <summary>A value from native/libzmq.version (KEY=value lines).</summary>
    public static string PinnedValue(string key) =>
        File.ReadLines(Path.Combine(Root, "native", "libzmq.version"))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(key + "=", StringComparison.Ordinal))
            .Select(l => l[(key.Length + 1)..])
            .Single();

    private static string FindRoot()
    {
        string? root = typeof(Repo).Assembly.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (root is null || !File.Exists(Path.Combine(root, "native", "libzmq.version")))
        {
            throw new InvalidOperationException($"the repository root recorded at build time ({root}) has no native/libzmq.version");
        }

        return Path.GetFullPath(root);
    }

    /// <summary>Runs a tool to completion (bounded) and returns its exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunTool(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish within 2 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
