using System.Globalization;

namespace ZmqNative.Fuzz.Tests.Support;

/// <summary>A server's file descriptors and memory at one moment.</summary>
/// <param name="FileDescriptors">Entries in /proc/&lt;pid&gt;/fd.</param>
/// <param name="MemoryBytes">VmRSS from /proc/&lt;pid&gt;/status for a process; the managed heap after a full collection for an in-process server.</param>
/// <param name="What">What <paramref name="MemoryBytes"/> measures, for messages.</param>
internal sealed record ResourceSample(int FileDescriptors, long MemoryBytes, string What)
{
    /// <summary>A process's open descriptors and resident set size (proc(5)).</summary>
    public static ResourceSample OfProcess(int pid)
    {
        int fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        long rss = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:	   35000 kB"
                rss = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return new ResourceSample(fds, rss, "RSS");
    }

    /// <summary>
    /// This process (for servers running in-process): its descriptors, and the managed heap after a
    /// full collection, which is where a server's queued messages live (byte[] frames).
    /// </summary>
    public static ResourceSample OfThisProcess()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new ResourceSample(Directory.GetFileSystemEntries("/proc/self/fd").Length, GC.GetTotalMemory(forceFullCollection: true), "managed heap");
    }

    public override string ToString() => $"{FileDescriptors} fds, {What} {MemoryBytes / (1024.0 * 1024.0):F1} MiB";
}
