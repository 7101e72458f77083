using System.Runtime.CompilerServices;

namespace ZmqNative.Perf;

/// <summary>zmqperf's own switches, which the C tools do not have; they follow the tool's arguments.</summary>
internal sealed record PerfOptions(bool Span, bool Info, bool Warmup, bool Async = false)
{
    public static PerfOptions Parse(string[] args, out string[] rest)
    {
        bool span = false, info = false, warmup = false, async = false;
        var positional = new List<string>();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--span":
                    span = true;
                    break;
                case "--info":
                    info = true;
                    break;
                case "--warmup":
                    warmup = true;
                    break;
                case "--async":
                    async = true;
                    break;
                default:
                    positional.Add(arg);
                    break;
            }
        }

        rest = [.. positional];
        return new PerfOptions(span, info, warmup, async);
    }

    /// <summary>Says which libzmq ran and how the JIT was set, so a comparison can be checked after the fact.</summary>
    public static void PrintInfo()
    {
        Console.Error.WriteLine($"libzmq: {ZmqNativeLibrary.LoadedFrom} ({Zmq.LibraryVersion})");
        Console.Error.WriteLine($"runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
            $"TieredCompilation={Setting("System.Runtime.TieredCompilation", "DOTNET_TieredCompilation")}, " +
            $"TieredPGO={Setting("System.Runtime.TieredPGO", "DOTNET_TieredPGO")}, " +
            $"ReadyToRun={Setting("System.Runtime.ReadyToRun", "DOTNET_ReadyToRun")}, " +
            $"dynamic code compiled={RuntimeFeature.IsDynamicCodeCompiled}");
        if (Perf.Warmup.Summary is { } warmup)
        {
            Console.Error.WriteLine(warmup);
        }
    }

    private static string Setting(string runtimeConfig, string environment) =>
        Environment.GetEnvironmentVariable(environment)
        ?? AppContext.GetData(runtimeConfig)?.ToString()
        ?? "default";
}
