using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ZmqNative.Examples.Tests.Support;
using ZmqNative.Patterns.Clone;

namespace ZmqNative.Patterns.Tests.Clone;

/// <summary>What the Clone tests share: ports in the Guide's P, P + 1, P + 2 layout, servers on their own threads, waiting on conditions.</summary>
internal static class CloneTesting
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>A port P such that P, P + 1 and P + 2 were free a moment ago.</summary>
    public static int FreeTriple() => ZguideProcess.FreeTriple();

    /// <summary>The address a client uses for a server on <paramref name="port"/>.</summary>
    public static CloneServerAddress Address(int port) => new("tcp://127.0.0.1", port);

    /// <summary>Waits until <paramref name="condition"/> holds, checking it each time <paramref name="signal"/> is set (or every 50 ms); fails the test after <see cref="Wait"/>.</summary>
    public static void Until(Func<bool> condition, string what, AutoResetEvent? signal = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Wait)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            if (signal is null)
            {
                Thread.Sleep(20); // re-check a condition another thread makes true; never asserts a timing
            }
            else
            {
                signal.WaitOne(50);
            }
        }
    }
}

/// <summary>A <see cref="CloneServer"/> serving on its own thread, with the events it reported; Dispose stops it.</summary>
internal sealed class RunningCloneServer : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly ConcurrentQueue<CloneServerEvent> _events = new();

    public RunningCloneServer(ZmqContext context, int port, CloneServerOptions? options = null, CloneServerPair? pair = null)
    {
        Port = port;
        options ??= new CloneServerOptions();
        var observer = options.Observer;
        options.Observer = e =>
        {
            _events.Enqueue(e);
            observer?.Invoke(e);
            Signal.Set();
        };
        Server = new CloneServer(context, $"tcp://127.0.0.1:{port}", $"tcp://127.0.0.1:{port + 1}", $"tcp://127.0.0.1:{port + 2}", pair, options);
        _thread = new Thread(() =>
        {
            try
            {
                Server.Run(_stop.Token);
            }
            catch (Exception e)
            {
                Failure = e;
            }
        })
        { IsBackground = true, Name = "clone-server-" + port };
        _thread.Start();
    }

    public int Port { get; }

    public CloneServer Server { get; }

    public Exception? Failure { get; private set; }

    public AutoResetEvent Signal { get; } = new(false);

    public List<CloneServerEvent> Events => [.. _events];

    public int Count(CloneServerEventKind kind) => _events.Count(e => e.Kind == kind);

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _thread.Join();
        Server.Dispose();
    }
}

/// <summary>A <see cref="CloneClient"/> that records its events.</summary>
internal sealed class RecordingClient : IDisposable
{
    private readonly ConcurrentQueue<CloneClientEvent> _events = new();

    public RecordingClient(ZmqContext context, CloneClientOptions? options, params CloneServerAddress[] servers)
    {
        options ??= new CloneClientOptions();
        options.Observer = e =>
        {
            _events.Enqueue(e);
            Signal.Set();
        };
        Client = new CloneClient(context, servers, options);
    }

    public CloneClient Client { get; }

    public AutoResetEvent Signal { get; } = new(false);

    public List<CloneClientEvent> Events => [.. _events];

    public Dictionary<string, string> Map() => Client.Snapshot().ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value));

    public void Dispose()
    {
        Client.Dispose();
        Signal.Dispose();
    }
}
