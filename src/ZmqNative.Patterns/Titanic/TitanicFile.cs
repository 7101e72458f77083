using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ZmqNative.Patterns.Titanic;

/// <summary>
/// The on-disk form of one stored message (a request or a reply) and the crash-safe way it is written.
/// </summary>
/// <remarks>
/// Layout: "TITANIC" 0x01 (8 bytes), the request's sequence number (int64 LE), the frame count
/// (int32 LE), each frame as int32 LE length + bytes, and the first 8 bytes of SHA-256 over all of
/// that. A file is written under a temporary name in the same directory, flushed to the device
/// (fsync), renamed over its final name and the directory is flushed, so the final name only ever
/// holds a complete file (rename(2) is atomic within a file system). The checksum catches what a
/// rename cannot: a disk that returns other bytes than were written.
/// </remarks>
internal static class TitanicFile
{
    /// <summary>Temporary files end with this; a crash can leave them, and they are never messages.</summary>
    public const string TempSuffix = ".tmp";

    private const int HashLength = 8;
    private static readonly byte[] Magic = "TITANIC\u0001"u8.ToArray();

    /// <summary>Serializes a message with its sequence number.</summary>
    public static byte[] Encode(long sequence, IReadOnlyList<byte[]> frames)
    {
        int length = Magic.Length + 8 + 4 + HashLength;
        foreach (byte[] frame in frames)
        {
            length = checked(length + 4 + frame.Length);
        }

        byte[] data = new byte[length];
        var span = data.AsSpan();
        Magic.CopyTo(span);
        int at = Magic.Length;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], sequence);
        at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], frames.Count);
        at += 4;
        foreach (byte[] frame in frames)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], frame.Length);
            at += 4;
            frame.CopyTo(span[at..]);
            at += frame.Length;
        }

        SHA256.HashData(span[..at])[..HashLength].CopyTo(span[at..]);
        return data;
    }

    /// <summary>Parses a stored message; false for anything that is not exactly a complete, intact file.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out long sequence, out List<byte[]>? frames)
    {
        sequence = 0;
        frames = null;
        int body = data.Length - HashLength;
        if (body < Magic.Length + 12 || !data[..Magic.Length].SequenceEqual(Magic)
            || !SHA256.HashData(data[..body]).AsSpan(0, HashLength).SequenceEqual(data[body..]))
        {
            return false;
        }

        int at = Magic.Length;
        sequence = BinaryPrimitives.ReadInt64LittleEndian(data[at..]);
        at += 8;
        int count = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        at += 4;
        if (count < 0 || count > (body - at) / 4)
        {
            return false;
        }

        var list = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            if (body - at < 4)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            at += 4;
            if (length < 0 || length > body - at)
            {
                return false;
            }

            list.Add(data.Slice(at, length).ToArray());
            at += length;
        }

        if (at != body)
        {
            return false;
        }

        frames = list;
        return true;
    }

    /// <summary>Reads and parses a stored file; false if it is missing or not intact.</summary>
    public static bool TryRead(string path, out long sequence, out List<byte[]>? frames)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            sequence = 0;
            frames = null;
            return false;
        }

        return TryDecode(data, out sequence, out frames);
    }

    /// <summary>
    /// Writes <paramref name="data"/> to a new temporary file beside <paramref name="path"/> and flushes
    /// it to the device; returns the temporary file's name. <see cref="Commit"/> then puts it in place.
    /// </summary>
    public static string WriteTemporary(string path, byte[] data)
    {
        string temp = $"{path}.{Guid.NewGuid():N}{TempSuffix}";
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.None))
        {
            stream.Write(data);

            // fsync(2): the bytes are on the device before the name points at them, so even a power
            // cut cannot leave a final name on an empty or partial file.
            stream.Flush(flushToDisk: true);
        }

        return temp;
    }

    /// <summary>Renames a flushed temporary file over its final name (rename(2), atomic) and makes the rename durable.</summary>
    public static void Commit(string temp, string path)
    {
        File.Move(temp, path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// fsync(2) on the directory, so a rename or unlink in it survives a power cut (a rename is a change
    /// to the directory, not to the file). Only on Unix: .NET cannot open a directory as a file, and
    /// on Windows NTFS journals the rename itself.
    /// </summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        int fd = NativeMethods.Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (NativeMethods.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
