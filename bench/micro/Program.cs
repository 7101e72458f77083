using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// A short job run in this process (no generated project to build), so the whole suite takes a
// few minutes on two cores: enough to see tens of nanoseconds, not to publish third digits.
// Pass BenchmarkDotNet's own arguments, e.g. --filter '*TryReceive*', or --job default for longer runs.
var job = Job.ShortRun
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithWarmupCount(3)
    .WithIterationCount(5)
    .WithLaunchCount(1);

var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithArtifactsPath(Path.Combine(Environment.CurrentDirectory, "artifacts", "bench", "micro"))
    .WithOptions(ConfigOptions.JoinSummary);

BenchmarkSwitcher.FromAssembly(typeof(ZmqNative.Benchmarks.SocketPair).Assembly).Run(args, config);
