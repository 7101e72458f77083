using System.Diagnostics;
using System.Text;

namespace ZmqNative.Generator;

/// <summary>Finds and runs the clang executable; every fact the generator uses comes from a clang run.</summary>
internal static class Clang
{
    /// <summary>The names looked for on PATH, in order: a plain <c>clang</c> first, then versioned ones, newest first.</summary>
    internal static readonly string[] CandidateNames =
        ["clang", "clang-19", "clang-18", "clang-17", "clang-16", "clang-15", "clang-14"];

    internal static string? Find()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        string[] folders = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string suffix = OperatingSystem.IsWindows() ? ".exe" : string.Empty;
        foreach (string name in CandidateNames)
        {
            foreach (string folder in folders)
            {
                string candidate = Path.Combine(folder, name + suffix);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    internal readonly record struct Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs clang with <paramref name="arguments"/> in <paramref name="workingDirectory"/> and collects both streams.</summary>
    internal static Result Run(string clangPath, string workingDirectory, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(clangPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Diagnostics in plain English whatever the machine's locale.
        startInfo.Environment["LC_ALL"] = "C";

        using Process process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start {clangPath}");
        // Read both streams concurrently: an AST dump is megabytes, and a full stderr pipe would block clang.
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs clang and throws with its diagnostics unless it exits with 0.</summary>
    internal static string RunChecked(string clangPath, string workingDirectory, IReadOnlyList<string> arguments)
    {
        Result result = Run(clangPath, workingDirectory, arguments);
        if (result.ExitCode != 0)
        {
            throw new GeneratorException(
                $"{clangPath} {string.Join(' ', arguments)} exited with {result.ExitCode}:{Environment.NewLine}{result.StandardError}");
        }

        return result.StandardOutput;
    }
}

/// <summary>A problem the generator reports instead of writing a wrong file.</summary>
public sealed class GeneratorException : Exception
{
    /// <summary>Creates the exception with a message for the person running the generator.</summary>
    public GeneratorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public GeneratorException()
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public GeneratorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
