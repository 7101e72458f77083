using System.Diagnostics;

namespace ZmqNative.Tests.Support;

/// <summary>
/// Runs this test assembly as a fresh process (<c>dotnet exec ZmqNative.Tests.dll scenario</c>),
/// for what only a process's first calls show: nothing is loaded, bound or compiled yet.
/// The test host never calls <see cref="Main"/>; it is the entry point only of such a child.
/// </summary>
internal static unsafe class ChildProcess
{
    /// <summary>The scenario a child runs: its first failing libzmq call, and the errno it reports.</summary>
    public const string FirstFailureErrno = "first-failure-errno";

    /// <summary>The child's entry point: runs one scenario, writes its result on stdout.</summary>
    /// <param name="args">The scenario's name.</param>
    /// <returns>0 when the scenario ran.</returns>
    public static int Main(string[] args)
    {
        if (args is [FirstFailureErrno])
        {
            Console.WriteLine(FirstFailure());
            return 0;
        }

        Console.Error.WriteLine("ZmqNative.Tests is a test assembly; as a program it runs only the scenarios of Support/ChildProcess.cs");
        return 2;
    }

    /// <summary>
    /// The first failing libzmq call of the process (issue 16, item 4): <c>ZMQ_IO_THREADS = -1</c>,
    /// made on the raw layer because the safe layer now refuses -1 before libzmq sees it, then
    /// reported by the safe layer's error path, which formats the -1 into the message (the first
    /// negative number formatted in the process: culture data is set up then).
    /// </summary>
    private static unsafe string FirstFailure()
    {
        void* context = ZmqNative.Interop.LibZmq.zmq_ctx_new();
        int rc = ZmqNative.Interop.LibZmq.zmq_ctx_set(context, ZmqNative.Interop.LibZmq.ZMQ_IO_THREADS, -1);
        var error = rc == 0 ? null : ZmqException.FromLast("zmq_ctx_set(ZMQ_IO_THREADS)", -1);
        ZmqNative.Interop.LibZmq.zmq_ctx_term(context);
        return error?.ErrorName ?? "no error";
    }

    /// <summary>Runs a scenario in a new process; returns its exit code and output (bounded).</summary>
    /// <param name="scenario">The scenario's name.</param>
    /// <returns>The exit code, stdout and stderr.</returns>
    public static (int ExitCode, string Stdout, string Stderr) Run(string scenario)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Process.GetCurrentProcess().MainModule?.FileName is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        return Repo.RunTool(dotnet, "exec", typeof(ChildProcess).Assembly.Location, scenario);
    }
}
