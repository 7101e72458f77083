using System.Diagnostics;

namespace ZmqNative.Examples.Tests.Support;

/// <summary>What a finished `zguide` process printed.</summary>
internal sealed record ZguideResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs `zguide` as a real process (dotnet zguide.dll), the way a user runs an example.</summary>
internal static class Zguide
{
    /// <summary>The folder the build copied zguide.dll, ZmqNative.dll and runtimes/ into: this test's output folder.</summary>
    public static string Directory => TestContext.CurrentContext.TestDirectory;

    /// <summary>This machine's runtime id, the name of the runtimes/&lt;rid&gt;/native/ folder the library is in.</summary>
    public static string Rid => System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;

    /// <summary>Runs zguide with the given arguments and waits at most <paramref name="timeout"/> for it to end.</summary>
    public static ZguideResult Run(string[] arguments, TimeSpan timeout, IDictionary<string, string?>? environment = null, string? directory = null) =>
        RunApp("zguide.dll", arguments, timeout, environment, directory);

    /// <summary>Runs another app built into the same folder (zmqperf.dll) the same way.</summary>
    public static ZguideResult RunApp(string dll, string[] arguments, TimeSpan timeout, IDictionary<string, string?>? environment = null, string? directory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(directory ?? Directory, dll));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("ZMQNATIVE_LIBZMQ");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileNameWithoutExtension(dll)} {string.Join(' ', arguments)} did not end within {timeout}; output so far:\n{stdout.Result}\n{stderr.Result}");
        }

        process.WaitForExit(); // flushes the redirected streams
        return new ZguideResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
