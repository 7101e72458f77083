using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Native;

/// <summary>The patch level the loaded libzmq reports: the fix patches its build applied.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class PatchLevelTests
{
    private static int FixPatchCount() =>
        Directory.GetFiles(Path.Combine(Repo.Root, "native", "patches"), "fix-*.patch").Length;

    [Test]
    public void PatchLevel_OfTheBuiltLibrary_IsTheNumberOfFixPatches()
    {
        Assert.That(FixPatchCount(), Is.GreaterThan(0));
        Assert.That(ZmqNativeLibrary.PatchLevel, Is.EqualTo(FixPatchCount()));
    }

    [Test]
    public void Version_OfTheBuiltLibrary_CarriesThePatchLevel()
    {
        Assert.That(ZmqNativeLibrary.Version,
            Is.EqualTo($"{Repo.PinnedValue("LIBZMQ_VERSION")}+zmqnative.{FixPatchCount()}"));
    }

    [Test]
    public void Library_DynamicSymbols_ExportThePatchLevelFunction()
    {
        Assume.That(OperatingSystem.IsLinux(), "ELF check");
        var (exit, output, error) = Repo.RunTool("nm", "-D", "--defined-only", Repo.BuiltLibrary);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output.Split('\n').Select(l => l.Split(' ').Last()), Has.Some.EqualTo("zmq_zmqnative_patch_level"));
    }
}
