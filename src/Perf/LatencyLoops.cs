using System.Runtime.CompilerServices;

namespace ZmqNative.Perf;

/// <summary>
/// The two ends of the latency tools. Both bounce one reused <see cref="ZmqMessage"/> (as the C
/// tools bounce one zmq_msg_t), or with --span one reused buffer: no managed allocation per message.
/// </summary>
internal sealed class LatencyLoops(ZmqSocket socket, int size, bool span, bool async = false) : IDisposable
{
    private readonly ZmqMessage _message = new(size);
    private readonly byte[] _buffer = new byte[Math.Max(size, 1)];

    /// <summary>The REQ end: send, receive, <paramref name="roundtrips"/> times; false at a reply of the wrong size.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool Ping(int roundtrips)
    {
        if (async)
        {
            return PingAsync(roundtrips).AsTask().GetAwaiter().GetResult();
        }

        if (span)
        {
            var buffer = _buffer.AsSpan();
            var payload = buffer[..size];
            for (int i = 0; i != roundtrips; i++)
            {
                socket.Send(payload);
                if (socket.Receive(buffer) != size)
                {
                    return false;
                }
            }
        }
        else
        {
            var message = _message;
            message.Data.Clear(); // remote_lat memsets the payload once
            for (int i = 0; i != roundtrips; i++)
            {
                socket.Send(message);
                socket.Receive(message);
                if (message.Size != size)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The REP end: receive, send it back, <paramref name="roundtrips"/> times.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool Pong(int roundtrips)
    {
        if (async)
        {
            return PongAsync(roundtrips).AsTask().GetAwaiter().GetResult();
        }

        if (span)
        {
            var buffer = _buffer.AsSpan();
            for (int i = 0; i != roundtrips; i++)
            {
                int received = socket.Receive(buffer);
                if (received != size)
                {
                    return false;
                }

                socket.Send(buffer[..received]);
            }
        }
        else
        {
            var message = _message;
            for (int i = 0; i != roundtrips; i++)
            {
                socket.Receive(message);
                if (message.Size != size)
                {
                    return false;
                }

                socket.Send(message);
            }
        }

        return true;
    }

    /// <summary>--async: <see cref="Ping"/> with SendAsync and ReceiveAsync.</summary>
    private async ValueTask<bool> PingAsync(int roundtrips)
    {
        if (span)
        {
            var buffer = _buffer.AsMemory();
            var payload = buffer[..size];
            for (int i = 0; i != roundtrips; i++)
            {
                await socket.SendAsync(payload).ConfigureAwait(false);
                if (await socket.ReceiveAsync(buffer).ConfigureAwait(false) != size)
                {
                    return false;
                }
            }
        }
        else
        {
            var message = _message;
            message.Data.Clear();
            for (int i = 0; i != roundtrips; i++)
            {
                await socket.SendAsync(message).ConfigureAwait(false);
                await socket.ReceiveAsync(message).ConfigureAwait(false);
                if (message.Size != size)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>--async: <see cref="Pong"/> with ReceiveAsync and SendAsync.</summary>
    private async ValueTask<bool> PongAsync(int roundtrips)
    {
        if (span)
        {
            var buffer = _buffer.AsMemory();
            for (int i = 0; i != roundtrips; i++)
            {
                int received = await socket.ReceiveAsync(buffer).ConfigureAwait(false);
                if (received != size)
                {
                    return false;
                }

                await socket.SendAsync(buffer[..received]).ConfigureAwait(false);
            }
        }
        else
        {
            var message = _message;
            for (int i = 0; i != roundtrips; i++)
            {
                await socket.ReceiveAsync(message).ConfigureAwait(false);
                if (message.Size != size)
                {
                    return false;
                }

                await socket.SendAsync(message).ConfigureAwait(false);
            }
        }

        return true;
    }

    public void Dispose() => _message.Dispose();

    /// <summary>One-way latency: half a roundtrip, in microseconds, as the C tools compute it.</summary>
    public static double Latency(ulong elapsed, int roundtrips) => elapsed / (roundtrips * 2.0);
}
