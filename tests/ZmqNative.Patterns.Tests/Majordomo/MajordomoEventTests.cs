using System.Collections.Concurrent;
using System.Text;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Patterns.Tests.Majordomo;

/// <summary>The broker's and worker's <see cref="MajordomoEvent"/> observers: the fields hosting turns into log fields and gauges.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class MajordomoEventTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void Observer_QueueBoundThenWorker_ReportsEveryStepWithTheServiceDepthAfterIt()
    {
        using var context = new ZmqContext();
        var events = new BlockingCollection<MajordomoEvent>();
        using var stop = new CancellationTokenSource();
        var broker = new MajordomoBroker(context, new MajordomoBrokerOptions { MaxQueuedRequestsPerService = 2, Observer = events.Add });
        broker.Bind("tcp://127.0.0.1:*");
        string endpoint = broker.LastEndpoint;
        var loop = Task.Factory.StartNew(() => broker.Run(stop.Token), TaskCreationOptions.LongRunning);
        try
        {
            // Three requests for a service with no worker: the third pushes the oldest out (the documented bound policy).
            using (var client = context.CreateSocket(ZmqSocketType.Dealer))
            {
                client.Connect(endpoint);
                for (int i = 1; i <= 3; i++)
                {
                    client.SendMultipart([[], MajordomoProtocol.ClientHeaderBytes, "svc"u8.ToArray(), Encoding.UTF8.GetBytes("r" + i)]);
                }

                var queued = Take(events, 4);
                Assert.That(queued.Select(e => (e.Kind, e.QueueDepth)), Is.EqualTo(new[]
                {
                    (MajordomoEventKind.RequestQueued, 1),
                    (MajordomoEventKind.RequestQueued, 2),
                    (MajordomoEventKind.RequestDropped, 1),
                    (MajordomoEventKind.RequestQueued, 2),
                }));
                Assert.That(queued[2].Reason, Is.EqualTo("service queue full"));
                Assert.That(queued.Select(e => e.Service), Is.All.EqualTo("svc"));

                // A worker registers: it gets the oldest waiting request, and the depth and worker count follow.
                using var worker = new MajordomoWorker(context, endpoint, "svc", new MajordomoWorkerOptions { Observer = events.Add });
                var request = worker.Receive(new CancellationTokenSource(Wait).Token);
                Assert.That(Encoding.UTF8.GetString(request![0]), Is.EqualTo("r2"));
                var served = Take(events, 3);
                Assert.That(served.Select(e => e.Kind), Is.EqualTo(new[] { MajordomoEventKind.Connecting, MajordomoEventKind.WorkerRegistered, MajordomoEventKind.RequestDispatched }));
                Assert.That(served[1].ServiceWorkers, Is.EqualTo(1));
                Assert.That(served[2].QueueDepth, Is.EqualTo(1));
                Assert.That(served[2].Worker, Is.EqualTo(served[1].Worker));
            }
        }
        finally
        {
            stop.Cancel();
            loop.Wait(Wait);
            broker.Dispose();
        }
    }

    private static List<MajordomoEvent> Take(BlockingCollection<MajordomoEvent> events, int count)
    {
        var taken = new List<MajordomoEvent>();
        using var timeout = new CancellationTokenSource(Wait);
        while (taken.Count < count)
        {
            taken.Add(events.Take(timeout.Token));
        }

        return taken;
    }
}
