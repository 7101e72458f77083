using System.Reflection;
using System.Runtime.InteropServices;
using ZmqNative.Generator;
using ZmqNative.Interop;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Interop;

/// <summary>
/// The calls that skip the GC transition are listed in one place, the generator (NoGcTransition and
/// NoGcAttempts in native/generator/LibZmqGenerator.cs, with the rule for each), and the raw layer
/// declares exactly those: the accessors themselves, and a <c>_nogc</c> twin of each attempt call.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class NoGcTransitionTests
{
    [Test]
    public void RawLayer_SuppressedTransitions_AreExactlyTheGeneratorsLists()
    {
        var suppressed = typeof(LibZmq).GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(m => m.GetCustomAttribute<SuppressGCTransitionAttribute>() is not null)
            .ToList();
        var expected = LibZmqGenerator.NoGcTransition
            .Concat(LibZmqGenerator.NoGcAttempts.Select(name => name + LibZmqGenerator.NoGcSuffix))
            .Order(StringComparer.Ordinal);

        Assert.That(suppressed.Select(m => m.Name).Order(StringComparer.Ordinal), Is.EqualTo(expected));
        foreach (MethodInfo twin in suppressed.Where(m => m.Name.EndsWith(LibZmqGenerator.NoGcSuffix, StringComparison.Ordinal)))
        {
            var import = twin.GetCustomAttribute<LibraryImportAttribute>()!;
            string entryPoint = twin.Name[..^LibZmqGenerator.NoGcSuffix.Length];
            Assert.That(import.EntryPoint, Is.EqualTo(entryPoint), twin.Name);
            Assert.That(import.SetLastError, Is.False, $"{twin.Name}: capturing errno would cost two more calls per message");
            MethodInfo ordinary = typeof(LibZmq).GetMethod(entryPoint, BindingFlags.Static | BindingFlags.NonPublic)!;
            Assert.That(ordinary.GetCustomAttribute<SuppressGCTransitionAttribute>(), Is.Null, $"{entryPoint} itself keeps the transition");
            Assert.That(twin.GetParameters().Select(p => p.ParameterType), Is.EqualTo(ordinary.GetParameters().Select(p => p.ParameterType)), twin.Name);
        }
    }

    [Test]
    public void Sources_SuppressGCTransition_OnlyInTheGeneratedLayer()
    {
        string root = Path.Combine(Repo.Root, "src");
        var handwritten = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"Interop{Path.DirectorySeparatorChar}Generated", StringComparison.Ordinal))
            .Where(p => File.ReadLines(p).Any(l => l.TrimStart().StartsWith("[SuppressGCTransition", StringComparison.Ordinal)))
            .Select(p => Path.GetRelativePath(Repo.Root, p));

        Assert.That(handwritten, Is.Empty, "add the call to NoGcTransition or NoGcAttempts in native/generator instead");
    }
}
