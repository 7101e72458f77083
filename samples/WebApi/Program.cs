using System.Text;
using ZmqNative.Extensions.Hosting;

// A web API in front of a Majordomo service: GET /echo/{text} sends the text to the "echo" service through the
// broker configured in appsettings.json (the WorkerService sample's, tcp://localhost:5555) and returns the reply.
// Sockets are used by one thread at a time, so requests go through MajordomoRequester, a pool of clients.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddZmqNative().AddMajordomoRequester();
builder.Services.AddHealthChecks().AddCheck<ZmqContextHealthCheck>("zmq-context");

var app = builder.Build();
app.MapGet("/echo/{text}", async (string text, MajordomoRequester requester, CancellationToken cancellation) =>
{
    var reply = await requester.RequestAsync("echo", [Encoding.UTF8.GetBytes(text)], cancellation);
    return reply is null
        ? Results.Problem("the echo service did not answer", statusCode: StatusCodes.Status504GatewayTimeout)
        : Results.Ok(new { text = Encoding.UTF8.GetString(reply[0]), handledAt = reply.Count > 1 ? Encoding.UTF8.GetString(reply[1]) : null });
});
app.MapHealthChecks("/health");
app.Run();
