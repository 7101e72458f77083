using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Pirate;

/// <summary>
/// The two bound ROUTER sockets of a Pirate queue (frontend for clients, backend for workers) and
/// their endpoints, read once at bind time: once the queue's loop polls the sockets, no other
/// thread may touch them.
/// </summary>
internal sealed class QueueSockets : IDisposable
{
    /// <summary>Creates both ROUTERs, lets <paramref name="configureBackend"/> set options, binds; closes both if anything fails.</summary>
    public QueueSockets(ZmqContext context, string frontend, string backend, Action<ZmqSocket>? configureBackend = null, long? maxMessageSize = null)
    {
        Frontend = context.CreateSocket(ZmqSocketType.Router);
        Backend = context.CreateSocket(ZmqSocketType.Router);
        try
        {
            if (maxMessageSize is { } size)
            {
                // zmq_setsockopt(3) ZMQ_MAXMSGSIZE: a peer sending a larger frame is disconnected.
                Frontend.MaxMessageSize = size;
                Backend.MaxMessageSize = size;
            }

            configureBackend?.Invoke(Backend);
            Frontend.Bind(frontend);
            Backend.Bind(backend);
            FrontendEndpoint = Frontend.LastEndpoint;
            BackendEndpoint = Backend.LastEndpoint;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ZmqSocket Frontend { get; }

    public ZmqSocket Backend { get; }

    public string FrontendEndpoint { get; }

    public string BackendEndpoint { get; }

    /// <summary>A poller with the backend read and the frontend parked (read only while a worker is idle), plus the cancellation wake socket.</summary>
    public ZmqPoller CreatePoller(CancellationWake? wake)
    {
        var poller = new ZmqPoller();
        poller.Add(Backend, ZmqPollEvents.In);
        poller.Add(Frontend, ZmqPollEvents.None);
        if (wake is not null)
        {
            poller.Add(wake.Socket, ZmqPollEvents.In);
        }

        return poller;
    }

    public void Dispose()
    {
        Frontend.Dispose();
        Backend.Dispose();
    }
}
