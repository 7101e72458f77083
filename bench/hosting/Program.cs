using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZmqNative;
using ZmqNative.Extensions.Hosting;
using ZmqNative.Patterns.Majordomo;

int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
int requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4000;
int lanes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ZmqNative:MajordomoBroker:Endpoints:0"] = "tcp://127.0.0.1:*",
    ["ZmqNative:MajordomoWorkers:echo:Instances"] = "4",
    ["ZmqNative:MajordomoClient:MaxConcurrentRequests"] = lanes.ToString(CultureInfo.InvariantCulture),
});
builder.Logging.ClearProviders();
builder.Services.AddZmqNative().AddMajordomoBroker()
    .AddMajordomoWorker("echo", (_, request, _) => ValueTask.FromResult(request.Frames))
    .AddMajordomoRequester();
using var host = builder.Build();
await host.StartAsync();
var context = host.Services.GetRequiredService<ZmqContext>();
var requester = host.Services.GetRequiredService<MajordomoRequester>();
string broker = host.Services.GetRequiredService<MajordomoBrokerService>().Endpoints[0];
byte[][] body = [new byte[32]];

// Plain clients: one MajordomoClient per lane, each on its own thread (what an application would hand-write).
double Direct()
{
    var clients = Enumerable.Range(0, lanes).Select(_ => new MajordomoClient(context, broker)).ToList();
    var watch = Stopwatch.StartNew();
    Parallel.For(0, lanes, new ParallelOptions { MaxDegreeOfParallelism = lanes }, lane =>
    {
        for (int i = lane; i < requests; i += lanes)
        {
            _ = clients[lane].Send("echo", body) ?? throw new InvalidOperationException("no reply");
        }
    });
    double rate = requests / watch.Elapsed.TotalSeconds;
    clients.ForEach(c => c.Dispose());
    return rate;
}

// The requester: the same number of requests in flight, from async callers as a web endpoint would be.
async Task<double> Pooled()
{
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, lanes).Select(async lane =>
    {
        for (int i = lane; i < requests; i += lanes)
        {
            _ = await requester.RequestAsync("echo", body) ?? throw new InvalidOperationException("no reply");
        }
    }));
    return requests / watch.Elapsed.TotalSeconds;
}

Direct();
await Pooled(); // warm-up, not counted
var direct = new List<double>();
var pooled = new List<double>();
for (int round = 1; round <= rounds; round++)
{
    direct.Add(Direct());
    pooled.Add(await Pooled());
    Console.WriteLine($"round {round}: direct {direct[^1]:F0} req/s, requester {pooled[^1]:F0} req/s");
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

Console.WriteLine($"{requests} requests x {rounds} rounds, {lanes} in flight, 4 workers, tcp loopback");
Console.WriteLine($"direct MajordomoClient: median {Median(direct):F0} req/s (min {direct.Min():F0}, max {direct.Max():F0})");
Console.WriteLine($"MajordomoRequester:     median {Median(pooled):F0} req/s (min {pooled.Min():F0}, max {pooled.Max():F0})");
Console.WriteLine($"requester / direct:     {Median(pooled) / Median(direct):F2}");
await host.StopAsync();
