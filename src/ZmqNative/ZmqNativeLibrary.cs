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
