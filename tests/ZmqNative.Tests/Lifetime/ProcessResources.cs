using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace ZmqNative.Tests.Lifetime;

/// <summary>What the process holds (Linux /proc): open descriptors and anonymous memory, for leak tests.</summary>
internal static class ProcessResources
{
    /// <summary>The number of open file descriptors (/proc/self/fd).</summary>
    public static int OpenFileDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    /// <summary>Resident anonymous memory in bytes (RssAnon in /proc/self/status): heaps, native and managed.</summary>
    public static long ResidentAnonymousBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                var kilobytes = line["RssAnon:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no RssAnon in /proc/self/status");
    }

    /// <summary>Collects everything collectable and runs the finalizers, so that released memory is released.</summary>
    public static void CollectEverything()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, collecting garbage between checks, at most
    /// <paramref name="timeout"/>. For state libzmq changes asynchronously with nothing to wait on
    /// (its reaper thread closing descriptors).
    /// </summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(5);
        }

        return true;
    }
}
