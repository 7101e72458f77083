using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// kvsimple (Guide chapter 5): the key-value message of Clone models 1 to 4, three frames: key (string), sequence
/// (8 bytes, network order), body (blob). Models 5 and 6 use the five-frame kvmsg (<see cref="ZmqNative.Patterns.Clone.KvMessage"/>).
/// </summary>
internal readonly record struct KvSimple(string Key, long Sequence, byte[] Body)
{
    /// <summary>The body as text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>A message with a text body.</summary>
    public static KvSimple Of(string key, long sequence, string body) => new(key, sequence, Encoding.UTF8.GetBytes(body));

    /// <summary>The three frames.</summary>
    public List<byte[]> ToFrames()
    {
        var sequence = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(sequence, Sequence);
        return [Encoding.UTF8.GetBytes(Key), sequence, Body];
    }

    /// <summary>Sends it (kvmsg_send).</summary>
    public void Send(ZmqSocket socket) => socket.SendMultipart(ToFrames());

    /// <summary>Reads one from frames, refusing anything that is not three frames with an 8-byte sequence (kvmsg_recv's check).</summary>
    public static bool TryParse(IReadOnlyList<byte[]> frames, out KvSimple message)
    {
        message = default;
        if (frames.Count != 3 || frames[1].Length != 8)
        {
            return false;
        }

        message = new KvSimple(Encoding.UTF8.GetString(frames[0]), BinaryPrimitives.ReadInt64BigEndian(frames[1]), frames[2]);
        return true;
    }

    /// <summary>Stores it in a map (kvmsg_store): an empty body deletes the key.</summary>
    public void Store(Dictionary<string, KvSimple> map)
    {
        if (Body.Length == 0)
        {
            map.Remove(Key);
        }
        else
        {
            map[Key] = this;
        }
    }
}

/// <summary>What the chapter 5 examples share: their arguments and the Guide's ports.</summary>
internal static class Chapter5Console
{
    /// <summary>"tcp://*:P" for a bind, from <c>--bind-address</c> (default "tcp://*").</summary>
    public static string Bind(string address, int port) => string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");

    /// <summary>A count option where 0 means "for ever" (the Guide's loops run until Ctrl-C).</summary>
    public static int Count(ExampleArgs a, string name)
    {
        int value = a.Int(name, 0);
        if (value < 0)
        {
            throw new ExampleUsageException($"--{name} takes 0 (for ever) or more");
        }

        return value;
    }

    /// <summary>A port option, checked.</summary>
    public static int Port(ExampleArgs a, string name, int defaultPort)
    {
        int port = a.Int(name, defaultPort);
        if (port is < 1 or > 65533)
        {
            throw new ExampleUsageException($"--{name} takes a port from 1 to 65533 (the examples use it and the next two)");
        }

        return port;
    }
}
