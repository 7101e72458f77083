using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Packaging;

/// <summary>
/// What build.cake's Pack target put in artifacts/packages/: one runtime package per native
/// build holding only the library and libzmq's licenses, ZmqNative.Native depending on exactly
/// those, and ZmqNative (both frameworks, XML docs, symbols) depending on ZmqNative.Native.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class NuGetPackagesTests
{
    // The runtime ids built in native/out/ (this machine's always; cross ones after --rids=all).
    private static IEnumerable<string> RuntimeIds() => PackageFolder.BuiltRuntimes();

    [Test]
    public void Pack_EveryNativeBuild_HasARuntimePackage()
    {
        Assert.That(PackageFolder.PackedRuntimes(), Is.EquivalentTo(PackageFolder.BuiltRuntimes()),
            "Pack packs exactly the runtime ids built in native/out/");
        Assert.That(PackageFolder.PackedRuntimes(), Does.Contain(Repo.Rid), "this machine's runtime id is always built and packed");
    }

    [TestCaseSource(nameof(RuntimeIds))]
    public void RuntimePackage_Contents_AreOnlyTheLibraryAndItsLicenses(string rid)
    {
        string package = PackageFolder.Require($"runtime.{rid}.ZmqNative.Native");
        string library = PackageFolder.RuntimeLibraries[rid];

        var expected = new List<string>
        {
            "COPYING.LESSER.txt",
            "COPYING.txt",
            "README.md",
            "THIRD-PARTY-NOTICES.txt",
            $"runtimes/{rid}/native/{library}",
        };
        if (File.Exists(Path.Combine(Repo.Root, "native", "out", rid, "static", "libzmq.a")))
        {
            expected.Add("static/libzmq.a"); // for NativeAOT static linking, outside runtimes/ so it is never copied to an app
        }

        Assert.That(PackageFolder.ContentEntries(package), Is.EqualTo(expected),
            "no managed code (lib/, ref/), nothing but the native library (and its static archive), licenses and readme");
    }

    [TestCaseSource(nameof(RuntimeIds))]
    public void RuntimePackage_Library_IsTheNativeBuildStrippedWithTheSameExports(string rid)
    {
        string package = PackageFolder.Require($"runtime.{rid}.ZmqNative.Native");
        string library = PackageFolder.RuntimeLibraries[rid];
        Assume.That(rid, Does.Not.StartWith("osx-"), "ELF and PE libraries are stripped when packed; Mach-O is packed as built (signed)");
        string packed = Path.Combine(Path.GetTempPath(), $"zmqnative-packed-{rid}-{Environment.ProcessId}{Path.GetExtension(library)}");
        File.WriteAllBytes(packed, PackageFolder.ReadEntry(package, $"runtimes/{rid}/native/{library}"));
        try
        {
            if (rid.StartsWith("win-", StringComparison.Ordinal))
            {
                // PE: the COFF symbol table is gone (the loader and P/Invoke use the export table only).
                var (headerExit, headers, headerError) = Repo.RunTool("llvm-readobj", "--file-headers", packed);
                Assert.That(headerExit, Is.EqualTo(0), headerError);
                Assert.That(headers, Does.Match(@"SymbolCount: 0\s"), "the packed DLL has no COFF symbol table");
                Assert.That(PeExports(packed), Is.EqualTo(PeExports(Path.Combine(Repo.Root, "native", "out", rid, library))).And.Not.Empty,
                    "stripping keeps every exported zmq_* function (what P/Invoke binds to)");
                return;
            }

            var (exit, description, error) = Repo.RunTool("file", "-b", packed);
            Assert.That(exit, Is.EqualTo(0), error);
            Assert.That(description, Does.Contain("ELF").And.Contain(", stripped"), "what `file` says of the packed library");
            Assert.That(DynamicExports(packed), Is.EqualTo(DynamicExports(Path.Combine(Repo.Root, "native", "out", rid, library))).And.Not.Empty,
                "stripping keeps every exported zmq_* symbol (what P/Invoke binds to)");
        }
        finally
        {
            File.Delete(packed);
        }
    }

    private static List<string> PeExports(string dll)
    {
        var (exit, output, error) = Repo.RunTool("llvm-readobj", "--coff-exports", dll);
        Assert.That(exit, Is.EqualTo(0), error);
        return System.Text.RegularExpressions.Regex.Matches(output, @"^\s*Name:\s*(?<name>\S+)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups["name"].Value)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static List<string> DynamicExports(string elf)
    {
        var (exit, output, error) = Repo.RunTool("readelf", "--dyn-syms", "-W", elf);
        Assert.That(exit, Is.EqualTo(0), error);
        return System.Text.RegularExpressions.Regex.Matches(output, @"^\s*\d+:\s+\S+\s+\d+\s+FUNC\s+(GLOBAL|WEAK)\s+\w+\s+(?!UND)\S+\s+(?<name>zmq_[^\s@]+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups["name"].Value)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [TestCaseSource(nameof(RuntimeIds))]
    public void RuntimePackage_License_IsLibzmqsLgplWithTheStaticLinkingException(string rid)
    {
        string package = PackageFolder.Require($"runtime.{rid}.ZmqNative.Native");
        var metadata = PackageFolder.Metadata(package);

        var license = metadata.Child("license");
        Assert.That(license?.Attribute("type")?.Value, Is.EqualTo("file"));
        Assert.That(license?.Value, Is.EqualTo("COPYING.LESSER.txt"));
        string text = System.Text.Encoding.UTF8.GetString(PackageFolder.ReadEntry(package, "COPYING.LESSER.txt"));
        Assert.That(text, Does.Contain("GNU LESSER GENERAL PUBLIC LICENSE").And.Contain("Version 3"));
        Assert.That(text, Does.Contain("SPECIAL EXCEPTION GRANTED BY COPYRIGHT HOLDERS"));
        Assert.That(metadata.Child("dependencies"), Is.Null, "a runtime package depends on nothing");
    }

    [Test]
    public void NativePackage_Dependencies_AreEveryPackedRuntimePackageAtTheSameVersion()
    {
        string package = PackageFolder.Require("ZmqNative.Native");
        var dependencies = PackageFolder.Metadata(package).Child("dependencies")!.Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => (Id: e.Attribute("id")!.Value, Version: e.Attribute("version")!.Value))
            .Distinct()
            .ToList();

        Assert.That(dependencies.Select(d => d.Id),
            Is.EquivalentTo(PackageFolder.PackedRuntimes().Select(rid => $"runtime.{rid}.ZmqNative.Native")));
        Assert.That(dependencies.Select(d => d.Version), Has.All.EqualTo(PackageFolder.Version));
        Assert.That(PackageFolder.ContentEntries(package), Has.None.StartsWith("runtimes/"), "the libraries live in the runtime packages");
    }

    [Test]
    public void ManagedPackage_Contents_AreBothFrameworksWithXmlDocsAndReadme()
    {
        string package = PackageFolder.Require("ZmqNative");

        Assert.That(PackageFolder.ContentEntries(package), Is.EqualTo(new[]
        {
            "README.md",
            "lib/net10.0/ZmqNative.dll",
            "lib/net10.0/ZmqNative.xml",
            "lib/net8.0/ZmqNative.dll",
            "lib/net8.0/ZmqNative.xml",
        }));
        Assert.That(PackageFolder.Metadata(package).Child("readme")?.Value, Is.EqualTo("README.md"));
    }

    [Test]
    public void ManagedPackage_Dependencies_AreZmqNativeNativeForEachFramework()
    {
        string package = PackageFolder.Require("ZmqNative");
        var groups = PackageFolder.Metadata(package).Child("dependencies")!.Elements().ToList();

        Assert.That(groups.Select(g => g.Attribute("targetFramework")?.Value), Is.EquivalentTo(new[] { "net8.0", "net10.0" }));
        foreach (var group in groups)
        {
            var dependencies = group.Elements().Select(d => (d.Attribute("id")?.Value, d.Attribute("version")?.Value)).ToList();
            Assert.That(dependencies, Is.EqualTo(new[] { ("ZmqNative.Native", PackageFolder.Version) }),
                "ZmqNative needs nothing but libzmq at run time");
        }
    }

    [Test]
    public void ManagedPackage_Symbols_AreASnupkgWithPortablePdbs()
    {
        string symbols = PackageFolder.Require("ZmqNative", ".snupkg");

        Assert.That(PackageFolder.ContentEntries(symbols), Is.EqualTo(new[]
        {
            "lib/net10.0/ZmqNative.pdb",
            "lib/net8.0/ZmqNative.pdb",
        }));
        byte[] pdb = PackageFolder.ReadEntry(symbols, "lib/net8.0/ZmqNative.pdb");
        Assert.That(System.Text.Encoding.ASCII.GetString(pdb, 0, 4), Is.EqualTo("BSJB"), "portable PDB signature");
    }

    [Test]
    public void Packages_Versions_AllComeFromDirectoryBuildProps()
    {
        PackageFolder.Require("ZmqNative");
        var files = Directory.GetFiles(PackageFolder.Path, "*.nupkg");

        foreach (var file in files)
        {
            Assert.That(PackageFolder.Metadata(file).Child("version")?.Value, Is.EqualTo(PackageFolder.Version), Path.GetFileName(file));
        }
    }

    [Test]
    public void Packages_GlobalPackagesFolder_HoldsNoneOfOurs()
    {
        // Pack builds with project references and the consumer test restores into a private
        // folder, so our packages never reach the global cache, where a stale copy of the same
        // version would shadow every rebuilt package.
        string global = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var ours = Directory.Exists(global)
            ? Directory.GetDirectories(global).Select(Path.GetFileName).Where(n => n!.Contains("zmqnative", StringComparison.OrdinalIgnoreCase)).ToList()
            : [];

        Assert.That(ours, Is.Empty, $"{global} holds ZmqNative packages; delete them");
    }
}
