using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// What msreader and mspoller share: their arguments, and the two sockets they read, the task
/// ventilator's PULL and the weather server's SUB (filtered on one zip code).
/// </summary>
internal sealed class MultipleSockets : IDisposable
{
    /// <summary>The arguments both take.</summary>
    public const string Usage = "[--ventilator tcp://localhost:5557] [--weather tcp://localhost:5556] [--filter \"10001 \"] [--tasks N] [--updates N]";

    private readonly ZmqContext _context = new();

    private MultipleSockets(string ventilator, string weather, string filter, long tasksNeeded, long updatesNeeded)
    {
        TasksNeeded = tasksNeeded;
        UpdatesNeeded = updatesNeeded;
        try
        {
            Tasks = _context.CreateSocket(ZmqSocketType.Pull);
            Tasks.Connect(ventilator);
            Updates = _context.CreateSocket(ZmqSocketType.Sub);
            Updates.Connect(weather);
            Updates.Subscribe(filter);
        }
        catch
        {
            _context.Dispose(); // closes whichever socket was made
            throw;
        }
    }

    /// <summary>The PULL socket connected to the task ventilator.</summary>
    public ZmqSocket Tasks { get; }

    /// <summary>The SUB socket connected to the weather server.</summary>
    public ZmqSocket Updates { get; }

    /// <summary>How many tasks to read (long.MaxValue: for ever).</summary>
    public long TasksNeeded { get; }

    /// <summary>How many weather updates to read (long.MaxValue: for ever).</summary>
    public long UpdatesNeeded { get; }

    /// <summary>Parses the arguments and connects both sockets.</summary>
    public static MultipleSockets Open(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string ventilator = a.Text("ventilator", "tcp://localhost:5557");
        string weather = a.Text("weather", "tcp://localhost:5556");
        string filter = a.Text("filter", "10001 ");
        int tasksWanted = a.Int("tasks", -1);
        int updatesWanted = a.Int("updates", -1);
        a.RejectUnknown();

        // With neither count given it runs forever, as the Guide's does; with one or both it
        // reads exactly that many from each socket (none from a socket whose count is not
        // given) and stops.
        bool bounded = tasksWanted >= 0 || updatesWanted >= 0;
        return new MultipleSockets(ventilator, weather, filter,
            bounded ? Math.Max(tasksWanted, 0) : long.MaxValue,
            bounded ? Math.Max(updatesWanted, 0) : long.MaxValue);
    }

    /// <summary>Prints the Guide's closing line.</summary>
    public static void PrintTotals(long tasks, long updates) => Console.WriteLine($"Processed {tasks} tasks and {updates} weather updates");

    public void Dispose()
    {
        Updates.Dispose();
        Tasks.Dispose();
        _context.Dispose();
    }
}
