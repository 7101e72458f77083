using System.Reflection;

namespace ZmqNative.Patterns.Tests.Loop;

/// <summary>What the RunAsync tests share: bounded waits for a run's end, and counting a context's open sockets.</summary>
internal static class RunAsyncTesting
{
    /// <summary>Long enough for anything on a loaded 2-core machine; a run that works stops far sooner.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>Asserts that <paramref name="run"/> ends within the bound and ended normally (rethrows its fault otherwise).</summary>
    public static void Stopped(Task run, string what = "the run")
    {
        Assert.That(run.Wait(Wait), Is.True, $"{what} did not stop");
        Assert.That(run.IsCompletedSuccessfully, Is.True, $"{what} ended normally");
    }

    /// <summary>Waits (bounded) for <paramref name="run"/> to fault and returns its exception.</summary>
    public static Exception Faulted(Task run, string what = "the run")
    {
        Assert.That(((IAsyncResult)run).AsyncWaitHandle.WaitOne(Wait), Is.True, $"{what} did not end");
        Assert.That(run.IsFaulted, Is.True, $"{what} faulted");
        return run.Exception!.InnerException!;
    }

    /// <summary>
    /// Sockets of <paramref name="context"/> that are still open: read from the context's own list of the
    /// sockets it made (which it keeps to close them at Dispose), so a run that leaks a socket shows here.
    /// </summary>
    public static int OpenSockets(ZmqContext context)
    {
        var field = typeof(ZmqContext).GetField("_sockets", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("ZmqContext no longer keeps _sockets: update this helper");
        var gate = typeof(ZmqContext).GetField("_socketsGate", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(context)!;
        lock (gate)
        {
            return ((List<WeakReference<ZmqSocket>>)field.GetValue(context)!).Count(w => w.TryGetTarget(out var socket) && !socket.IsDisposed);
        }
    }
}
