namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// The load-balancing broker's core (Guide chapter 3, "A Load Balancing Message Broker"), shared by
/// lbbroker and <c>zguide demo lbbroker</c>. Clients' REQ sockets talk to the ROUTER frontend,
/// workers' REQ sockets to the ROUTER backend. A worker announces itself with "READY" and afterwards
/// with each reply; the broker keeps the idle workers in a queue and gives each request to the one
/// that has waited longest. It reads the frontend only while some worker is idle, so requests wait
/// in ZeroMQ's own queues until one is.
/// </summary>
/// <remarks>
/// Envelopes (REQ adds and strips the empty delimiter): the frontend reads
/// <c>[client][""][request]</c>; the backend gets <c>[worker][""][client][""][request]</c> sent and
/// reads back <c>[worker][""]["READY"]</c> or <c>[worker][""][client][""][reply]</c>.
/// </remarks>
internal sealed class LoadBalancingBroker(ZmqSocket frontend, ZmqSocket backend)
{
    /// <summary>What a worker sends first.</summary>
    public static ReadOnlySpan<byte> ReadySignal => "READY"u8;

    private readonly Queue<byte[]> _idle = new();

    /// <summary>Called with a worker's identity when it says READY.</summary>
    public Action<byte[]>? WorkerReady { get; init; }

    /// <summary>Called with the client, the worker and the request when a request goes to a worker.</summary>
    public Action<byte[], byte[], byte[]>? RequestRouted { get; init; }

    /// <summary>Called with the worker, the client and the reply when a reply goes back to its client.</summary>
    public Action<byte[], byte[], byte[]>? ReplyRouted { get; init; }

    /// <summary>
    /// Routes until <paramref name="replies"/> replies went back to clients. Returns false when
    /// nothing happened for <paramref name="idleLimit"/> (<see cref="Timeout.InfiniteTimeSpan"/>: wait forever).
    /// </summary>
    public bool Run(int replies, TimeSpan idleLimit)
    {
        using var poller = new ZmqPoller();
        poller.Add(backend, ZmqPollEvents.In);
        poller.Add(frontend, ZmqPollEvents.None); // parked until a worker is idle
        int forwarded = 0;
        while (forwarded < replies)
        {
            if (poller.Wait(idleLimit) == 0)
            {
                return false;
            }

            // Read both before changing the poller: its results last until the next change.
            bool fromWorker = poller.IsReady(backend);
            bool fromClient = poller.IsReady(frontend);

            if (fromWorker)
            {
                var message = backend.ReceiveMultipart();
                byte[] worker = message[0];
                _idle.Enqueue(worker);
                if (_idle.Count == 1)
                {
                    poller.Modify(frontend, ZmqPollEvents.In); // someone can take work again
                }

                if (message.Count == 3 && message[2].AsSpan().SequenceEqual(ReadySignal))
                {
                    WorkerReady?.Invoke(worker);
                }
                else if (message.Count == 5)
                {
                    // [worker][""][client][""][reply]: the rest is the client's envelope and the reply.
                    frontend.SendMultipart([message[2], [], message[4]]);
                    ReplyRouted?.Invoke(worker, message[2], message[4]);
                    forwarded++;
                }
            }

            if (fromClient && _idle.Count > 0)
            {
                var request = frontend.ReceiveMultipart(); // [client][""][request]
                byte[] worker = _idle.Dequeue();
                backend.SendMultipart([worker, [], request[0], [], request[^1]]);
                RequestRouted?.Invoke(request[0], worker, request[^1]);
                if (_idle.Count == 0)
                {
                    poller.Modify(frontend, ZmqPollEvents.None);
                }
            }
        }

        return true;
    }
}
