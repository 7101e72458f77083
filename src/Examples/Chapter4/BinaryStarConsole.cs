using ZmqNative.Examples.Support;
using ZmqNative.Patterns.BinaryStar;

namespace ZmqNative.Examples.Chapter4;

/// <summary>The settings bstarsrv and bstarsrv2 share: the role (<c>-p</c> or <c>-b</c>) and the Guide's endpoints for it.</summary>
/// <param name="Primary">True for <c>-p</c>.</param>
/// <param name="Frontend">Where clients connect (bind).</param>
/// <param name="StateBind">Where our state is published (bind).</param>
/// <param name="StateConnect">Where the peer's state is read (connect).</param>
/// <param name="HeartbeatMs">The heartbeat interval.</param>
/// <param name="Verbose">Whether <c>-v</c> was given.</param>
internal sealed record BinaryStarServerArgs(bool Primary, string Frontend, string StateBind, string StateConnect, int HeartbeatMs, bool Verbose);

/// <summary>What the Binary Star examples share: argument parsing and the Guide's output lines.</summary>
internal static class BinaryStarConsole
{
    /// <summary>The usage line of both servers.</summary>
    public const string ServerUsage = "{ -p | -b } [--frontend tcp://*:5001|5002] [--state-bind tcp://*:5003|5004] [--state-connect tcp://localhost:5004|5003] [--heartbeat-ms 1000] [-v]";

    /// <summary>Reads <c>-p</c>/<c>-b</c> and the endpoints, whose defaults depend on the role (as bstarsrv.c).</summary>
    public static BinaryStarServerArgs ParseServer(string[] args, string name)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        bool verbose = PirateConsole.Verbose(a);
        var words = PirateConsole.Words(a);
        if (words.Count != 1 || (words[0] != "-p" && words[0] != "-b"))
        {
            throw new ExampleUsageException($"Usage: {name} {{ -p | -b }}");
        }

        bool primary = words[0] == "-p";
        string frontend = a.Text("frontend", primary ? BinaryStarServer.DefaultPrimaryFrontend : BinaryStarServer.DefaultBackupFrontend);
        string stateBind = a.Text("state-bind", primary ? BinaryStarServer.DefaultPrimaryLocalState : BinaryStarServer.DefaultBackupLocalState);
        string stateConnect = a.Text("state-connect", primary ? BinaryStarServer.DefaultPrimaryRemoteState : BinaryStarServer.DefaultBackupRemoteState);
        int heartbeat = a.Int("heartbeat-ms", 1000);
        a.RejectUnknown();
        if (heartbeat < 1)
        {
            throw new ExampleUsageException("--heartbeat-ms takes 1 or more");
        }

        return new BinaryStarServerArgs(primary, frontend, stateBind, stateConnect, heartbeat, verbose);
    }

    /// <summary>The Guide's first line.</summary>
    public static void Starting(bool primary) =>
        Console.WriteLine(primary ? "I: Primary active, waiting for backup (passive)" : "I: Backup passive, waiting for primary (active)");

    /// <summary>Prints a transition or conflict the way the Guide logs it ("I: failover successful, ready as active").</summary>
    public static void Transition(BinaryStarTransition t)
    {
        if (t.Description is not null)
        {
            Console.WriteLine((t.IsConflict ? "E: " : "I: ") + t.Description);
        }
    }

    /// <summary>The -v trace of one server event (transitions are always printed, see <see cref="Transition"/>).</summary>
    public static void Trace(BinaryStarServerEvent e)
    {
        switch (e.Kind)
        {
            case BinaryStarServerEventKind.StateSent:
                Console.WriteLine($"D: state sent: {(int)e.State} ({e.State})");
                break;
            case BinaryStarServerEventKind.StateReceived:
                Console.WriteLine($"D: peer state: {(int)e.State} ({e.State})");
                break;
            case BinaryStarServerEventKind.RequestRefused:
                Console.WriteLine($"D: request refused while {e.Transition.From}");
                PirateConsole.Dump(e.Frames!);
                break;
            case BinaryStarServerEventKind.InvalidStateMessage:
                Console.WriteLine("D: invalid state message");
                PirateConsole.Dump(e.Frames!);
                break;
        }
    }
}
