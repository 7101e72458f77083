using System.Runtime.InteropServices;
using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// Chooses which libzmq file ZmqNative loads, and tells which one it loaded.
/// </summary>
/// <remarks>
/// <para>By default ZmqNative loads the libzmq it ships: <c>runtimes/&lt;rid&gt;/native/</c> beside
/// the ZmqNative assembly or the application (where the runtime NuGet packages and this
/// repository's build put it), then the application's own folder, then the system's libzmq
/// (<c>libzmq.so.5</c>, <c>libzmq.5.dylib</c>, <c>libzmq.dll</c>).</para>
/// <para>An explicit path, from <see cref="Path"/> or the environment variable named by
/// <see cref="EnvironmentVariable"/>, replaces that search: only that file is tried, so a
/// mistake in it is reported instead of hidden by another libzmq. <see cref="Path"/> wins over
/// the environment variable.</para>
/// <para>The library is loaded once, on the first call into libzmq, and stays loaded for the
/// life of the process. When nothing loads, that first call throws a
/// <see cref="DllNotFoundException"/> listing every place tried and how to fix it.</para>
/// </remarks>
public static class ZmqNativeLibrary
{
    /// <summary>The environment variable that may hold the full path of the libzmq to load.</summary>
    public const string EnvironmentVariable = "ZMQNATIVE_LIBZMQ";

    private static string? _path;

    /// <summary>
    /// The full path of the libzmq file to load instead of searching, or null to search.
    /// Set it before the first use of ZmqNative.
    /// </summary>
    /// <exception cref="InvalidOperationException">libzmq has already been loaded.</exception>
    public static string? Path
    {
        get => Volatile.Read(ref _path);
        set
        {
            if (LibZmqResolver.IsLoaded)
            {
                throw new InvalidOperationException(
                    "libzmq is already loaded from " + LibZmqResolver.LoadedFrom + "; set ZmqNativeLibrary.Path before the first use of ZmqNative.");
            }

            Volatile.Write(ref _path, value);
        }
    }

    /// <summary>
    /// Where the loaded libzmq came from (a full path, or a library name followed by how it was
    /// found), or null when no call into libzmq has been made yet.
    /// </summary>
    public static string? LoadedFrom => LibZmqResolver.LoadedFrom;

    /// <summary>
    /// ZmqNative's patch level of the loaded libzmq: how many of ZmqNative's fixes for defects
    /// found upstream after the release (<c>native/patches/fix-*.patch</c>, listed in
    /// <c>native/CARRIED-FIXES.md</c>) it was built with; null for a libzmq built without
    /// ZmqNative's patches, such as a system libzmq.
    /// </summary>
    /// <remarks>
    /// The library reports it itself (<c>zmq_zmqnative_patch_level</c>, which ZmqNative's build
    /// adds), so the number always describes the file actually loaded. Reading it loads libzmq
    /// if no call has yet.
    /// </remarks>
    public static int? PatchLevel => PatchLevelOfLoadedLibrary.Value;

    /// <summary>
    /// The loaded libzmq's version with ZmqNative's patch level, in the form
    /// <c>4.3.4+zmqnative.N</c>, N counting native/patches/fix-*.patch (semantic versioning's build metadata), or just the
    /// <c>zmq_version</c> numbers (<c>4.3.4</c>) for a libzmq without ZmqNative's patches.
    /// </summary>
    public static string Version
    {
        get
        {
            string release = ReleaseOfLoadedLibrary();
            return PatchLevel is int level ? $"{release}+zmqnative.{level}" : release;
        }
    }

    private static readonly Lazy<int?> PatchLevelOfLoadedLibrary = new(ReadPatchLevel);

    private static int? ReadPatchLevel()
    {
        // The import is LibZmq's, whose static constructor registers the resolver first, so it
        // loads the same file as every other call.
        try
        {
            return LibZmq.zmq_zmqnative_patch_level();
        }
        catch (EntryPointNotFoundException)
        {
            return null; // not built by ZmqNative: an unpatched libzmq
        }
    }

    /// <summary>zmq_version(3) as <c>major.minor.patch</c>, read here rather than from the safe layer's <c>Zmq</c>: this is a foundation type (docs/architecture.md).</summary>
    private static unsafe string ReleaseOfLoadedLibrary()
    {
        int major, minor, patch;
        LibZmq.zmq_version(&major, &minor, &patch);
        return $"{major}.{minor}.{patch}";
    }

    /// <summary>The explicit path in force: <see cref="Path"/>, else the environment variable, else null.</summary>
    internal static string? EffectiveExplicitPath
    {
        get
        {
            string? path = Path;
            if (!string.IsNullOrEmpty(path))
            {
                return path;
            }

            string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment;
        }
    }
}
