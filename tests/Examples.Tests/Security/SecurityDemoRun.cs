using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Security;

/// <summary>Runs one of the security demos on a free port, server and client in one process, to its end.</summary>
internal static class SecurityDemoRun
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs `zguide NAME --bind ... --connect ... OPTIONS` and waits for it to exit.</summary>
    public static ZguideResult Run(string example, params string[] options)
    {
        int port = ZguideProcess.FreePort();
        return Zguide.Run([example, "--bind", $"tcp://127.0.0.1:{port}", "--connect", $"tcp://127.0.0.1:{port}", .. options], Timeout);
    }

    /// <summary>The demo's own lines, without the authenticator's verbose log ("I: " lines).</summary>
    public static string[] Lines(ZguideResult result) =>
        [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("I: ", StringComparison.Ordinal))];

    /// <summary>Output for assertion messages.</summary>
    public static string Output(ZguideResult result) => result.Stdout + result.Stderr;
}
