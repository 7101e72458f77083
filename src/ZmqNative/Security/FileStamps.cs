namespace ZmqNative;

/// <summary>
/// What a set of files looked like when it was last read: each file's path, length and last write
/// time. Comparing two of them is the cheap check the certificate store and the passwords file
/// make before each lookup, instead of reading every file again.
/// </summary>
/// <remarks>
/// File systems keep modification times coarsely (Linux stamps files from a clock that ticks every
/// few milliseconds; FAT every 2 seconds), so a file rewritten soon after it was read can keep its
/// length and time. As git does with its index ("racily clean" entries), a set read less than
/// <see cref="RacyWindow"/> after one of its files was modified is not trusted: the next check
/// reads it again, until its files are older than that.
/// </remarks>
internal sealed class FileStamps : IEquatable<FileStamps>
{
    /// <summary>How recent a modification must be for the stamps not to prove the file unchanged.</summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly (string Path, long Length, long Ticks)[] _files;

    private FileStamps((string, long, long)[] files, bool racy)
    {
        _files = files;
        IsRacy = racy;
    }

    /// <summary>Whether a file was modified so recently that an unchanged stamp does not prove it unchanged.</summary>
    public bool IsRacy { get; }

    /// <summary>The stamps of <paramref name="paths"/> (missing files are left out), taken now.</summary>
    public static FileStamps Take(IEnumerable<string> paths)
    {
        var now = DateTime.UtcNow;
        var files = new List<(string, long, long)>();
        bool racy = false;
        foreach (string path in paths.Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                continue;
            }

            var written = info.LastWriteTimeUtc;
            racy |= written > now - RacyWindow;
            files.Add((path, info.Length, written.Ticks));
        }

        return new FileStamps([.. files], racy);
    }

    /// <summary>Whether these stamps show the same files as <paramref name="other"/>, and can be trusted to.</summary>
    public bool ProvesUnchangedSince(FileStamps? other) => other is not null && !other.IsRacy && !IsRacy && Equals(other);

    /// <inheritdoc/>
    public bool Equals(FileStamps? other) => other is not null && _files.AsSpan().SequenceEqual(other._files);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FileStamps other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _files.Length;
}
