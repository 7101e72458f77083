namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// rtdealer: rtreq with DEALER workers (Guide chapter 3, "ROUTER Broker and DEALER Workers").
/// A DEALER can stand in wherever a REQ does; it just sends and takes the empty delimiter frame
/// itself, which the REQ socket does for you. The broker is the same as rtreq's.
/// </summary>
[Example("rtdealer", 3, "ROUTER load-balancing tasks to DEALER workers for a few seconds",
    "zguide rtdealer [--bind tcp://*:5671] [--connect tcp://localhost:5671] [--workers 10] [--seconds 5] [--work-ms 500]")]
internal static class RtdealerExample
{
    public static int Run(string[] args)
    {
        var options = LoadBalancingOptions.Parse(args);
        return LoadBalancingOptions.RunBroker(options, dealerWorkers: true);
    }
}
