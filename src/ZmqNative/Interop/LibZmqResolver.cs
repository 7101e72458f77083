using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace ZmqNative.Interop;

/// <summary>
/// Maps <see cref="LibZmq.LibraryName"/> to a file. One resolver for the whole assembly,
/// registered by <see cref="LibZmq"/>'s static constructor before the first native call.
/// Order (see <see cref="ZmqNativeLibrary"/>): the explicit path when one is set (and then
/// nothing else), <c>runtimes/&lt;rid&gt;/native/</c> beside the assembly and the app, the
/// assembly's and the app's own folder (a RID-specific publish flattens natives there), then
/// the system's libzmq by its usual names.
/// </summary>
internal static class LibZmqResolver
{
    private static readonly object Gate = new();
    private static int _registered;
    private static nint _handle;
    private static string? _loadedFrom;

    /// <summary>What <see cref="LoadedFrom"/> says when libzmq is linked into the executable (NativeAOT, ZmqNativeStaticLink=true).</summary>
    internal const string StaticallyLinked = "linked statically into the executable";

    /// <summary>
    /// The AppContext switch ZmqNative.Native's build targets set with ZmqNativeStaticLink=true:
    /// the P/Invokes are bound at link time (DirectPInvoke), so this resolver is never asked.
    /// </summary>
    internal const string StaticallyLinkedSwitch = "ZmqNative.StaticallyLinked";

    /// <summary>Where the loaded library came from, or null before the first native call.</summary>
    internal static string? LoadedFrom
    {
        get
        {
            lock (Gate)
            {
                return _loadedFrom ?? (IsStaticallyLinked ? StaticallyLinked : null);
            }
        }
    }

    internal static bool IsLoaded
    {
        get { lock (Gate) return _handle != 0 || IsStaticallyLinked; }
    }

    private static bool IsStaticallyLinked => AppContext.TryGetSwitch(StaticallyLinkedSwitch, out bool linked) && linked;

