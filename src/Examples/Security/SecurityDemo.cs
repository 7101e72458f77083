using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Security;

/// <summary>
/// What the five security demos share (czmq's examples/security: grasslands, strawhouse, woodhouse,
/// stonehouse, ironhouse): a PUSH server that binds and a PULL client that connects in one process,
/// one "Hello" from server to client, and the line "&lt;Name&gt; test OK". Where the C versions wait
/// forever for a client that was refused, <c>--timeout-ms</c> bounds the wait and the demo prints
/// "&lt;Name&gt; test FAILED" and exits 1.
/// </summary>
internal static class SecurityDemo
{
    /// <summary>The options every demo has, with the C versions' endpoints as defaults.</summary>
    public sealed record Options(string Bind, string Connect, TimeSpan Timeout);

    public static Options ReadCommon(ExampleArgs a)
    {
        string bind = a.Text("bind", "tcp://*:9000");
        string connect = a.Text("connect", "tcp://127.0.0.1:9000");
        int timeoutMs = a.Int("timeout-ms", -1);
        return new Options(bind, connect, timeoutMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMs));
    }

    /// <summary>The authenticator's verbose log, as czmq's zauth prints it with VERBOSE: one "I: " line each.</summary>
    public static void Log(string line) => Console.WriteLine("I: " + line);

    /// <summary>Binds the server, connects the client, sends "Hello" one way and reports the outcome.</summary>
    public static int Exchange(string name, ZmqContext context, Options options, Action<ZmqSocket> configureServer, Action<ZmqSocket> configureClient)
    {
        using var server = context.CreateSocket(ZmqSocketType.Push);
        configureServer(server);
        server.Bind(options.Bind);

        using var client = context.CreateSocket(ZmqSocketType.Pull);
        configureClient(client);
        client.Connect(options.Connect);

        // A bound PUSH has no peer until a client's handshake succeeds, so a refused client leaves
        // the send waiting: that is where the timeout shows the refusal.
        if (!server.TrySend("Hello"u8, options.Timeout))
        {
            Console.WriteLine($"{name} test FAILED: no client was let in within {options.Timeout.TotalMilliseconds} ms");
            return 1;
        }

        if (!client.TryReceiveString(options.Timeout, out var message) || message != "Hello")
        {
            Console.WriteLine($"{name} test FAILED: the client did not receive Hello");
            return 1;
        }

        Console.WriteLine($"{name} test OK");
        return 0;
    }
}
