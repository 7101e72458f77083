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
}
