// pinvoke-floor <message-size> <message-count> [transition|suppress|suppress-send|suppress-receive]
// libzmq's perf/inproc_thr loop (a PUSH thread: zmq_msg_init_size, zmq_msg_send, zmq_msg_close per
// message; the main thread: zmq_msg_recv into one message) over bare [DllImport]s with zmq_msg_t on
// the stack, like the C tool. "transition" (default) makes ordinary P/Invokes; "suppress" the same
// calls with [SuppressGCTransition] on both threads ("suppress-send": the PUSH thread's calls only,
// "suppress-receive": the PULL thread's only), which is NOT safe for blocking calls in real code (a
// GC cannot proceed while one blocks) and is here only to measure what the transition costs.
// The libzmq to load comes from ZMQNATIVE_LIBZMQ. Prints "mean throughput: N [msg/s]" as inproc_thr.
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

NativeLibrary.SetDllImportResolver(Assembly.GetExecutingAssembly(), (name, _, _) =>
    name == "libzmq" ? NativeLibrary.Load(Environment.GetEnvironmentVariable("ZMQNATIVE_LIBZMQ") ?? "libzmq.so.5") : 0);

if (args.Length < 2)
{
    Console.WriteLine("usage: pinvoke-floor <message-size> <message-count> [transition|suppress|suppress-send|suppress-receive]");
    return 1;
}

int size = int.Parse(args[0]);
int count = int.Parse(args[1]);
string mode = args.Length > 2 ? args[2] : "transition";
if (mode is not ("transition" or "suppress" or "suppress-send" or "suppress-receive"))
{
    Console.WriteLine($"pinvoke-floor: unknown mode {mode}");
    return 1;
}

return Floor.Run(size, count, suppressSend: mode is "suppress" or "suppress-send", suppressReceive: mode is "suppress" or "suppress-receive");

internal static unsafe class Floor
{
    private const int MsgSize = 64; // sizeof(zmq_msg_t)

    public static int Run(int size, int count, bool suppressSend, bool suppressReceive)
    {
        nint context = (nint)Z.zmq_ctx_new();
        void* pull = Z.zmq_socket((void*)context, 7 /* ZMQ_PULL */);
        fixed (byte* endpoint = "inproc://thr_test\0"u8)
        {
            Z.zmq_bind(pull, endpoint);
        }

        var worker = new Thread(() => Push(context, size, count, suppressSend));
        worker.Start();
        byte* message = stackalloc byte[MsgSize];
        Z.zmq_msg_init(message);
        Z.zmq_msg_recv(message, pull, 0);
        long start = Stopwatch.GetTimestamp();
        if (suppressReceive)
        {
            ReceiveSuppressed(pull, message, count - 1);
        }
        else
        {
            Receive(pull, message, count - 1);
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        worker.Join();
        Console.WriteLine($"message size: {size} [B]");
        Console.WriteLine($"message count: {count}");
        Console.WriteLine($"mean throughput: {(long)(count / seconds)} [msg/s]");
        Z.zmq_msg_close(message);
        Z.zmq_close(pull);
        Z.zmq_ctx_term((void*)context);
        return 0;
    }

    private static void Push(nint context, int size, int count, bool suppress)
    {
        void* push = Z.zmq_socket((void*)context, 8 /* ZMQ_PUSH */);
        fixed (byte* endpoint = "inproc://thr_test\0"u8)
        {
            Z.zmq_connect(push, endpoint);
        }

        byte* message = stackalloc byte[MsgSize];
        if (suppress)
        {
            SendSuppressed(push, message, size, count);
        }
        else
        {
            Send(push, message, size, count);
        }

        Z.zmq_close(push);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Send(void* socket, byte* message, int size, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Z.zmq_msg_init_size(message, (nuint)size);
            Z.zmq_msg_send(message, socket, 0);
            Z.zmq_msg_close(message);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Receive(void* socket, byte* message, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Z.zmq_msg_recv(message, socket, 0);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SendSuppressed(void* socket, byte* message, int size, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Z.InitSizeSuppressed(message, (nuint)size);
            Z.SendSuppressed(message, socket, 0);
            Z.CloseSuppressed(message);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReceiveSuppressed(void* socket, byte* message, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Z.ReceiveSuppressed(message, socket, 0);
        }
    }
}

internal static unsafe class Z
{
    private const string L = "libzmq";

    [DllImport(L)] public static extern void* zmq_ctx_new();
    [DllImport(L)] public static extern int zmq_ctx_term(void* context);
    [DllImport(L)] public static extern void* zmq_socket(void* context, int type);
    [DllImport(L)] public static extern int zmq_close(void* socket);
    [DllImport(L)] public static extern int zmq_bind(void* socket, byte* endpoint);
    [DllImport(L)] public static extern int zmq_connect(void* socket, byte* endpoint);
    [DllImport(L)] public static extern int zmq_msg_init(byte* message);
    [DllImport(L)] public static extern int zmq_msg_init_size(byte* message, nuint size);
    [DllImport(L)] public static extern int zmq_msg_close(byte* message);
    [DllImport(L)] public static extern int zmq_msg_send(byte* message, void* socket, int flags);
    [DllImport(L)] public static extern int zmq_msg_recv(byte* message, void* socket, int flags);

    [DllImport(L, EntryPoint = "zmq_msg_init_size"), SuppressGCTransition] public static extern int InitSizeSuppressed(byte* message, nuint size);
    [DllImport(L, EntryPoint = "zmq_msg_close"), SuppressGCTransition] public static extern int CloseSuppressed(byte* message);
    [DllImport(L, EntryPoint = "zmq_msg_send"), SuppressGCTransition] public static extern int SendSuppressed(byte* message, void* socket, int flags);
    [DllImport(L, EntryPoint = "zmq_msg_recv"), SuppressGCTransition] public static extern int ReceiveSuppressed(byte* message, void* socket, int flags);
}
