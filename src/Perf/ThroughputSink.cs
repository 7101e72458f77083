using System.Runtime.CompilerServices;

namespace ZmqNative.Perf;

/// <summary>
/// The receiving side of the throughput tools: receives into one reused <see cref="ZmqMessage"/>
/// (zmq_msg_recv, as the C tools do) or, with --span, into one reused buffer (zmq_recv), and
/// checks each message's size. No managed allocation per message.
/// </summary>
internal sealed class ThroughputSink(ZmqSocket socket, int size, bool span, bool async = false) : IDisposable
{
    private readonly ZmqMessage _message = new();
    private readonly byte[] _buffer = new byte[Math.Max(size, 1)];

    public bool ReceiveOne() => Receive(1);

    /// <summary>Receives <paramref name="count"/> messages; false at the first one of the wrong size.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool Receive(int count)
    {
        if (async)
        {
            return ReceiveAsync(count).AsTask().GetAwaiter().GetResult();
        }

        if (span)
        {
            var buffer = _buffer.AsSpan();
            for (int i = 0; i != count; i++)
            {
                if (socket.Receive(buffer) != size)
                {
                    return false;
                }
            }
        }
        else
        {
            var message = _message;
            for (int i = 0; i != count; i++)
            {
                socket.Receive(message);
                if (message.Size != size)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>--async: the same loop with ReceiveAsync, awaited (completed at once while messages are queued).</summary>
    private async ValueTask<bool> ReceiveAsync(int count)
    {
        if (span)
        {
            var buffer = _buffer.AsMemory();
            for (int i = 0; i != count; i++)
            {
                if (await socket.ReceiveAsync(buffer).ConfigureAwait(false) != size)
                {
                    return false;
                }
            }
        }
        else
        {
            var message = _message;
            for (int i = 0; i != count; i++)
            {
                await socket.ReceiveAsync(message).ConfigureAwait(false);
                if (message.Size != size)
                {
                    return false;
                }
            }
        }

        return true;
    }

    public void Dispose() => _message.Dispose();

    /// <summary>
    /// Prints the throughput lines. local_thr computes msg/s as a double; inproc_thr and proxy_thr
    /// truncate it to an integer before computing Mb/s. Both are kept so the numbers match.
    /// </summary>
    public static void Print(int size, int count, ulong elapsed, bool truncateMessagesPerSecond, bool header = true)
    {
        if (elapsed == 0)
        {
            elapsed = 1;
        }

        double throughput = count / (double)elapsed * 1_000_000;
        if (truncateMessagesPerSecond)
        {
            throughput = Math.Truncate(throughput);
        }

        double megabits = throughput * size * 8 / 1_000_000;
        if (header)
        {
            Console.WriteLine($"message size: {size} [B]");
            Console.WriteLine($"message count: {count}");
        }

        Console.WriteLine($"mean throughput: {(int)throughput} [msg/s]");
        Console.WriteLine($"mean throughput: {PerfCommon.F3(megabits)} [Mb/s]");
    }
}

/// <summary>
/// The sending side of the throughput tools: per message, a fresh content of <c>size</c> bytes
/// (zmq_msg_init_size, in a reused <see cref="ZmqMessage"/>) sent with zmq_msg_send, as the C tools
/// do; or, with --span, one reused buffer sent with zmq_send (which copies it).
/// </summary>
internal sealed class ThroughputSource(ZmqSocket socket, int size, bool span, bool async = false) : IDisposable
{
    private readonly ZmqMessage _message = new();
    private readonly byte[] _buffer = new byte[size];

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Send(int count)
    {
        if (async)
        {
            SendAsync(count).AsTask().GetAwaiter().GetResult();
            return;
        }

        if (span)
        {
            var buffer = _buffer.AsSpan();
            for (int i = 0; i != count; i++)
            {
                socket.Send(buffer);
            }
        }
        else
        {
            var message = _message;
            for (int i = 0; i != count; i++)
            {
                message.Rebuild(size);
                socket.Send(message);
            }
        }
    }

    /// <summary>--async: the same loop with SendAsync, awaited (completed at once while there is room).</summary>
    private async ValueTask SendAsync(int count)
    {
        if (span)
        {
            var buffer = _buffer.AsMemory();
            for (int i = 0; i != count; i++)
            {
                await socket.SendAsync(buffer).ConfigureAwait(false);
            }
        }
        else
        {
            var message = _message;
            for (int i = 0; i != count; i++)
            {
                message.Rebuild(size);
                await socket.SendAsync(message).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _message.Dispose();
}
