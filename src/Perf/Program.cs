using ZmqNative;
using ZmqNative.Perf;

// zmqperf: libzmq's perf tools over ZmqNative. `zmqperf <tool> <arguments>` takes the arguments
// of the C tool of the same name and prints the same lines, so one script reads both.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("zmqperf: libzmq's perf tools (libzmq/perf/*.cpp) ported to C# over ZmqNative.");
    Console.WriteLine("usage: zmqperf <tool> <arguments>");
    Console.WriteLine();
    foreach (var tool in PerfTools.All)
    {
        Console.WriteLine($"  {tool.Usage}");
    }

    Console.WriteLine();
    Console.WriteLine("Options after the tool's arguments: --span sends and receives with spans (zmq_send/zmq_recv)");
    Console.WriteLine("instead of reusing a ZmqMessage (zmq_msg_send/zmq_msg_recv, what the C tools do);");
    Console.WriteLine("--info prints which libzmq was loaded and the runtime's JIT settings to stderr;");
    Console.WriteLine("--warmup first runs the same send/receive code in-process until tiered compilation has");
    Console.WriteLine("promoted it (0.5-5 s), so the timed part measures optimised code rather than .NET's JIT");
    Console.WriteLine("warming up (bench/compare.sh uses it);");
    Console.WriteLine("--async runs local/remote_thr and local/remote_lat with SendAsync/ReceiveAsync, awaited.");
    return 0;
}

var chosen = PerfTools.Find(args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"zmqperf: no tool named '{args[0]}'; run zmqperf with no arguments for the list.");
    return 2;
}

var options = PerfOptions.Parse(args[1..], out var rest);
try
{
    if (options.Warmup)
    {
        // The tools' first argument that is a message size: local/remote_thr and _lat take it second.
        int size = rest.Select(a => int.TryParse(a, out int n) ? n : -1).FirstOrDefault(n => n >= 0, 1);
        Warmup.Run(size, options.Span, options.Async);
    }

    int exit = chosen.Run(rest, options);
    if (options.Info)
    {
        PerfOptions.PrintInfo();
    }

    return exit;
}
catch (ZmqException e)
{
    // The C tools print "error in zmq_xxx: <zmq_strerror>" and exit with -1.
    Console.WriteLine($"error in {e.Operation}: {e.Message}");
    return 255;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("zmqperf: " + e.Message);
    return 1;
}
catch (DllNotFoundException e)
{
    Console.Error.WriteLine("zmqperf: " + e.Message);
    return 3;
}
