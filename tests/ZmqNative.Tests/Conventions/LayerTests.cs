using System.Text.RegularExpressions;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Conventions;

/// <summary>
/// The layer rule of docs/architecture.md: the raw layer (src/ZmqNative/Interop/) and the
/// SafeHandles never reach up into the safe public API. The only types of the ZmqNative namespace
/// they may name are the foundation types, which themselves name nothing above the raw layer: the
/// exceptions of the one error path, the portable error codes, and the library-path setting the
/// resolver reads. A source scan (comments removed), since a using of the namespace says nothing.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public partial class LayerTests
{
    /// <summary>The foundation types (docs/architecture.md, "Layers").</summary>
    private static readonly string[] Foundation =
        ["ZmqException", "ContextTerminatedException", "ZmqFrameTooLargeException", "ZmqErrorCode", "ZmqNativeLibrary"];

    private static readonly string[] FoundationFiles = ["ZmqException.cs", "ZmqErrorCode.cs", "ZmqNativeLibrary.cs"];

    [Test]
    public void RawLayerSafeHandlesAndFoundation_NameNoTypeOfTheSafeLayer()
    {
        var safeLayer = typeof(ZmqSocket).Assembly.GetTypes()
            .Where(t => t.Namespace == "ZmqNative" && !t.IsNested && !t.Name.StartsWith('<'))
            .Select(t => Regex.Replace(t.Name, "`.*$", string.Empty))
            .Except(Foundation)
            .ToHashSet(StringComparer.Ordinal);
        string src = Path.Combine(Repo.Root, "src", "ZmqNative");
        var files = Directory.EnumerateFiles(Path.Combine(src, "Interop"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(src, "SafeHandles"), "*.cs"))
            .Concat(FoundationFiles.Select(f => Path.Combine(src, f)))
            .ToList();
        Assume.That(safeLayer, Does.Contain("ZmqSocket"));

        var reaches = new List<string>();
        foreach (var file in files)
        {
            string code = Comments().Replace(File.ReadAllText(file), string.Empty);
            foreach (Match word in Identifier().Matches(code))
            {
                if (safeLayer.Contains(word.Value))
                {
                    reaches.Add(Path.GetRelativePath(src, file) + ": " + word.Value);
                }
            }
        }

        Assert.That(files, Has.Count.GreaterThan(5));
        Assert.That(reaches.Distinct(), Is.Empty, "names of the safe layer below it (move the code up, or make the type a foundation type in docs/architecture.md)");
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\b")]
    private static partial Regex Identifier();
}
