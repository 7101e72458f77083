using System.Runtime.InteropServices;

namespace ZmqNative;

/// <summary>
/// Steers a proxy started with <see cref="ZmqProxy.RunSteerable"/>: a <see cref="ZmqSocketType.Pair"/>
/// socket connected to the proxy's control socket (a PAIR bound to the same endpoint), which sends
/// the commands of zmq_proxy_steerable(3) and reads the STATISTICS reply.
/// </summary>
/// <remarks>
/// <para>Why PAIR and not REQ: libzmq 4.3.4 answers STATISTICS only, so after PAUSE a REQ socket
/// could not send again (EFSM) and a REP control socket would fail the proxy. PAIR allows
/// commands without replies.</para>
/// <para>Commands are one-way and processed in order: once <see cref="Pause"/> returns the command is
/// queued, and the proxy stops forwarding when it reads it. <see cref="GetStatistics"/> is a round trip,
/// so when it returns every earlier command has been handled.</para>
/// <para>Like a socket, a control is used by one thread at a time.</para>
/// </remarks>
public sealed class ZmqProxyControl : IDisposable
{
    private const int StatisticsFrames = 8;
    private readonly ZmqSocket _socket;
    private int _unansweredRequests;

    /// <summary>Creates a PAIR socket in <paramref name="context"/> and connects it to the proxy's control endpoint.</summary>
    /// <param name="context">The context (for <c>inproc://</c>, the proxy's).</param>
    /// <param name="endpoint">The endpoint the proxy's PAIR control socket is bound to, e.g. <c>inproc://proxy-control</c>.</param>
    public ZmqProxyControl(ZmqContext context, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(endpoint);
        _socket = context.CreateSocket(ZmqSocketType.Pair);
        try
        {
            _socket.Connect(endpoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends PAUSE: the proxy stops forwarding (messages wait in the sockets' queues) until <see cref="Resume"/>.</summary>
    public void Pause() => _socket.Send("PAUSE"u8);

    /// <summary>Sends RESUME: a paused proxy forwards again.</summary>
    public void Resume() => _socket.Send("RESUME"u8);

    /// <summary>Sends TERMINATE: the proxy ends and <see cref="ZmqProxy.RunSteerable"/> returns.</summary>
    public void Terminate() => _socket.Send("TERMINATE"u8);

    /// <summary>Asks for the proxy's counters and waits until they arrive (or the context is shut down).</summary>
    /// <returns>The counters.</returns>
    /// <exception cref="ContextTerminatedException">The context was shut down while waiting.</exception>
    public ZmqProxyStatistics GetStatistics() =>
        TryGetStatistics(Timeout.InfiniteTimeSpan, out var statistics)
            ? statistics
            : throw new TimeoutException("the proxy did not answer STATISTICS");

    /// <summary>
    /// Asks for the proxy's counters and waits at most <paramref name="timeout"/> for them. A reply
    /// that comes after the timeout is recognised as stale and skipped by the next request.
    /// </summary>
    /// <param name="timeout">How long to wait for the reply.</param>
    /// <param name="statistics">The counters, when they arrived.</param>
    /// <returns>False when the timeout passed first.</returns>
    /// <exception cref="ZmqException">The reply is not the 8 counters zmq_proxy_steerable(3) describes.</exception>
    public bool TryGetStatistics(TimeSpan timeout, out ZmqProxyStatistics statistics)
    {
        _socket.Send("STATISTICS"u8);
        _unansweredRequests++;

        Span<ulong> counters = stackalloc ulong[StatisticsFrames];
        using var frame = new ZmqMessage();
        // The proxy answers in order: replies to requests that timed out earlier come first.
        while (_unansweredRequests > 0)
        {
            if (!_socket.TryReceive(frame, timeout))
            {
                statistics = default;
                return false;
            }

            ReadReply(frame, counters);
            _unansweredRequests--;
        }

        statistics = new ZmqProxyStatistics(
            new ZmqProxySocketStatistics(counters[0], counters[1], counters[2], counters[3]),
            new ZmqProxySocketStatistics(counters[4], counters[5], counters[6], counters[7]));
        return true;
    }

    /// <summary>Closes the control socket (the proxy keeps running).</summary>
    public void Dispose() => _socket.Dispose();

    private void ReadReply(ZmqMessage first, Span<ulong> counters)
    {
        // A multipart message arrives whole, so once the first frame is here so are the rest.
        int count = 0;
        bool valid = true;
        var frame = first;
        while (true)
        {
            if (count < StatisticsFrames && frame.Size == sizeof(ulong))
            {
                // Each counter is a uint64_t copied in the proxy's byte order (proxy.cpp), the same machine's.
                counters[count] = MemoryMarshal.Read<ulong>(frame.Data);
            }
            else
            {
                valid = false;
            }

            count++;
            if (!frame.More)
            {
                break;
            }

            _socket.Receive(frame);
        }

        if (!valid || count != StatisticsFrames)
        {
            throw new ZmqException($"the proxy's STATISTICS reply had {count} frames; zmq_proxy_steerable(3) sends 8 of 8 bytes");
        }
    }
}

/// <summary>The counters of one side of a proxy (zmq_proxy_steerable(3) STATISTICS). A multipart message counts once.</summary>
/// <param name="MessagesIn">Messages received by the socket.</param>
/// <param name="BytesIn">Bytes received by the socket (all frames of each message).</param>
/// <param name="MessagesOut">Messages sent out of the socket.</param>
/// <param name="BytesOut">Bytes sent out of the socket.</param>
public readonly record struct ZmqProxySocketStatistics(ulong MessagesIn, ulong BytesIn, ulong MessagesOut, ulong BytesOut);

/// <summary>A steerable proxy's counters, as its STATISTICS command reports them.</summary>
/// <param name="Frontend">The frontend socket's counters.</param>
/// <param name="Backend">The backend socket's counters.</param>
public readonly record struct ZmqProxyStatistics(ZmqProxySocketStatistics Frontend, ZmqProxySocketStatistics Backend);
