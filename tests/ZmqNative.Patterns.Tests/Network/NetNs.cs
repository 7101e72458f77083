using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ZmqNative.Patterns.Tests.Network;

/// <summary>
/// A private network for one test: Linux network namespaces ("hosts") joined by veth pairs, each pair
/// its own /30 that exists only inside those namespaces (no namespace has a default route, so no packet
/// can leave them). <see cref="NetLink.Cut"/> takes both ends of a pair down, which is what a pulled
/// cable does to the two hosts: the kernel removes the pair's route, so new connections fail at once
/// (ENETUNREACH, libzmq retries every ZMQ_RECONNECT_IVL) and established TCP connections see nothing
/// but their retransmissions going unanswered (tcp(7): they survive until tcp_retries2 gives up, ~15 min),
/// then resume when <see cref="NetLink.Heal"/> brings the pair back. The kernel here has no netem, so
/// there is no loss or delay emulation: a link is up or down.
/// <para>Processes are started inside a namespace with <c>ip netns exec</c>, as real programs.
/// <see cref="Dispose"/> kills every process the lab started and deletes its namespaces (their veths go
/// with them), whatever the test's outcome; namespaces a crashed earlier run left behind are removed
/// when the next lab is created.</para>
/// </summary>
internal sealed class NetNs : IDisposable
{
    /// <summary>Every namespace a lab creates starts with this, then the test process id (to find leftovers).</summary>
    private const string Prefix = "zmqnative-";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<string?> Missing = new(Probe);
    private static int _labs;

    private readonly List<string> _namespaces = [];
    private readonly List<NetLink> _links = [];
    private readonly List<NetNsProcess> _processes = [];
    private readonly List<(TimeSpan At, string Source, string Line)> _timeline = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _name;

