namespace ZmqNative.Examples.Chapter1;

/// <summary>
/// version: reports the ZeroMQ version (Guide chapter 1, "Version Reporting"). The first line
/// is the Guide's; the rest say which build of libzmq (its version and ZmqNative's patch level,
/// native/CARRIED-FIXES.md), which binding and which library file this is, and what it can do.
/// </summary>
[Example("version", 1, "prints the libzmq version, the binding's version and the library's capabilities", "zguide version")]
internal static class VersionExample
{
    public static int Run(string[] args)
    {
        var version = Zmq.LibraryVersion;
        Console.WriteLine($"Current 0MQ version is {version.Major}.{version.Minor}.{version.Build}");
        Console.WriteLine($"libzmq build {ZmqNativeLibrary.Version}{(ZmqNativeLibrary.PatchLevel is null ? " (without ZmqNative's fixes)" : "")}");
        Console.WriteLine($"ZmqNative version {Zmq.BindingVersion}");
        Console.WriteLine($"libzmq loaded from {ZmqNativeLibrary.LoadedFrom}");
        var has = Zmq.KnownCapabilities.Where(Zmq.Has).ToList();
        var lacks = Zmq.KnownCapabilities.Where(c => !has.Contains(c)).ToList();
        Console.WriteLine($"capabilities: {string.Join(' ', has)}");
        Console.WriteLine($"not available: {(lacks.Count == 0 ? "-" : string.Join(' ', lacks))}");
        return 0;
    }
}
