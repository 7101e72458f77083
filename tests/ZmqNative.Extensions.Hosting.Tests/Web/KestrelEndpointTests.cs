using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZmqNative.Extensions.Hosting.Tests.Support;

namespace ZmqNative.Extensions.Hosting.Tests.Web;

/// <summary>
/// An ASP.NET Core app on Kestrel (127.0.0.1, a port the OS picks) whose endpoint sends each HTTP request through a
/// Majordomo broker to workers in the same host, driven by HttpClient with many requests at once.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class KestrelEndpointTests
{
    [Test]
    public async Task Endpoint_ConcurrentHttpRequests_EveryOneAnsweredThenShutdownWithinItsBound()
    {
        var logs = new LogCapture();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ZmqNative:ShutdownGrace"] = "00:00:01",
            ["ZmqNative:MajordomoBroker:Endpoints:0"] = "tcp://127.0.0.1:*",
            ["ZmqNative:MajordomoWorkers:echo:Instances"] = "4",
            ["ZmqNative:MajordomoClient:MaxConcurrentRequests"] = "16",
            ["ZmqNative:MajordomoClient:Timeout"] = "00:00:05",
        });
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        builder.Services.AddSingleton<ScopeLog>().AddScoped<RequestScope>();
        builder.Services.AddZmqNative()
            .AddMajordomoBroker()
            .AddMajordomoWorker<EchoHandler>("echo")
            .AddMajordomoRequester();
        await using var app = builder.Build();
        app.MapGet("/echo/{text}", async (string text, MajordomoRequester requester, CancellationToken cancellation) =>
            await requester.RequestAsync("echo", text, cancellation) is { } reply ? Results.Text(reply) : Results.StatusCode(StatusCodes.Status504GatewayTimeout));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        const int Requests = 200;
        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            using var response = await http.GetAsync($"/echo/r{i}");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(responses.Select(r => r.Body), Is.EqualTo(Enumerable.Range(0, Requests).Select(i => $"r{i}")), "every request answered with its own reply");

        // Bounded shutdown: every ZeroMQ service stops within its own bound (no event 1005), well inside the host's timeout.
        var stop = app.StopAsync();
        Assert.That(await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(30))), Is.SameAs(stop), "the host stopped");
        Assert.That(logs.Entries.Any(e => e.EventId == 1005), Is.False, "no service outlived its stop bound");
        Assert.That(logs.Entries.Where(e => e.EventId == 1003).Select(e => e.Fields["Component"]), Does.Contain("Majordomo broker").And.Contain("Majordomo worker echo"));
    }
}