    private NetNs()
    {
        _name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _labs)}");
    }

    /// <summary>
    /// A new empty lab, or <see cref="Assert.Ignore(string)"/> naming what is missing when this machine
    /// cannot make one (not Linux, not root, no <c>ip</c>, no network namespaces or veth pairs).
    /// </summary>
    public static NetNs Create()
    {
        if (Missing.Value is { } reason)
        {
            Assert.Ignore("network namespace tests skipped: " + reason);
        }

        RemoveLeftovers();
        return new NetNs();
    }

    /// <summary>Time since the lab was created: the clock of <see cref="Timeline"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Creates a namespace ("host") with its loopback up; <paramref name="role"/> names it in messages.</summary>
    public string Host(string role)
    {
        string ns = $"{_name}-{role}";
        Ip("netns", "add", ns);
        _namespaces.Add(ns);
        Ip("-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>
    /// Joins two hosts with a veth pair, addresses 10.47.&lt;n&gt;.1/30 on <paramref name="a"/> and .2 on
    /// <paramref name="b"/> (n counts the lab's links from 1), both ends up.
    /// </summary>
    public NetLink Link(string a, string b)
    {
        int n = _links.Count + 1;
        string device = string.Create(CultureInfo.InvariantCulture, $"veth{n}");
        // Created directly in the two namespaces, so the names never meet in the root namespace.
        Ip("link", "add", device, "netns", a, "type", "veth", "peer", "name", device, "netns", b);
        var link = new NetLink(this, a, b, device, string.Create(CultureInfo.InvariantCulture, $"10.47.{n}.1"), string.Create(CultureInfo.InvariantCulture, $"10.47.{n}.2"));
        Ip("-n", a, "addr", "add", link.AddressA + "/30", "dev", device);
        Ip("-n", b, "addr", "add", link.AddressB + "/30", "dev", device);
        _links.Add(link);
        link.Heal();
        return link;
    }

    /// <summary>
    /// Starts <c>dotnet &lt;dll&gt; args</c> from the test's output folder inside <paramref name="host"/>;
    /// <paramref name="label"/> names it in the timeline.
    /// </summary>
    public NetNsProcess Start(string host, string label, string dll, params string[] arguments)
    {
        var process = new NetNsProcess(this, label, host, Path.Combine(TestContext.CurrentContext.TestDirectory, dll), arguments);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Starts <c>zguide &lt;args&gt;</c> inside <paramref name="host"/>.</summary>
    public NetNsProcess Zguide(string host, string label, params string[] arguments) => Start(host, label, "zguide.dll", arguments);

    /// <summary>Starts this test assembly's own client host (<see cref="NetNsHost"/>) inside <paramref name="host"/>.</summary>
    public NetNsProcess Client(string host, string label, params string[] arguments) =>
        Start(host, label, typeof(NetNs).Assembly.GetName().Name + ".dll", arguments);

    /// <summary>Adds a line to the timeline (the test's own steps: cut, heal, ...).</summary>
    public void Mark(string what) => Record("test", "---- " + what);

    /// <summary>Every line every process printed and every step the test marked, in the order they happened, timed.</summary>
    public string Timeline()
    {
        lock (_timeline)
        {
            var text = new StringBuilder();
            foreach (var (at, source, line) in _timeline)
            {
                text.Append(CultureInfo.InvariantCulture, $"{at.TotalSeconds,7:F2} {source,-9} {line}\n");
            }

            return text.ToString();
        }
    }

    /// <summary>Kills the lab's processes, deletes its namespaces (and with them the veths) and writes the timeline to the test's output.</summary>
    public void Dispose()
    {
        List<NetNsProcess> processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }

        foreach (var process in processes)
        {
            process.Dispose();
        }

        foreach (string ns in _namespaces)
        {
            TryIp("netns", "del", ns);
        }

        TestContext.Out.WriteLine(Timeline());
    }

    internal void Record(string source, string line)
    {
        lock (_timeline)
        {
            _timeline.Add((_clock.Elapsed, source, line));
        }
    }

    internal static void Ip(params string[] arguments)
    {
        var (exit, output) = Run("ip", arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed (exit {exit}): {output}");
        }
    }

    private static bool TryIp(params string[] arguments) => Run("ip", arguments).Exit == 0;

    private static (int Exit, string Output) Run(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} {string.Join(' ', arguments)} did not end within {CommandTimeout}");
        }

        process.WaitForExit();
        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }

    /// <summary>What this machine lacks for a lab, or null: tries one namespace pair with a veth between them.</summary>
    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces are Linux only";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "creating network namespaces and veth pairs needs root (run the tests as root)";
        }

        string a = $"{Prefix}{Environment.ProcessId}-probe-a";
        string b = $"{Prefix}{Environment.ProcessId}-probe-b";
        try
        {
            var (exit, output) = Run("ip", ["netns", "add", a]);
            if (exit != 0)
            {
                return $"`ip netns add` failed (exit {exit}): {output}";
            }

            (exit, output) = Run("ip", ["netns", "add", b]);
            if (exit != 0)
            {
                return $"`ip netns add` failed (exit {exit}): {output}";
            }

            (exit, output) = Run("ip", ["link", "add", "veth0", "netns", a, "type", "veth", "peer", "name", "veth0", "netns", b]);
            return exit == 0 ? null : $"`ip link add ... type veth` failed (exit {exit}): {output}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"the `ip` command (iproute2) could not be run: {e.Message}";
        }
        finally
        {
            TryRun("ip", ["netns", "del", a]);
            TryRun("ip", ["netns", "del", b]);
        }
    }

    private static void TryRun(string file, string[] arguments)
    {
        try
        {
            Run(file, arguments);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // nothing to clean up when ip itself is missing
        }
    }

    /// <summary>
    /// Deletes namespaces an earlier test process created and never removed (it was killed): their names
    /// carry that process's id, and it no longer runs. Processes still inside them were started by that
    /// run's lab; they are ended first, or the namespace would outlive its name.
    /// </summary>
    private static void RemoveLeftovers()
    {
        var (exit, output) = Run("ip", ["netns", "list"]);
        if (exit != 0)
        {
            return;
        }

        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string ns = line.Split(' ')[0];
            if (!ns.StartsWith(Prefix, StringComparison.Ordinal)
                || !int.TryParse(ns.AsSpan(Prefix.Length, Math.Max(0, ns.IndexOf('-', Prefix.Length) - Prefix.Length)), NumberStyles.None, CultureInfo.InvariantCulture, out int owner)
                || owner == Environment.ProcessId
                || IsRunning(owner))
            {
                continue;
            }

            var (_, pids) = Run("ip", ["netns", "pids", ns]);
            foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                {
                    try
                    {
                        using var stale = Process.GetProcessById(id);
                        stale.Kill();
                        stale.WaitForExit(10_000);
                    }
                    catch (ArgumentException)
                    {
                        // already gone
                    }
                }
            }

            TryIp("netns", "del", ns);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>One veth pair of a <see cref="NetNs"/> lab: a cable between two hosts that the test can pull and plug back in.</summary>
internal sealed class NetLink
{
    private readonly NetNs _lab;

    internal NetLink(NetNs lab, string hostA, string hostB, string device, string addressA, string addressB)
    {
        _lab = lab;
        HostA = hostA;
        HostB = hostB;
        Device = device;
        AddressA = addressA;
        AddressB = addressB;
    }

    /// <summary>The first host (address <see cref="AddressA"/>).</summary>
    public string HostA { get; }

    /// <summary>The second host (address <see cref="AddressB"/>).</summary>
    public string HostB { get; }

    /// <summary>The veth's name at both ends.</summary>
    public string Device { get; }

    /// <summary>The first host's address on this link.</summary>
    public string AddressA { get; }

    /// <summary>The second host's address on this link.</summary>
    public string AddressB { get; }

    /// <summary>Takes both ends down: no packet crosses until <see cref="Heal"/>.</summary>
    public void Cut()
    {
        NetNs.Ip("-n", HostA, "link", "set", Device, "down");
        NetNs.Ip("-n", HostB, "link", "set", Device, "down");
        _lab.Record("test", $"---- link {AddressA} <-> {AddressB} cut");
    }

    /// <summary>Brings both ends up again (the kernel restores the /30's route).</summary>
    public void Heal()
    {
        NetNs.Ip("-n", HostA, "link", "set", Device, "up");
        NetNs.Ip("-n", HostB, "link", "set", Device, "up");
        _lab.Record("test", $"---- link {AddressA} <-> {AddressB} up");
    }
}
