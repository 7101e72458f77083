using ZmqNative;
using ZmqNative.Examples;
using ZmqNative.Examples.Support;

// zguide: `zguide` lists the examples, `zguide NAME [args]` runs one, `zguide NAME --help` tells its arguments.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("zguide: the ZeroMQ Guide's examples, ported to C# over ZmqNative.");
    Console.WriteLine("usage: zguide <example> [arguments]   (zguide <example> --help for its arguments)");
    Console.WriteLine();
    foreach (var example in ExampleCatalog.All)
    {
        Console.WriteLine($"  {example.Name,-12} ch.{example.Chapter}  {example.Summary}");
    }

    return 0;
}

var chosen = ExampleCatalog.Find(args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"zguide: no example named '{args[0]}'; run zguide with no arguments for the list.");
    return 2;
}

var rest = args[1..];
if (rest is ["--help"] or ["-h"])
{
    Console.WriteLine($"{chosen.Name}: {chosen.Summary}");
    Console.WriteLine($"usage: {chosen.Usage}");
    return 0;
}

try
{
    return chosen.Run(rest);
}
catch (ExampleUsageException e)
{
    Console.Error.WriteLine($"zguide {chosen.Name}: {e.Message}");
    Console.Error.WriteLine($"usage: {chosen.Usage}");
    return 2;
}
catch (DllNotFoundException e)
{
    Console.Error.WriteLine("zguide: " + e.Message);
    return 3;
}
catch (ZmqException e)
{
    // A failure the example did not handle (a port in use, a bad endpoint): one clear line, not a crash dump.
    Console.Error.WriteLine($"zguide {chosen.Name}: {e.Message}");
    return 1;
}
