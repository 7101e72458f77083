using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Pirate;

/// <summary>
/// The two bound ROUTER sockets of a Pirate queue (frontend for clients, backend for workers), their
/// endpoints, read once at bind time (once the queue's loop polls the sockets, no other thread may
/// touch them), and what both queues do alike with them: route a request to the next idle worker.
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

    /// <summary>
    /// Gives a client's request to the next idle worker: <c>[client][""][body...]</c> only (RFC 6 REQUEST);
    /// anything else is dropped here and no worker is taken for it, since a worker drops it without
    /// replying and would stay busy for ever. A worker that cannot take it is forgotten and the next is tried.
    /// </summary>
    /// <param name="workers">The queue's workers.</param>
    /// <param name="request">The request as the frontend read it.</param>
    /// <param name="reqWorkers">Whether the workers are REQ sockets (Simple Pirate), which need an empty delimiter after their identity.</param>
    /// <param name="observer">The queue's observer.</param>
    public void RouteRequest(PirateWorkerPool workers, List<byte[]> request, bool reqWorkers, Action<PirateEvent>? observer)
    {
        if (!ParanoidPirateProtocol.TrySplitEnvelope(request, out _))
        {
            observer?.Invoke(new PirateEvent(PirateEventKind.InvalidMessage, PirateIdentity.Describe(request[0]), request));
            return;
        }

        while (workers.Next() is { } worker)
        {
            List<byte[]> message = reqWorkers ? [worker, [], .. request] : [worker, .. request];
            try
            {
                // Non-blocking: a worker whose pipe is full is not reading, so it is no better than gone.
                if (Backend.TrySendMultipart(message))
                {
                    observer?.Invoke(new PirateEvent(PirateEventKind.RequestRouted, PirateIdentity.Describe(worker), request));
                    return;
                }
            }
            catch (ZmqException e) when (e.Error == ZmqErrorCode.EHOSTUNREACH)
            {
                // ZMQ_ROUTER_MANDATORY: the worker has disconnected; try the next one.
            }

            workers.Remove(worker);
            observer?.Invoke(new PirateEvent(PirateEventKind.WorkerUnreachable, PirateIdentity.Describe(worker)));
        }

        // No worker could take it: the client's retry will bring it back.
    }

    public void Dispose()
    {
        Frontend.Dispose();
        Backend.Dispose();
    }
}
