namespace ZmqNative.Perf;

/// <summary>One zmqperf subcommand: its name, its usage line (as the C tool prints it) and its entry point.</summary>
internal sealed record PerfTool(string Name, string Usage, Func<string[], PerfOptions, int> Run);

/// <summary>Every tool zmqperf knows.</summary>
internal static class PerfTools
{
    public static IReadOnlyList<PerfTool> All { get; } =
    [
        new("local_thr", LocalThr.Usage, LocalThr.Run),
        new("remote_thr", RemoteThr.Usage, RemoteThr.Run),
        new("local_lat", LocalLat.Usage, LocalLat.Run),
        new("remote_lat", RemoteLat.Usage, RemoteLat.Run),
        new("inproc_thr", InprocThr.Usage, InprocThr.Run),
        new("inproc_lat", InprocLat.Usage, InprocLat.Run),
        new("proxy_thr", ProxyThr.Usage, ProxyThr.Run),
        new("zerocopy_thr", ZeroCopyThr.Usage, ZeroCopyThr.Run),
    ];

    public static PerfTool? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
