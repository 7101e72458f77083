using System.Runtime.InteropServices;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// interrupt: a server that ends cleanly on Ctrl-C (SIGINT) or SIGTERM (Guide chapter 2,
/// "Handling Interrupt Signals"). The Guide's C version has its signal handler write to a
/// self-pipe it polls next to the socket. In .NET the runtime catches the signal for us
/// (PosixSignalRegistration) and runs our handler on another thread; the handler shuts the
/// context down (zmq_ctx_shutdown(3)), so the receive the main thread is blocked in ends with
/// ETERM (ContextTerminatedException), and the server closes its socket and exits with 0.
/// </summary>
[Example("interrupt", 2, "REP server that shuts down cleanly on Ctrl-C or SIGTERM",
    "zguide interrupt [--bind tcp://*:5555]")]
internal static class InterruptExample
{
    public static int Run(string[] args)
    {
        // First, before anything starts .NET's signal handling (Console, Process, the registrations):
        // see TakeBackIgnoredSigint.
        TakeBackIgnoredSigint();
        var a = ExampleArgs.Parse(args);
        string endpoint = a.Text("bind", "tcp://*:5555");
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Rep);
        socket.Bind(endpoint);

        // Cancel keeps the runtime from ending the process at once (its default for both signals):
        // we end it ourselves, after cleaning up. Shutdown is safe from any thread.
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            context.Shutdown();
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        Console.WriteLine($"W: waiting for requests on {endpoint} (Ctrl-C or SIGTERM to stop)");

        try
        {
            while (true)
            {
                var request = socket.ReceiveMultipart();
                Console.WriteLine("W: recv");

                // Now send the message back: a REP socket must answer a request before it can
                // receive the next one.
                socket.SendMultipart(request);
            }
        }
        catch (ContextTerminatedException)
        {
            Console.WriteLine("W: interrupt received, killing server...");
        }

        Console.WriteLine("W: cleaning up");
        return 0;
    }

    /// <summary>
    /// A process can start with SIGINT ignored (SIG_IGN is inherited across fork and exec: a shell
    /// without job control starts background jobs so, signal(7)). .NET then installs no handler for it,
    /// on purpose ("we respect ignored signals", System.Native's pal_signal.c), so a PosixSignalRegistration
    /// for SIGINT is never called and the server would ignore Ctrl-C for ever: it stays blocked in its
    /// receive. The Guide's C version installs its handler with sigaction(2) whatever the disposition
    /// was, so it stops on SIGINT anyway; this puts SIGINT back to SIG_DFL first, so ours does the same.
    /// Linux only (the disposition is read from /proc/self/status, without changing it). Also used by
    /// asyncawait, whose Ctrl+C cancels its token.
    /// </summary>
    internal static void TakeBackIgnoredSigint()
    {
        const int Sigint = 2;
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // "SigIgn:" is the mask of ignored signals in hex, bit n-1 for signal n (proc(5)).
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (line is not null
            && ulong.TryParse(line.AsSpan("SigIgn:".Length).Trim(), System.Globalization.NumberStyles.HexNumber, null, out ulong ignored)
            && (ignored & (1UL << (Sigint - 1))) != 0)
        {
            _ = Signal(Sigint, 0 /* SIG_DFL */);
        }
    }

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint Signal(int signal, nint handler);
}
