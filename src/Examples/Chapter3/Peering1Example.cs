using System.Diagnostics;
using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// peering1: the state flow between brokers (Guide chapter 3, "Prototyping the State Flow"). Each
/// broker publishes its name and how many workers it has free (a random number here) on a PUB
/// socket bound to <c>ipc://NAME-state.ipc</c>, and subscribes to every peer's. Run it once per
/// broker, each naming itself first and then its peers: <c>zguide peering1 DC1 DC2 DC3</c>,
/// <c>zguide peering1 DC2 DC1 DC3</c>, <c>zguide peering1 DC3 DC1 DC2</c>.
/// </summary>
/// <remarks>
/// The Guide sends a state message only when a whole second passed without incoming ones; with
/// three or more brokers the others' messages can keep that from ever happening. This port sends
/// one every heartbeat however busy the subscriber is, which is what the Guide's text describes.
/// </remarks>
[Example("peering1", 3, "broker peering, part 1: brokers publish their free capacity to each other (PUB/SUB)",
    "zguide peering1 me {you}... [--ipc-dir DIR] [--heartbeat-ms 1000]")]
internal static class Peering1Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string directory = a.Text("ipc-dir", string.Empty);
        int heartbeatMs = a.Int("heartbeat-ms", 1000);
        a.RejectUnknown();
        if (a.Positional.Count < 1)
        {
            Console.WriteLine("syntax: peering1 me {you}...");
            return 0;
        }

        if (heartbeatMs < 1)
        {
            throw new ExampleUsageException("--heartbeat-ms takes 1 or more");
        }

        string self = a.Positional[0];
        Console.WriteLine($"I: preparing broker at {self}...");

        using var context = new ZmqContext();

        // Bind the state backend to our endpoint.
        using var statebe = context.CreateSocket(ZmqSocketType.Pub);
        statebe.Bind(PeeringEndpoints.For(directory, self, "state"));

        // Connect the state frontend to all peers. No identity on subscribers: a named one would
        // get stale state replayed when it reconnects to a running broker.
        using var statefe = context.CreateSocket(ZmqSocketType.Sub);
        statefe.Subscribe(string.Empty);
        foreach (string peer in a.Positional.Skip(1))
        {
            Console.WriteLine($"I: connecting to state backend at '{peer}'");
            statefe.Connect(PeeringEndpoints.For(directory, peer, "state"));
        }

        // Receive peers' state as it comes; send our own every heartbeat. The poll timeout is the
        // time left until the next heartbeat.
        var heartbeat = Stopwatch.StartNew();
        while (true)
        {
            long left = Math.Max(0, heartbeatMs - heartbeat.ElapsedMilliseconds);
            if (statefe.Poll(ZmqPollEvents.In, TimeSpan.FromMilliseconds(left)) != ZmqPollEvents.None)
            {
                var state = statefe.ReceiveMultipartStrings(); // [peer name][available workers]
                Console.WriteLine($"{state[0]} - {state[1]} workers free");
            }

            if (heartbeat.ElapsedMilliseconds >= heartbeatMs)
            {
                // Random values for worker availability.
                statebe.Send(self, more: true);
                statebe.Send(Random.Shared.Next(10).ToString(CultureInfo.InvariantCulture));
                heartbeat.Restart();
            }
        }
    }
}
