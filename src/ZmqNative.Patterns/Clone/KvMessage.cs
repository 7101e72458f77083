using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ZmqNative.Patterns.Clone;

/// <summary>
/// One key-value message of the Clustered Hashmap Protocol (RFC 12/CHP, the Guide's kvmsg): five frames,
/// key (UTF-8), sequence (8 bytes, network order), UUID (16 bytes or empty), properties ("name=value\n" lines)
/// and value (a blob; empty means "delete this key"). The same shape carries KVSYNC, KTHXBAI, KVPUB, KVSET and
/// HUGZ. Immutable: <see cref="WithSequence"/> and friends return new messages.
/// </summary>
public sealed class KvMessage
{
    /// <summary>The number of frames of every CHP command (RFC 12).</summary>
    public const int FrameCount = 5;

    /// <summary>The longest key accepted, in UTF-8 bytes: the Guide's KVMSG_KEY_MAX.</summary>
    public const int MaxKeyBytes = 255;

    /// <summary>The longest properties frame accepted, in bytes.</summary>
    public const int MaxPropertiesBytes = 4096;

    /// <summary>The key of the snapshot's last message (RFC 12: KTHXBAI).</summary>
    public const string SnapshotEndKey = "KTHXBAI";

    /// <summary>The key of the server's heartbeat (RFC 12: HUGZ).</summary>
    public const string HeartbeatKey = "HUGZ";

    /// <summary>The snapshot request's first frame (RFC 12: ICANHAZ).</summary>
    public const string SnapshotRequest = "ICANHAZ?";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Dictionary<string, string> NoProperties = new(StringComparer.Ordinal);

    private KvMessage(string key, long sequence, byte[] uuid, IReadOnlyDictionary<string, string> properties, byte[] body)
    {
        Key = key;
        Sequence = sequence;
        Uuid = uuid;
        Properties = properties;
        Body = body;
    }

    /// <summary>The key.</summary>
    public string Key { get; }

    /// <summary>The sequence number: the server's, on updates it publishes; zero on updates a client sends.</summary>
    public long Sequence { get; }

    /// <summary>The UUID: 16 bytes, or empty when the sender set none (do not modify).</summary>
    public byte[] Uuid { get; }

    /// <summary>The properties, e.g. "ttl" (seconds to live).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>The value (do not modify); empty means the key is deleted.</summary>
    public byte[] Body { get; }

    /// <summary>Whether this is a delete: RFC 12 says an empty value removes the key.</summary>
    public bool IsDelete => Body.Length == 0;

    /// <summary>The value as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Creates a message, checking the key and properties the way <see cref="TryParse"/> does.</summary>
    /// <param name="key">The key: 1 to <see cref="MaxKeyBytes"/> UTF-8 bytes, no NUL.</param>
    /// <param name="body">The value; empty for a delete.</param>
    /// <param name="sequence">The sequence number.</param>
    /// <param name="uuid">16 bytes, or null/empty for none.</param>
    /// <param name="properties">Names without '=' or newline; values without newline.</param>
    public static KvMessage Create(string key, ReadOnlySpan<byte> body, long sequence = 0, byte[]? uuid = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!IsValidKey(key))
        {
            throw new ArgumentException($"a key has 1 to {MaxKeyBytes} UTF-8 bytes and no NUL", nameof(key));
        }

        uuid ??= [];
        if (uuid.Length is not (0 or 16))
        {
            throw new ArgumentException("a UUID has 16 bytes (or none)", nameof(uuid));
        }

        var props = properties is null || properties.Count == 0 ? NoProperties : new Dictionary<string, string>(properties, StringComparer.Ordinal);
        if (EncodeProperties(props).Length > MaxPropertiesBytes || props.Any(p => !IsValidPropertyName(p.Key) || p.Value.Contains('\n', StringComparison.Ordinal)))
        {
            throw new ArgumentException("property names have no '=' or newline, values no newline, and all fit in " + MaxPropertiesBytes + " bytes", nameof(properties));
        }

