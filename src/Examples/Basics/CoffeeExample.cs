using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Basics;

/// <summary>
/// coffee: one REQ client connected to two REP servers at once. The client does not choose a
/// server: REQ deals its requests round-robin over every connected peer (zmq_socket(3), ZMQ_REQ),
/// so the orders alternate between the coffee machine and the hot chocolate machine.
/// </summary>
/// <remarks>
/// Everything runs in one process: each machine is a thread with its own REP socket on inproc.
/// An inproc connect attaches its pipe at once (zmq_inproc(7)), so the client has both machines
/// before its first order and the alternation starts with the first reply. Over tcp the
/// connections come up in the background, and the first orders may all go to whichever
/// machine answered first.
/// </remarks>
[Example("coffee", 0, "a REQ client connected to two REP servers: its orders alternate between coffee and hot chocolate", "zguide coffee [--orders 10]")]
internal static class CoffeeExample
{
    private static readonly (string Endpoint, string Drink)[] Machines =
    [
        ("inproc://coffee", "coffee"),
        ("inproc://hot-chocolate", "hot chocolate"),
    ];

    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int orders = a.Int("orders", 10);
        a.RejectUnknown();

        using var context = new ZmqContext();
        var machines = Machines.Select(m => new Thread(() => Serve(context, m.Endpoint, m.Drink)) { Name = m.Drink }).ToList();
        machines.ForEach(t => t.Start());

        using (var client = context.CreateSocket(ZmqSocketType.Req))
        {
            foreach (var (endpoint, _) in Machines)
            {
                client.Connect(endpoint);
            }

            for (int order = 1; order <= orders; order++)
            {
                Console.WriteLine($"Sending order {order}...");
                client.Send($"order {order}");
                Console.WriteLine($"Received {client.ReceiveString()} for order {order}");
            }
        }

        // Shutting the context down ends the machines' blocking receives with ETERM (zmq_ctx_shutdown(3)).
        context.Shutdown();
        machines.ForEach(t => t.Join());
        return 0;
    }

    private static void Serve(ZmqContext context, string endpoint, string drink)
    {
        try
        {
            using var server = context.CreateSocket(ZmqSocketType.Rep);
            server.Bind(endpoint);
            while (true)
            {
                server.ReceiveString(); // the order; every order gets this machine's drink
                server.Send(drink);
            }
        }
        catch (ContextTerminatedException)
        {
            // The client is done: the context was shut down.
        }
    }
}
