namespace ZmqNative.Tests.Polling;

/// <summary>
/// A fixture run once per ZmqPoller backend (libzmq's draft poller, zmq_poll): a context per test
/// and pollers of the fixture's backend. Derived fixtures carry <c>[TestFixture(true)]</c> and
/// <c>[TestFixture(false)]</c>.
/// </summary>
public abstract class PollerBackendFixture
{
    protected PollerBackendFixture(bool draft)
    {
        Draft = draft;
    }

    /// <summary>Whether this run uses the draft poller (zmq_poller_*) rather than zmq_poll.</summary>
    protected bool Draft { get; }

    /// <summary>The test's context, disposed after it.</summary>
    protected ZmqContext Context { get; private set; } = null!;

    [SetUp]
    public void CreateContext()
    {
        if (Draft && !Zmq.Has("draft"))
        {
            Assert.Ignore("the loaded libzmq has no draft API");
        }

        Context = new ZmqContext();
    }

    [TearDown]
    public void DisposeContext() => Context.Dispose();

    /// <summary>A poller on this fixture's backend.</summary>
    protected ZmqPoller NewPoller() => new(Draft ? ZmqPollerBackend.DraftPoller : ZmqPollerBackend.Poll);
}