        return new KvMessage(key, sequence, uuid, props, body.ToArray());
    }

    /// <summary>Creates a message with a text value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="body">The value, sent as UTF-8; empty for a delete.</param>
    /// <param name="sequence">The sequence number.</param>
    public static KvMessage Create(string key, string body, long sequence = 0) => Create(key, Encoding.UTF8.GetBytes(body ?? throw new ArgumentNullException(nameof(body))), sequence);

    /// <summary>A new random (version 4) UUID for a KVSET, as 16 bytes.</summary>
    public static byte[] NewUuid() => Guid.NewGuid().ToByteArray();

    /// <summary>
    /// Reads a CHP message. Hostile input is normal input: anything but exactly five frames, a 1..255-byte UTF-8 key
    /// without NUL, an 8-byte sequence, a 0- or 16-byte UUID and well-formed "name=value\n" properties is refused.
    /// </summary>
    /// <param name="frames">The frames as received.</param>
    /// <param name="message">The message, when it is well formed.</param>
    /// <returns>False for anything malformed.</returns>
    public static bool TryParse(IReadOnlyList<byte[]> frames, out KvMessage? message)
    {
        message = null;
        if (frames is null || frames.Count != FrameCount || frames[1].Length != 8 || frames[2].Length is not (0 or 16)
            || frames[0].Length is 0 or > MaxKeyBytes || frames[3].Length > MaxPropertiesBytes)
        {
            return false;
        }

        if (!TryDecode(frames[0], out var key) || key.Contains('\0', StringComparison.Ordinal) || !TryDecodeProperties(frames[3], out var properties))
        {
            return false;
        }

        message = new KvMessage(key, BinaryPrimitives.ReadInt64BigEndian(frames[1]), frames[2], properties, frames[4]);
        return true;
    }

    /// <summary>The five frames of this message, ready to send (the arrays are shared with this message: do not modify).</summary>
    public List<byte[]> ToFrames()
    {
        var sequence = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(sequence, Sequence);
        return [Encoding.UTF8.GetBytes(Key), sequence, Uuid, EncodeProperties(Properties), Body];
    }

    /// <summary>This message with another sequence number.</summary>
    /// <param name="sequence">The new sequence number.</param>
    public KvMessage WithSequence(long sequence) => new(Key, sequence, Uuid, Properties, Body);

    /// <summary>This message with an empty value (a delete) and another sequence number.</summary>
    /// <param name="sequence">The new sequence number.</param>
    public KvMessage AsDelete(long sequence) => new(Key, sequence, Uuid, Properties, []);

    /// <summary>A property, or null.</summary>
    /// <param name="name">Its name.</param>
    public string? Property(string name) => Properties.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// The "ttl" property as a time to live (RFC 12: seconds; fractions accepted, as the Guide's Python does), or null
    /// when there is none, it is zero, negative or not a number. Capped at one year. A value of 10^9 or more is read
    /// as the point in time the value expires (see <see cref="TimeToLive(DateTimeOffset)"/>), counted from now.
    /// </summary>
    public TimeSpan? TimeToLive() => TimeToLive(DateTimeOffset.UtcNow);

    /// <summary>
    /// The "ttl" property as a time to live from <paramref name="now"/>, or null when there is none, it is zero,
    /// negative or not a number. Capped at one year. The Guide's servers keep the expiry time itself in the property
    /// of what they store, so their snapshots carry it (clonesrv5/clonesrv6: C in milliseconds since 1970, Python in
    /// seconds): no time to live is 10^9 seconds (31 years) long, so a value from 10^12 is read as milliseconds since
    /// 1970 and one from 10^9 as seconds since 1970; a time already past is <see cref="TimeSpan.Zero"/> (expire now).
    /// </summary>
    /// <param name="now">The wall clock, to turn a point in time into the time left.</param>
    public TimeSpan? TimeToLive(DateTimeOffset now)
    {
        const double Year = 365 * 24 * 3600.0;
        string? text = Property("ttl");
        if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0))
        {
            return null;
        }

        double nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        if (seconds >= 1e12)
        {
            return TimeSpan.FromSeconds(Math.Clamp((seconds / 1000) - nowSeconds, 0, Year));
        }

        if (seconds >= 1e9)
        {
            return TimeSpan.FromSeconds(Math.Clamp(seconds - nowSeconds, 0, Year));
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, Year));
    }

    /// <summary>The frames of a control message (KTHXBAI, HUGZ): no UUID, no properties.</summary>
    /// <param name="key">The command's key.</param>
    /// <param name="sequence">Its sequence number.</param>
    /// <param name="body">Its value (the subtree for KTHXBAI).</param>
    public static List<byte[]> ControlFrames(string key, long sequence, string body)
    {
        var seq = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(seq, sequence);
        return [Encoding.UTF8.GetBytes(key), seq, [], [], Encoding.UTF8.GetBytes(body)];
    }

    /// <summary>Whether <paramref name="key"/> can be a CHP key: 1 to <see cref="MaxKeyBytes"/> UTF-8 bytes and no NUL.</summary>
    /// <param name="key">The key.</param>
    public static bool IsValidKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            int bytes = StrictUtf8.GetByteCount(key);
            return bytes <= MaxKeyBytes;
        }
        catch (EncoderFallbackException)
        {
            return false; // a lone surrogate
        }
    }

    /// <summary>A one-line description for logs: sequence, key, value size and properties.</summary>
    public override string ToString() =>
        $"[seq:{Sequence}][key:{Key}][size:{Body.Length}][props:{Encoding.UTF8.GetString(EncodeProperties(Properties)).Replace("\n", ";", StringComparison.Ordinal)}]";

    private static bool IsValidPropertyName(string name) =>
        name.Length > 0 && !name.Contains('=', StringComparison.Ordinal) && !name.Contains('\n', StringComparison.Ordinal);

    private static byte[] EncodeProperties(IReadOnlyDictionary<string, string> properties)
    {
        if (properties.Count == 0)
        {
            return [];
        }

        var text = new StringBuilder();
        foreach (var (name, value) in properties)
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static bool TryDecode(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static bool TryDecodeProperties(byte[] frame, out IReadOnlyDictionary<string, string> properties)
    {
        properties = NoProperties;
        if (frame.Length == 0)
        {
            return true;
        }

        if (!TryDecode(frame, out var text))
        {
            return false;
        }

        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue; // the last "\n", or an empty line
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            parsed[line[..eq]] = line[(eq + 1)..];
        }

        properties = parsed;
        return true;
    }
}
