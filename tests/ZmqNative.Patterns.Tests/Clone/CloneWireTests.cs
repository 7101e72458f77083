using System.Diagnostics;
using System.Runtime.CompilerServices;
using ZmqNative.Patterns.Clone;

namespace ZmqNative.Patterns.Tests.Clone;

/// <summary>
/// Wire compatibility with another CHP implementation: chp_peer.py, a small Python (pyzmq) client and server written
/// from RFC 12 for these tests, against <see cref="CloneServer"/> and <see cref="CloneClient"/>, both ways. Skipped
/// when no python3 with the zmq module is installed (Debian: apt-get install python3-zmq).
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public class CloneWireTests
{
    [Test]
    public void CloneServer_PythonClient_GetsTheSnapshotOfItsSubtreeAndItsUpdatesSequenced()
    {
        string python = Python();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        int port = CloneTesting.FreeTriple();
        using var server = new RunningCloneServer(context, port, new CloneServerOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(100) });
        using var dotnet = new RecordingClient(context, null, CloneTesting.Address(port));
        dotnet.Client.Set("/shared/a", "from dotnet");
        dotnet.Client.Set("/other/b", "not in the subtree");
        CloneTesting.Until(() => dotnet.Client.Sequence == 2, "the seeded keys", dotnet.Signal);

        var output = RunPython(python, "client", port.ToString(), "/shared/", "3");

        Assert.That(output[0], Is.EqualTo("snapshot 2 1"), string.Join('\n', output));
        Assert.That(output[1], Is.EqualTo("entry /shared/a from dotnet"));
        Assert.That(output.Where(l => l.StartsWith("update ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Order(), Is.EqualTo(new[] { "/shared/py-0", "/shared/py-1", "/shared/py-2" }));
        Assert.That(output[^1], Is.EqualTo("done"));
        CloneTesting.Until(() => dotnet.Client.Get("/shared/py-2") == "from python 2", "python's updates in the .NET replica", dotnet.Signal);
        Assert.That(server.Count(CloneServerEventKind.Dropped), Is.EqualTo(0), "python's KVSETs (UUID, ttl=0 property) are well formed CHP");
    }

    [Test]
    public void PythonServer_CloneClient_SyncsItsMapAndSeesItsOwnUpdateSequenced()
    {
        string python = Python();
        int port = CloneTesting.FreeTriple();
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Script(), "server", port.ToString(), "60" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var serverOutput = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => serverOutput.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => serverOutput.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // The client connects at once; libzmq reconnects until the python server has bound its ports.
            using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
            using var client = new RecordingClient(context, new CloneClientOptions { Subtree = "/py/" }, CloneTesting.Address(port));
            Assert.That(client.Client.WaitForSync(CloneTesting.Wait), Is.True, "no snapshot from chp_peer.py: " + string.Join('\n', serverOutput));
            Assert.That(client.Map(), Is.EqualTo(new Dictionary<string, string> { ["/py/seeded"] = "from the python server" }));

            client.Client.Set("/py/from-dotnet", "hello", TimeSpan.FromSeconds(30));
            client.Client.Delete("/py/seeded");

            CloneTesting.Until(() => client.Client.Get("/py/from-dotnet") == "hello" && client.Client.Get("/py/seeded") is null, "our updates back from the python server", client.Signal);
            Assert.That(client.Events.Where(e => e.Kind == CloneClientEventKind.Updated).Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2 }));
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    private static List<string> RunPython(string python, params string[] arguments)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script());
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CloneTesting.Wait))
        {
            process.Kill();
            Assert.Fail("chp_peer.py did not end: " + stdout.Result + stderr.Result);
        }

        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), stdout.Result + stderr.Result);
        return [.. stdout.Result.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')];
    }

    private static string Script([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "chp_peer.py");

    private static string Python()
    {
        if (!File.Exists(Script()))
        {
            Assert.Ignore("chp_peer.py is not beside the test sources");
        }

        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                var info = new ProcessStartInfo(candidate, ["-c", "import zmq"]) { RedirectStandardError = true, UseShellExecute = false };
                using var process = Process.Start(info)!;
                process.WaitForExit(10_000);
                if (process.HasExited && process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }

        Assert.Ignore("no python3 with pyzmq (Debian: apt-get install python3-zmq)");
        return string.Empty;
    }
}
