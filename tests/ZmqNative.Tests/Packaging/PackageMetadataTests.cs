using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Packaging;

/// <summary>
/// What a user sees of every package on a gallery: its license (MIT for the binding, libzmq's
/// LGPL-3.0 with the static-linking exception for the native packages, both texts included), a
/// readme with the platform table, repository and project URLs with the packed commit, SourceLink
/// in the symbols, and the native files where the .NET host and NuGet look for them.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class PackageMetadataTests
{
    private static readonly string[] ManagedPackages = ["ZmqNative", "ZmqNative.Patterns"];

    private static IEnumerable<string> AllPackages() =>
        ManagedPackages.Concat(["ZmqNative.Native"]).Concat(PackageFolder.BuiltRuntimes().Select(rid => $"runtime.{rid}.ZmqNative.Native"));

    private static IEnumerable<string> NativePackages() =>
        new[] { "ZmqNative.Native" }.Concat(PackageFolder.BuiltRuntimes().Select(rid => $"runtime.{rid}.ZmqNative.Native"));

    private static string RepositoryUrl { get; } =
        XDocument.Load(Path.Combine(Repo.Root, "Directory.Build.props")).Descendants().First(e => e.Name.LocalName == "ZmqNativeRepositoryUrl").Value.Trim();

    [Test]
    public void RepositoryRoot_License_IsMit()
    {
        string license = File.ReadAllText(Path.Combine(Repo.Root, "LICENSE"));

        Assert.That(license, Does.StartWith("MIT License"));
        Assert.That(license, Does.Contain("Permission is hereby granted, free of charge"));
    }

    [TestCaseSource(nameof(ManagedPackages))]
    public void ManagedPackage_License_IsTheMitExpression(string id)
    {
        var license = PackageFolder.Metadata(PackageFolder.Require(id)).Child("license");

        Assert.That(license?.Attribute("type")?.Value, Is.EqualTo("expression"));
        Assert.That(license?.Value, Is.EqualTo("MIT"));
    }

    [TestCaseSource(nameof(NativePackages))]
    public void NativePackage_License_IsLgpl3WithBothTextsAndTheExceptionSaidInTheReadme(string id)
    {
        string package = PackageFolder.Require(id);
        var license = PackageFolder.Metadata(package).Child("license");

        Assert.That(license?.Attribute("type")?.Value, Is.EqualTo("file"));
        Assert.That(license?.Value, Is.EqualTo("COPYING.LESSER.txt"));
        Assert.That(Text(package, "COPYING.txt"), Does.Contain("GNU GENERAL PUBLIC LICENSE").And.Contain("Version 3"), "libzmq's COPYING (the GPL the LGPL extends)");
        Assert.That(Text(package, "COPYING.LESSER.txt"), Does.Contain("GNU LESSER GENERAL PUBLIC LICENSE").And.Contain("SPECIAL EXCEPTION GRANTED BY COPYRIGHT HOLDERS"),
            "libzmq's COPYING.LESSER with the static-linking exception");
        string readme = Text(package, "README.md");
        Assert.That(readme, Does.Contain("LGPL-3.0").And.Contain("static-linking exception"));
        Assert.That(readme, Does.Contain("COPYING").And.Contain("COPYING.LESSER"));
    }

    [TestCaseSource(nameof(AllPackages))]
    public void Package_Readme_SaysWhichPlatformsAreBuiltAndHowEachIsVerified(string id)
    {
        string package = PackageFolder.Require(id);

        Assert.That(PackageFolder.Metadata(package).Child("readme")?.Value, Is.EqualTo("README.md"));
        string readme = Text(package, "README.md");
        Assert.That(readme, Does.StartWith("# " + (id.StartsWith("runtime.", StringComparison.Ordinal) ? "runtime.*.ZmqNative.Native" : id)));
        Assert.That(readme, Does.Contain("## Platforms"));
        foreach (var rid in PackageFolder.RuntimeLibraries.Keys)
        {
            Assert.That(readme, Does.Contain($"`{rid}`"), $"the platform table lists {rid}");
        }

        Assert.That(readme, Does.Contain("bullseye").And.Contain("qemu-aarch64").And.Contain("musl's loader").And.Contain("wine").And.Contain("not run on a Mac"));
    }

    [TestCaseSource(nameof(AllPackages))]
    public void Package_Repository_IsTheProjectUrlAtThePackedCommit(string id)
    {
        var metadata = PackageFolder.Metadata(PackageFolder.Require(id));

        Assert.That(metadata.Child("projectUrl")?.Value, Is.EqualTo(RepositoryUrl));
        var repository = metadata.Child("repository");
        Assert.That(repository?.Attribute("type")?.Value, Is.EqualTo("git"));
        Assert.That(repository?.Attribute("url")?.Value, Is.EqualTo(RepositoryUrl));
        if (ManagedPackages.Contains(id))
        {
            Assert.That(repository?.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"), "the commit the binding was built from");
        }
    }

    [TestCaseSource(nameof(ManagedPackages))]
    public void ManagedPackage_Symbols_CarrySourceLinkToTheRepository(string id)
    {
        string symbols = PackageFolder.Require(id, ".snupkg");
        var metadata = PackageFolder.Metadata(PackageFolder.Require(id));
        string commit = metadata.Child("repository")?.Attribute("commit")?.Value ?? "";

        foreach (var pdb in PackageFolder.ContentEntries(symbols).Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)))
        {
            using var stream = new MemoryStream(PackageFolder.ReadEntry(symbols, pdb));
            using var provider = System.Reflection.Metadata.MetadataReaderProvider.FromPortablePdbStream(stream);
            var reader = provider.GetMetadataReader();
            var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
            string? json = reader.CustomDebugInformation
                .Select(reader.GetCustomDebugInformation)
                .Where(c => reader.GetGuid(c.Kind) == sourceLinkKind)
                .Select(c => Encoding.UTF8.GetString(reader.GetBlobBytes(c.Value)))
                .SingleOrDefault();

            Assert.That(json, Is.Not.Null, $"{pdb} has a SourceLink map");
            string raw = RepositoryUrl.Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal);
            Assert.That(json, Does.Contain($"{raw}/{commit}/*"), $"{pdb}'s SourceLink points at the repository at the packed commit");
        }
    }

    [TestCaseSource(nameof(AllPackages))]
    public void Package_NativeFiles_AreOnlyUnderRuntimesRidNative(string id)
    {
        var entries = PackageFolder.ContentEntries(PackageFolder.Require(id));
        var libraries = entries.Where(e => Regex.IsMatch(e, @"(^|/)libzmq\.(so|dylib|dll)$")).ToList();
        var archives = entries.Where(e => e.EndsWith("libzmq.a", StringComparison.Ordinal)).ToList();
        Assert.That(archives, Is.Empty.Or.EqualTo(new[] { "static/libzmq.a" }),
            "the static archive (NativeAOT) lives outside runtimes/, which NuGet copies into every app");

        if (id.StartsWith("runtime.", StringComparison.Ordinal))
        {
            string rid = id["runtime.".Length..^".ZmqNative.Native".Length];
            Assert.That(libraries, Has.Count.GreaterThanOrEqualTo(1));
            Assert.That(libraries, Has.All.StartWith($"runtimes/{rid}/native/"), "where NuGet and the .NET host look for native assets");
        }
        else
        {
            Assert.That(libraries, Is.Empty, "only runtime packages carry libzmq");
        }
    }

    [Test]
    public void NativePackage_BuildTransitive_ListsThePackedRuntimeIds()
    {
        string package = PackageFolder.Require("ZmqNative.Native");

        Assert.That(PackageFolder.ContentEntries(package), Does.Contain("buildTransitive/ZmqNative.Native.targets").And.Contain("buildTransitive/ZmqNative.Native.props"));
        var props = XDocument.Parse(Text(package, "buildTransitive/ZmqNative.Native.props"));
        string listed = props.Descendants().Single(e => e.Name.LocalName == "ZmqNativeRuntimeIdentifiers").Value;
        Assert.That(listed.Split(';'), Is.EquivalentTo(PackageFolder.PackedRuntimes()));
    }

    private static string Text(string package, string entry) => Encoding.UTF8.GetString(PackageFolder.ReadEntry(package, entry)).TrimStart('\uFEFF');
}
