using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Native;

/// <summary>
/// native/toolchain/check-floors.sh over native/out/*: every built library keeps its floor
/// (glibc 2.17 at most, only the C library, only zmq_* exported, macOS minimum, signature) and
/// matches linux-x64's exports and configured features. Also that the check catches each kind
/// of regression, on doctored copies (a check that passes everything would show nothing).
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public class FloorTests
{
    private static string Script => Path.Combine(Repo.Root, "native", "toolchain", "check-floors.sh");

    private static string Reference => Path.Combine(Repo.Root, "native", "out", "linux-x64");

    private string scratch = "";

    [SetUp]
    public void SetUp()
    {
        Assume.That(Repo.Rid, Is.EqualTo("linux-x64"), "the checks read ELF and build with the host's cc");
        scratch = Directory.CreateTempSubdirectory("zmqnative-floors-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        if (scratch.Length > 0)
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Test]
    public void EveryBuiltLibrary_KeepsItsFloor_AndMatchesLinuxX64()
    {
        var (exit, output, error) = Repo.RunTool("bash", Script, Path.Combine(Repo.Root, "native", "out"));
        TestContext.Out.WriteLine(output);
        Assert.That(exit, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("floors: ok   linux-x64: zmq_has says 'has: ipc tipc curve draft WS'"));
        Assert.That(output, Does.Contain("floors: all checks passed"));
    }

    [Test]
    public void RaisedGlibcFloor_IsRejected()
    {
        // arc4random is GLIBC_2.36 (Debian 12): what the gcc build once pulled in.
        var output = CheckDoctored(StubLibrary(body: "extern unsigned arc4random(void); unsigned probe(void) { return arc4random(); }"));
        Assert.That(output, Does.Contain("needs GLIBC_2.36; the floor is GLIBC_2.17"));
    }

    [Test]
    public void CxxRuntimeDependency_IsRejected()
    {
        var output = CheckDoctored(StubLibrary(body: "", extraLinkArguments: ["-Wl,--no-as-needed", "-lstdc++"]));
        Assert.That(output, Does.Contain("needs libstdc++.so.6; only the C library is allowed"));
    }

    [Test]
    public void NonZmqExport_IsRejected()
    {
        var output = CheckDoctored(StubLibrary(body: "__attribute__((visibility(\"default\"))) int helper_leaked(void) { return 1; }"));
        Assert.That(output, Does.Contain("exports more than zmq_*: 1 others, e.g. helper_leaked"));
    }

    [Test]
    public void MissingExport_IsRejected()
    {
        var output = CheckDoctored(StubLibrary(body: "", omit: "zmq_ctx_new"));
        Assert.That(output, Does.Contain("exports differ from linux-x64: -zmq_ctx_new"));
    }

    [Test]
    public void LostFeature_IsRejected()
    {
        // The real library, configured (platform.hpp) without TIPC: what a cross build that
        // skipped libzmq's probes once shipped for arm64.
        var dir = Doctored();
        File.Copy(Path.Combine(Reference, "libzmq.so"), Path.Combine(dir, "libzmq.so"));
        File.WriteAllLines(Path.Combine(dir, "platform.hpp"),
            File.ReadLines(Path.Combine(Reference, "platform.hpp")).Where(l => !l.StartsWith("#define ZMQ_HAVE_TIPC", StringComparison.Ordinal)));
        var output = RunOnDoctored();
        Assert.That(output, Does.Contain("configured features differ from linux-x64: -ZMQ_HAVE_TIPC"));
    }

    [Test]
    public void LostCapability_IsRejected()
    {
        // zmq_has answering no for tipc, the rest as the real library.
        var output = CheckDoctored(StubLibrary(
            body: "int zmq_has(const char *c) { return c[0] != 't' && c[0] != 'p' && c[0] != 'n' && c[0] != 'g' && !(c[0] == 'W' && c[2] == 'S'); }",
            omit: "zmq_has"));
        Assert.That(output, Does.Contain("zmq_has says 'has: ipc curve draft WS', expected 'has: ipc tipc curve draft WS'"));
    }

    // A doctored native/out/linux-x64 in the scratch folder (zmq.h and platform.hpp from the real one).
    private string Doctored()
    {
        var dir = Path.Combine(scratch, "out", "linux-x64");
        Directory.CreateDirectory(Path.Combine(dir, "include"));
        File.Copy(Path.Combine(Reference, "include", "zmq.h"), Path.Combine(dir, "include", "zmq.h"));
        return dir;
    }

    private string RunOnDoctored()
    {
        var (exit, output, error) = Repo.RunTool("bash", Script, Path.Combine(scratch, "out"), "--reference", Reference);
        TestContext.Out.WriteLine(output + error);
        Assert.That(exit, Is.EqualTo(1), "the check passed a doctored library:\n" + output + error);
        Assert.That(output, Does.Contain("floors: some checks FAILED"));
        return output + error;
    }

    private string CheckDoctored(string library)
    {
        var dir = Doctored();
        File.Copy(library, Path.Combine(dir, "libzmq.so"));
        File.Copy(Path.Combine(Reference, "platform.hpp"), Path.Combine(dir, "platform.hpp"));
        return RunOnDoctored();
    }

    // A shared library exporting the real library's symbols as stubs (zmq_has saying yes to
    // what the real one does), plus body, built with the host's cc and the same export rules.
    private string StubLibrary(string body, string[]? extraLinkArguments = null, string? omit = null)
    {
        var (exit, exports, error) = Repo.RunTool("bash", Path.Combine(Repo.Root, "native", "toolchain", "check-library.sh"),
            "--exports", "linux-x64", Path.Combine(Reference, "libzmq.so"));
        Assert.That(exit, Is.EqualTo(0), error);
        var names = exports.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => n != omit && n != "zmq_has");
        var source = string.Join('\n', names.Select(n => $"__attribute__((visibility(\"default\"))) int {n}(void) {{ return 0; }}"));
        if (omit != "zmq_has")
        {
            source += "\n__attribute__((visibility(\"default\"))) int zmq_has(const char *c) { return c[0] == 'i' || c[0] == 't' || c[0] == 'c' || c[0] == 'd' || (c[0] == 'W' && c[1] == 'S' && c[2] == 0); }";
        }

        // One call into glibc, as any real build has (a library with no GLIBC_ versions at all
        // is rejected on its own: "not linked against glibc?").
        source += "\nextern unsigned long strlen(const char *);\n__attribute__((visibility(\"hidden\"))) unsigned long stub_glibc(const char *s) { return strlen(s); }";
        var c = Path.Combine(scratch, "stub.c");
        File.WriteAllText(c, source + "\n" + body.Replace("int zmq_has", "__attribute__((visibility(\"default\"))) int zmq_has") + "\n");
        var so = Path.Combine(scratch, "stub.so");
        var (ccExit, _, ccError) = Repo.RunTool("cc", ["-shared", "-fPIC", "-fvisibility=hidden", "-o", so, c, .. extraLinkArguments ?? []]);
        Assert.That(ccExit, Is.EqualTo(0), ccError);
        return so;
    }
}
