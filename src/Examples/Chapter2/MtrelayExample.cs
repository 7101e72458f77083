using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// mtrelay: three threads that signal each other with messages, never with sleeps or locks
/// (Guide chapter 2, "Signaling Between Threads (PAIR Sockets)"). Each step binds an inproc
/// PAIR socket before it starts the step before it, waits for that step's READY, then connects
/// to the next step and passes READY on. The main thread is step 3.
/// </summary>
[Example("mtrelay", 2, "three threads relay a READY signal over inproc PAIR sockets",
    "zguide mtrelay")]
internal static class MtrelayExample
{
    public static int Run(string[] args)
    {
        ExampleArgs.Parse(args).RejectUnknown();

        using var context = new ZmqContext();

        // Bind before starting step 2, so step 2's connect finds it.
        var receiver = context.CreateSocket(ZmqSocketType.Pair);
        receiver.Bind("inproc://step3");
        var step2 = new Thread(() => Step2(context)) { Name = "step2" };
        step2.Start();

        // Wait for the signal.
        receiver.ReceiveString();
        receiver.Dispose();
        step2.Join();

        Console.WriteLine("Test successful!");
        return 0;
    }

    private static void Step1(ZmqContext context)
    {
        // Connect to step 2 and tell it we're ready.
        using var xmitter = context.CreateSocket(ZmqSocketType.Pair);
        xmitter.Connect("inproc://step2");
        Console.WriteLine("Step 1 ready, signaling step 2");
        xmitter.Send("READY");
    }

    private static void Step2(ZmqContext context)
    {
        // Bind before starting step 1, so step 1's connect finds it.
        var receiver = context.CreateSocket(ZmqSocketType.Pair);
        receiver.Bind("inproc://step2");
        var step1 = new Thread(() => Step1(context)) { Name = "step1" };
        step1.Start();

        // Wait for the signal and pass it on.
        receiver.ReceiveString();
        receiver.Dispose();
        step1.Join();

        using var xmitter = context.CreateSocket(ZmqSocketType.Pair);
        xmitter.Connect("inproc://step3");
        Console.WriteLine("Step 2 ready, signaling step 3");
        xmitter.Send("READY");
    }
}
