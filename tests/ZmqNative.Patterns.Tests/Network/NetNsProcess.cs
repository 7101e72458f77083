using System.Diagnostics;

namespace ZmqNative.Patterns.Tests.Network;

/// <summary>
/// A program running inside a namespace of a <see cref="NetNs"/> lab (<c>ip netns exec &lt;ns&gt; dotnet
/// &lt;dll&gt; ...</c>; ip execs dotnet, so the process is the program itself). Its stdout lines are
/// collected as they come and added to the lab's timeline; a test waits for lines it expects, bounded.
/// </summary>
internal sealed class NetNsProcess : IDisposable
{
    private readonly NetNs _lab;
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private readonly object _gate = new();
    private bool _stdoutClosed;

    internal NetNsProcess(NetNs lab, string label, string host, string dll, string[] arguments)
    {
        _lab = lab;
        Label = label;
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["netns", "exec", host, "dotnet", dll, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("ZMQNATIVE_LIBZMQ");
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) =>
        {
            lock (_gate)
            {
                if (e.Data is null)
                {
                    _stdoutClosed = true;
                }
                else
                {
                    _lines.Add(e.Data);
                    if (!IsHeartbeatTrace(e.Data))
                    {
                        _lab.Record(Label, e.Data);
                    }
                }

                Monitor.PulseAll(_gate);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _errors.Add(e.Data);
                    _lab.Record(Label, "stderr: " + e.Data);
                }
            }
        };
        _lab.Record(Label, $"$ ip netns exec {host} dotnet {Path.GetFileName(dll)} {string.Join(' ', arguments)}");
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The name it has in the timeline and in failure messages.</summary>
    public string Label { get; }

    /// <summary>A copy of the stdout lines so far.</summary>
    public List<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Closes its standard input (the client host stops sending new requests and ends).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits until at least <paramref name="count"/> stdout lines match, at most <paramref name="timeout"/>; fails the test otherwise.</summary>
    public List<string> WaitForLines(Func<string, bool> match, int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        lock (_gate)
        {
            while (true)
            {
                var matching = _lines.Where(match).ToList();
                if (matching.Count >= count)
                {
                    return matching;
                }

                var left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero || _stdoutClosed)
                {
                    Assert.Fail($"{Label}: expected {count} matching lines within {timeout}, got {matching.Count}{(_stdoutClosed ? " and it ended" : "")}.\ntimeline:\n{_lab.Timeline()}");
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Waits for a stdout line that contains <paramref name="text"/>.</summary>
    public string WaitForLine(string text, TimeSpan timeout) =>
        WaitForLines(l => l.Contains(text, StringComparison.Ordinal), 1, timeout)[0];

    /// <summary>Waits for the process to end by itself, at most <paramref name="timeout"/>; returns its exit code or fails the test.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Assert.Fail($"{Label} did not end within {timeout}.\ntimeline:\n{_lab.Timeline()}");
        }

        _process.WaitForExit(); // drains the asynchronous output readers
        _lab.Record(Label, $"exit {_process.ExitCode}");
        return _process.ExitCode;
    }

    /// <summary>
    /// The -v traces of routine heartbeats (ppqueue, ppworker, bstarsrv2 every interval) stay in <see cref="Lines"/>
    /// but not in the timeline, where they would bury the lines that tell the story.
    /// </summary>
    private static bool IsHeartbeatTrace(string line) =>
        line.StartsWith("I: worker heartbeat", StringComparison.Ordinal)
        || line.StartsWith("I: queue heartbeat", StringComparison.Ordinal)
        || line.StartsWith("D: state sent", StringComparison.Ordinal);

    /// <summary>Kills the process if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }

        _process.Dispose();
    }
}
