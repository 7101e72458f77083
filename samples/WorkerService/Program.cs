using System.Text;
using ZmqNative.Extensions.Hosting;

// A worker service hosting a Majordomo broker (RFC 7) and the workers of one service, "echo".
// Everything is configured in appsettings.json ("ZmqNative" section); Ctrl+C stops it within its linger.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddZmqNative()
    .AddMajordomoBroker()
    .AddMajordomoWorker<EchoHandler>("echo");
builder.Services.AddSingleton(TimeProvider.System);

builder.Build().Run();

/// <summary>Answers "echo" requests with the request's text and the time it was handled; one instance per request (scoped).</summary>
internal sealed class EchoHandler(TimeProvider clock, ILogger<EchoHandler> logger) : IZmqRequestHandler
{
    public ValueTask<IReadOnlyList<byte[]>> HandleAsync(ZmqRequest request, CancellationToken cancellation)
    {
        string text = request.Frames.Count > 0 ? Encoding.UTF8.GetString(request.Frames[0]) : string.Empty;
        logger.LogDebug("echo {Text}", text);
        IReadOnlyList<byte[]> reply = [Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(clock.GetUtcNow().ToString("O"))];
        return ValueTask.FromResult(reply);
    }
}
