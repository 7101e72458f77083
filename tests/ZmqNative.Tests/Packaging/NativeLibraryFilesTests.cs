using System.Text.RegularExpressions;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Packaging;

/// <summary>
/// Every library in native/out/ (this machine's, and the cross builds where they were made):
/// built for its runtime id's machine, needing nothing beyond what every such system has, and
/// exporting only the zmq_* API. The same checks native/build-libzmq.sh makes after a build,
/// repeated here so a library copied into native/out/ by hand (macOS builds) is checked too.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class NativeLibraryFilesTests
{
    // Linux: the C library and its loader only (libstdc++ and libgcc are linked statically); musl's C library is libc.so.
    private static readonly Regex AllowedElfDependency =
        new(@"^(libc\.so(\.\d+)?|libm\.so\.\d+|libpthread\.so\.\d+|libdl\.so\.\d+|librt\.so\.\d+|ld-linux[-\w.]*\.so\.\d+)$");

    // Windows: DLLs every Windows has; no libstdc++-6.dll, libgcc_s_seh-1.dll, libwinpthread-1.dll.
    private static readonly HashSet<string> AllowedWindowsDlls = new(StringComparer.OrdinalIgnoreCase)
    {
        "KERNEL32.dll", "WS2_32.dll", "ADVAPI32.dll", "IPHLPAPI.DLL", "msvcrt.dll", "USER32.dll", "RPCRT4.dll", "ntdll.dll", "bcrypt.dll",
    };

    private static IEnumerable<string> ElfRuntimeIds() => PackageFolder.BuiltRuntimes().Where(r => r.StartsWith("linux-", StringComparison.Ordinal));

    private static IEnumerable<string> WindowsRuntimeIds() => PackageFolder.BuiltRuntimes().Where(r => r.StartsWith("win-", StringComparison.Ordinal));

    [TestCaseSource(nameof(ElfRuntimeIds))]
    public void ElfLibrary_Header_IsForTheRuntimeIdsMachine(string rid)
    {
        var (exit, output, error) = Repo.RunTool("readelf", "-h", Library(rid));
        Assert.That(exit, Is.EqualTo(0), error);

        string machine = Regex.Match(output, @"Machine:\s*(?<m>.+)").Groups["m"].Value.Trim();
        Assert.That(machine, Is.EqualTo(rid switch
        {
            "linux-x64" or "linux-musl-x64" => "Advanced Micro Devices X86-64",
            "linux-arm64" or "linux-musl-arm64" => "AArch64",
            _ => throw new ArgumentOutOfRangeException(nameof(rid)),
        }));
    }

    [TestCaseSource(nameof(ElfRuntimeIds))]
    public void ElfLibrary_Dependencies_AreOnlyTheCLibrary(string rid)
    {
        var (exit, output, error) = Repo.RunTool("readelf", "-d", Library(rid));
        Assert.That(exit, Is.EqualTo(0), error);

        var needed = Regex.Matches(output, @"\(NEEDED\).*\[(?<name>[^\]]+)\]").Select(m => m.Groups["name"].Value).ToList();
        Assert.That(needed, Is.Not.Empty);
        Assert.That(needed, Has.All.Matches(AllowedElfDependency), "dependencies: " + string.Join(", ", needed));
    }

    // The oldest glibc the Linux libraries load on. Built on Debian 12, the statically linked
    // libstdc++ calls arc4random (glibc 2.36) and libgcc's unwinder _dl_find_object (2.35):
    // Debian 12+, Ubuntu 23.04+, Fedora 37+. A build on an older system lowers it; a newer
    // build system must not raise it unnoticed (README's Install section states it).
    private static readonly Version NewestGlibcNeeded = new(2, 36);

    [TestCaseSource(nameof(ElfRuntimeIds))]
    public void ElfLibrary_GlibcVersionsNeeded_AreAtMostTheDocumentedFloor(string rid)
    {
        Assume.That(rid, Does.Not.Contain("-musl-"), "musl has no symbol versions");
        var (exit, output, error) = Repo.RunTool("readelf", "-V", "-W", Library(rid));
        Assert.That(exit, Is.EqualTo(0), error);

        var needed = Regex.Matches(output, @"Name:\s*GLIBC_(?<v>\d+\.\d+(\.\d+)?)").Select(m => Version.Parse(m.Groups["v"].Value)).ToList();
        Assert.That(needed, Is.Not.Empty);
        Assert.That(needed.Max(), Is.LessThanOrEqualTo(NewestGlibcNeeded));
    }

    [TestCaseSource(nameof(ElfRuntimeIds))]
    public void ElfLibrary_DynamicSymbols_ExportOnlyTheZmqApi(string rid)
    {
        // readelf, not nm: nm reads only the host's architecture on some systems.
        var (exit, output, error) = Repo.RunTool("readelf", "--dyn-syms", "-W", Library(rid));
        Assert.That(exit, Is.EqualTo(0), error);

        // Defined (section index not UND), global symbols: Num: Value Size Type Bind Vis Ndx Name
        var exported = Regex.Matches(output, @"^\s*\d+:\s+\S+\s+\d+\s+\w+\s+(GLOBAL|WEAK)\s+\w+\s+(?!UND)\S+\s+(?<name>[^\s@]+)", RegexOptions.Multiline)
            .Select(m => m.Groups["name"].Value)
            .ToList();
        Assert.That(exported, Has.Some.EqualTo("zmq_ctx_new"));
        Assert.That(exported.Where(n => !n.StartsWith("zmq_", StringComparison.Ordinal)), Is.Empty);
    }

    // llvm-readobj, not binutils' objdump: Debian's objdump reads x64 PE only, not ARM64.
    [TestCaseSource(nameof(WindowsRuntimeIds))]
    public void WindowsLibrary_Machine_IsTheRuntimeIdsMachine(string rid)
    {
        var (exit, output, error) = Repo.RunTool("llvm-readobj", "--file-headers", Library(rid));
        Assert.That(exit, Is.EqualTo(0), error);

        string machine = Regex.Match(output, @"Machine:\s*IMAGE_FILE_MACHINE_(?<m>\w+)").Groups["m"].Value;
        Assert.That(machine, Is.EqualTo(rid switch
        {
            "win-x64" => "AMD64",
            "win-arm64" => "ARM64",
            _ => throw new ArgumentOutOfRangeException(nameof(rid)),
        }));
        Assert.That(output, Does.Contain("IMAGE_FILE_DLL"));
    }

    [TestCaseSource(nameof(WindowsRuntimeIds))]
    public void WindowsLibrary_Imports_AreOnlySystemDlls(string rid)
    {
        var (exit, output, error) = Repo.RunTool("llvm-readobj", "--coff-imports", Library(rid));
        Assert.That(exit, Is.EqualTo(0), error);

        var imports = Regex.Matches(output, @"^\s*Name:\s*(?<name>\S+\.dll)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase).Select(m => m.Groups["name"].Value).ToList();
        Assert.That(imports, Does.Contain("KERNEL32.dll").And.Contain("WS2_32.dll"));
        Assert.That(imports.Where(d => !AllowedWindowsDlls.Contains(d)), Is.Empty,
            "the DLL must not need a MinGW or C++ runtime DLL beside it; imports: " + string.Join(", ", imports));
    }

    [TestCaseSource(nameof(WindowsRuntimeIds))]
    public void WindowsLibrary_Exports_AreOnlyTheZmqApi(string rid)
    {
        var (exit, output, error) = Repo.RunTool("llvm-readobj", "--coff-exports", Library(rid));
        Assert.That(exit, Is.EqualTo(0), error);

        var exported = Regex.Matches(output, @"^\s*Name:\s*(?<name>\S+)\s*$", RegexOptions.Multiline).Select(m => m.Groups["name"].Value).ToList();
        Assert.That(exported, Has.Some.EqualTo("zmq_ctx_new"));
        Assert.That(exported.Where(n => !n.StartsWith("zmq_", StringComparison.Ordinal)), Is.Empty);
    }

    private static string Library(string rid) =>
        Path.Combine(Repo.Root, "native", "out", rid, PackageFolder.RuntimeLibraries[rid]);
}