    internal static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(LibZmq).Assembly, Resolve);
        }
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "An empty Location (single-file app) is skipped; AppContext.BaseDirectory is tried as well.")]
    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibZmq.LibraryName)
        {
            return 0; // not ours: the runtime's default probing
        }

        lock (Gate)
        {
            if (_handle != 0)
            {
                return _handle;
            }

            var candidates = Candidates(
                ZmqNativeLibrary.EffectiveExplicitPath,
                [Path.GetDirectoryName(assembly.Location), AppContext.BaseDirectory],
                RuntimeRid(),
                CurrentOs());
            _handle = Load(candidates, TryLoadOne, out _loadedFrom);
            return _handle;
        }
    }

    /// <summary>One place the resolver looks, and how to describe it in an error.</summary>
    internal readonly record struct Candidate(string PathOrName, string Description, bool IsFile);

    /// <summary>The operating systems whose library names the resolver knows.</summary>
    internal enum Os { Linux, MacOS, Windows }

    /// <summary>The ordered places to look; pure, so the order is testable.</summary>
    internal static List<Candidate> Candidates(string? explicitPath, IEnumerable<string?> baseDirectories, string rid, Os os)
    {
        var result = new List<Candidate>();
        if (!string.IsNullOrEmpty(explicitPath))
        {
            // An explicit choice is authoritative: silently loading some other libzmq
            // when the one asked for is broken would hide the mistake.
            result.Add(new Candidate(Path.GetFullPath(explicitPath), "explicit path (ZmqNativeLibrary.Path or " + ZmqNativeLibrary.EnvironmentVariable + ")", IsFile: true));
            return result;
        }

        string fileName = os switch
        {
            Os.Windows => "libzmq.dll",
            Os.MacOS => "libzmq.dylib",
            _ => "libzmq.so",
        };

        var directories = baseDirectories
            .Where(d => !string.IsNullOrEmpty(d))
            .Select(d => Path.GetFullPath(d!))
            .Distinct(os == Os.Linux ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase)
            .ToList();

        foreach (var dir in directories)
        {
            result.Add(new Candidate(Path.Combine(dir, "runtimes", rid, "native", fileName), "bundled for " + rid, IsFile: true));
        }

        foreach (var dir in directories)
        {
            result.Add(new Candidate(Path.Combine(dir, fileName), "application folder", IsFile: true));
        }

        string[] systemNames = os switch
        {
            Os.Windows => ["libzmq.dll"],
            Os.MacOS => ["libzmq.5.dylib", "libzmq.dylib"],
            _ => ["libzmq.so.5", "libzmq.so"],
        };
        foreach (var name in systemNames)
        {
            result.Add(new Candidate(name, "system library search path", IsFile: false));
        }

        return result;
    }

    /// <summary>
    /// Tries each candidate in order; the first that loads wins. When none does, throws a
    /// <see cref="DllNotFoundException"/> that lists every place tried, why it failed, and how to fix it.
    /// </summary>
    internal static nint Load(IReadOnlyList<Candidate> candidates, Func<Candidate, (nint Handle, string? Error)> tryLoad, out string? loadedFrom)
    {
        var failures = new List<(Candidate Candidate, string Error)>();
        foreach (var candidate in candidates)
        {
            var (handle, error) = tryLoad(candidate);
            if (handle != 0)
            {
                loadedFrom = candidate.IsFile ? candidate.PathOrName : candidate.PathOrName + " (" + candidate.Description + ")";
                return handle;
            }

            failures.Add((candidate, error ?? "could not be loaded"));
        }

        throw new DllNotFoundException(FailureMessage(failures));
    }

    internal static string FailureMessage(IEnumerable<(Candidate Candidate, string Error)> failures)
    {
        var text = new StringBuilder("ZmqNative could not load libzmq. Tried, in order:");
        int i = 1;
        foreach (var (candidate, error) in failures)
        {
            text.Append('\n').Append("  ").Append(i++).Append(". ").Append(candidate.PathOrName)
                .Append(" [").Append(candidate.Description).Append("]: ").Append(error);
        }

        // On musl the glibc build beside it (runtimes/linux-<arch>/) is deliberately not tried: say why.
        string? muslRid = failures.Select(f => f.Candidate.Description)
            .FirstOrDefault(d => d.StartsWith("bundled for linux-musl-", StringComparison.Ordinal))?["bundled for ".Length..];
        if (muslRid is not null)
        {
            text.Append("\nThis process runs on musl (").Append(muslRid).Append("): it needs the package runtime.").Append(muslRid)
                .Append(".ZmqNative.Native (a glibc libzmq, such as runtimes/linux-").Append(muslRid["linux-musl-".Length..])
                .Append("/native/, does not load on musl and is never tried).");
        }

        text.Append("\nTo fix it, do one of these: reference the ZmqNative.Native package (it brings runtimes/<rid>/native/ for your platform); ")
            .Append("in this repository, run ./build.sh --target=Native; set the environment variable ")
            .Append(ZmqNativeLibrary.EnvironmentVariable)
            .Append(" or ZmqNativeLibrary.Path to the full path of a libzmq 4.3 library; or install libzmq5 from your system's packages.");
        return text.ToString();
    }

    private static (nint Handle, string? Error) TryLoadOne(Candidate candidate)
    {
        if (candidate.IsFile && !File.Exists(candidate.PathOrName))
        {
            return (0, "no such file");
        }

        try
        {
            return (NativeLibrary.Load(candidate.PathOrName), null);
        }
        catch (DllNotFoundException e)
        {
            return (0, e.Message);
        }
        catch (BadImageFormatException e)
        {
            return (0, "not a library for this platform: " + e.Message);
        }
    }

    /// <summary>
    /// The portable runtime id the build and the NuGet packages use (linux-x64, linux-musl-arm64,
    /// win-arm64, osx-arm64, ...). On musl (Alpine) it is linux-musl-&lt;arch&gt;: a glibc build
    /// in runtimes/linux-&lt;arch&gt;/ does not load there, so the resolver must never pick it.
    /// </summary>
    internal static string RuntimeRid() =>
        RuntimeRid(CurrentOs(), RuntimeInformation.ProcessArchitecture, CurrentOs() == Os.Linux && IsMusl(RuntimeInformation.RuntimeIdentifier, ReadMappedFiles));

    /// <summary>The portable runtime id for an OS, architecture and C library; pure, so testable for every platform.</summary>
    internal static string RuntimeRid(Os os, Architecture architecture, bool musl)
    {
        string name = os switch
        {
            Os.Windows => "win",
            Os.MacOS => "osx",
            _ => musl ? "linux-musl" : "linux",
        };
        string arch = architecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        return name + "-" + arch;
    }

    /// <summary>
    /// Whether this Linux process runs on musl. The runtime's own id says so for the official
    /// builds (linux-musl-x64) and for distribution builds (alpine.3.20-x64); otherwise the
    /// loader decides: a musl process maps musl's dynamic loader (ld-musl-*.so.1). A file on
    /// disk proves nothing (Debian's musl-tools installs ld-musl beside glibc), so only what is
    /// mapped into this process counts.
    /// </summary>
    internal static bool IsMusl(string runtimeIdentifier, Func<IEnumerable<string>> mappedFiles)
    {
        if (runtimeIdentifier.Contains("-musl", StringComparison.OrdinalIgnoreCase)
            || runtimeIdentifier.StartsWith("alpine", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var file in mappedFiles())
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith("ld-musl-", StringComparison.Ordinal) || name.StartsWith("libc.musl-", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The files mapped into this process (/proc/self/maps), or none when it cannot be read.</summary>
    private static IEnumerable<string> ReadMappedFiles()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/maps");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return lines.Select(l => l.IndexOf('/') is var at and >= 0 ? l[at..] : "").Where(f => f.Length > 0).Distinct();
    }

    internal static Os CurrentOs() =>
        OperatingSystem.IsWindows() ? Os.Windows
        : OperatingSystem.IsMacOS() ? Os.MacOS
        : Os.Linux;
}
