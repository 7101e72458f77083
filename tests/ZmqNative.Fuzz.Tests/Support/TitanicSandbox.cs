using ZmqNative.Fuzz.Tests.Generator;

namespace ZmqNative.Fuzz.Tests.Support;

/// <summary>
/// Titanic's store four directories below a sandbox root, with canary files where the traversal
/// UUIDs point; <see cref="Check"/> finds any file added, changed or removed outside the store.
/// </summary>
internal sealed class TitanicSandbox : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zmqnative-fuzz-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _before;

    public TitanicSandbox()
    {
        Store = Path.Combine(_root, "a", "b", "work", ".titanic");
        Directory.CreateDirectory(Store);
        foreach (var target in TrafficGenerator.TraversalTargets)
        {
            string path = Path.GetFullPath(Path.Combine(Store, target.Replace('\\', '/')));
            if (path.StartsWith(_root, StringComparison.Ordinal) && !path.StartsWith(Store, StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, "canary");
            }
        }

        _before = Snapshot();
    }

    /// <summary>The store's directory, for TitanicStore or `zguide titanic --dir`.</summary>
    public string Store { get; }

    /// <summary>Rule 4: null when every file outside the store is as it was, otherwise the paths that changed.</summary>
    public string? Check()
    {
        var now = Snapshot();
        var changed = now.Where(f => !_before.TryGetValue(f.Key, out var was) || was != f.Value).Select(f => f.Key)
            .Concat(_before.Keys.Where(f => !now.ContainsKey(f)))
            .ToList();
        foreach (var escaped in new[] { Path.Combine(Path.GetTempPath(), TrafficGenerator.TraversalMarker), "/tmp/" + TrafficGenerator.TraversalMarker, "/etc/" + TrafficGenerator.TraversalMarker })
        {
            if (File.Exists(escaped))
            {
                changed.Add(escaped);
            }
        }

        return changed.Count == 0 ? null : string.Join(", ", changed);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // a file still open: the temp folder is cleaned by the system
        }
    }

    private Dictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Store + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToDictionary(f => f, f => File.ReadAllText(f));
}
