using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ZmqNative.Extensions.Hosting.Tests.Support;

/// <summary>A generic host (Host.CreateApplicationBuilder) with in-memory configuration, captured logs and a metrics listener.</summary>
public static class TestHost
{
    /// <summary>Heartbeats short enough that expiry tests finish quickly.</summary>
    public const string Heartbeat = "00:00:00.2";

    public static HostApplicationBuilder Builder(Dictionary<string, string?> settings, LogCapture logs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
        builder.Services.AddSingleton<ScopeLog>();
        builder.Services.AddScoped<RequestScope>();

        // The bound the tests check: with the context's ShutdownGrace working, no service needs this long.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        return builder;
    }

    public static MetricCapture Metrics(IHost host) => new(host.Services.GetService<IMeterFactory>());
}
