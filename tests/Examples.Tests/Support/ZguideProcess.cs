using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ZmqNative.Examples.Tests.Support;

/// <summary>
/// A `zguide` example running as a real process in the background: its output lines are
/// collected as they come, a test waits for a line it expects (bounded), and Dispose kills
/// whatever is still running. Use with <c>using var server = ZguideProcess.Start("hwserver", ...)</c>.
/// </summary>
internal sealed class ZguideProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private readonly object _gate = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ZguideProcess(string[] arguments, bool sigintIgnored = false)
    {
        Arguments = arguments;
        var info = new ProcessStartInfo(sigintIgnored ? "/bin/sh" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (sigintIgnored)
        {
            // The shell sets SIGINT to SIG_IGN and execs dotnet in its place (same pid): the
            // disposition survives exec, as for a background job of a shell without job control.
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("trap '' INT; exec \"$0\" \"$@\"");
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(Path.Combine(Zguide.Directory, "zguide.dll"));
        foreach (var argument in arguments)
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
                    _stdoutClosed.TrySetResult();
                }
                else
                {
                    _lines.Add(e.Data);
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
                }
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The arguments it was started with (for messages).</summary>
    public string[] Arguments { get; }

    /// <summary>The process id (to send it a signal).</summary>
    public int Id => _process.Id;

    /// <summary>Its standard input (for examples that wait for Enter).</summary>
    public StreamWriter Input => _process.StandardInput;

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

    /// <summary>A copy of the stderr lines so far.</summary>
    public List<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Starts `zguide` with these arguments.</summary>
    public static ZguideProcess Start(params string[] arguments) => new(arguments);

    /// <summary>Starts `zguide` with SIGINT ignored on entry (SIG_IGN inherited across exec; Unix only, through /bin/sh).</summary>
    public static ZguideProcess StartWithSigintIgnored(params string[] arguments) => new(arguments, sigintIgnored: true);

    /// <summary>
    /// A tcp port that was free a moment ago on 127.0.0.1 (for examples that bind fixed endpoints).
    /// It is drawn at random below Linux's ephemeral range (32768 and up), so a socket that binds
    /// <c>:*</c> elsewhere (other tests run in parallel) cannot take it between this check and the
    /// example's own bind.
    /// </summary>
    public static int FreePort()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(20000, 32000);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free tcp port found in 20000-31999 after 200 tries");
    }

    /// <summary>
    /// A port P such that P, P + 1 and P + 2 were all free a moment ago, drawn as <see cref="FreePort"/>
    /// draws: the Guide's chapter 5 servers (Clone) use a port and the next two.
    /// </summary>
    public static int FreeTriple()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = FreePort();
            if (port + 2 < 32000 && IsFree(port + 1) && IsFree(port + 2))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no three consecutive free ports found");
    }

    /// <summary>Whether <paramref name="port"/> on 127.0.0.1 can be bound right now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> stdout lines match, at most <paramref name="timeout"/>; fails the test otherwise.</summary>
    public List<string> WaitForLines(Func<string, bool> match, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                var matching = _lines.Where(match).ToList();
                if (matching.Count >= count)
                {
                    return matching;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || (_stdoutClosed.Task.IsCompleted && _lines.Where(match).Count() < count))
                {
                    Assert.Fail($"zguide {string.Join(' ', Arguments)}: expected {count} matching lines within {timeout}, got {matching.Count}.\nstdout:\n{string.Join('\n', _lines)}\nstderr:\n{string.Join('\n', _errors)}");
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
            Assert.Fail($"zguide {string.Join(' ', Arguments)} did not end within {timeout}.\nstdout:\n{string.Join('\n', Lines)}\nstderr:\n{string.Join('\n', Errors)}");
        }

        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>
    /// Kills the process if it still runs (for examples that loop forever), waits at most
    /// <paramref name="timeout"/> until it is gone and its stdout is read to the end, and returns
    /// every stdout line, including a last one that never got its newline (progress dots).
    /// </summary>
    public List<string> Stop(TimeSpan timeout)
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // ended by itself in the meantime
        }

        if (!_process.WaitForExit(timeout) || !_stdoutClosed.Task.Wait(timeout))
        {
            Assert.Fail($"zguide {string.Join(' ', Arguments)} did not stop within {timeout}.\nstdout:\n{string.Join('\n', Lines)}");
        }

        return Lines;
    }

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
