using System.Buffers.Binary;
using System.Text;

namespace ZmqNative.Fuzz.Tests.Generator;

/// <summary>
/// Makes malformed traffic from one seed: the same seed gives the same messages and the same raw
/// TCP payloads in the same order, so a failing run is replayed by setting ZMQNATIVE_FUZZ_SEED.
/// Every kind of damage the servers must survive is here: random frame counts, empty and
/// oversized frames, wrong protocol headers and command bytes, truncated envelopes, missing
/// empty delimiters, bad UUIDs (path traversal included), non-UTF-8 text, and raw bytes that
/// are not ZMTP at all or are ZMTP gone wrong (RFC 23/ZMTP 3.0).
/// </summary>
internal sealed class TrafficGenerator
{
    /// <summary>A marker in every path-traversal name, so a file written from one is easy to find.</summary>
    public const string TraversalMarker = "zfuzz-escape";

    private readonly Random _random;
    private readonly int _maxOversized;

    /// <param name="seed">The seed; print it when a run fails.</param>
    /// <param name="maxOversizedBytes">The largest "oversized" frame (kept modest in the bounded run so the machine is not swamped).</param>
    public TrafficGenerator(int seed, int maxOversizedBytes = 256 * 1024)
    {
        Seed = seed;
        _random = new Random(seed);
        _maxOversized = maxOversizedBytes;
    }

    /// <summary>The seed this generator was made with.</summary>
    public int Seed { get; }

    /// <summary>
    /// Names a traversal UUID may try to reach outside Titanic's directory. The Titanic test
    /// plants canary files under these names around the store and checks they are untouched.
    /// </summary>
    public static IReadOnlyList<string> TraversalTargets { get; } =
    [
        "../" + TraversalMarker,
        "../../" + TraversalMarker,
        "../../../" + TraversalMarker,
        "../../etc/" + TraversalMarker,
        "..\\..\\" + TraversalMarker,
        "./../" + TraversalMarker + ".req",
        "../" + TraversalMarker + ".rep",
    ];

    /// <summary>A random integer in [min, max).</summary>
    public int Next(int min, int max) => _random.Next(min, max);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => _random.NextDouble() < p;

    /// <summary>Picks one item.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>A malformed (or now and then a well-formed) message for a peer speaking <paramref name="protocol"/>.</summary>
    public List<byte[]> NextMessage(FuzzProtocol protocol)
    {
        int kind = _random.Next(10);
        var message = kind switch
        {
            0 => RandomFrames(),
            1 => EmptyFrames(),
            2 => WithOversizedFrame(ProtocolShaped(protocol)),
            3 => WrongHeader(protocol),
            4 => Truncated(ProtocolShaped(protocol)),
            5 => WithoutDelimiter(ProtocolShaped(protocol)),
            6 => NonUtf8(protocol),
            7 => BadUuid(protocol),
            8 => WrongCommand(protocol),
            _ => ProtocolShaped(protocol),
        };
        return message.Count == 0 ? [[]] : message;
    }

    /// <summary>
    /// A message that fills a server's queues if they are unbounded: a request for a service
    /// nobody serves (Majordomo, Titanic) or a plain request with a large body (queues).
    /// </summary>
    public List<byte[]> NextFloodMessage(FuzzProtocol protocol, int bodyBytes)
    {
        var body = Bytes(bodyBytes);
        // Half the flood names a fresh service each time: a broker that keeps an entry per name
        // grows with the names as well as with the requests.
        string service = Chance(0.5) ? "nobody" : "nobody-" + _random.Next().ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        return protocol switch
        {
            FuzzProtocol.MajordomoClient => [[], Ascii("MDPC01"), Ascii(service), body],
            FuzzProtocol.Titanic => [[], Ascii("MDPC01"), Ascii("titanic.request"), Ascii(service), body],
            _ => [[], body],
        };
    }

    /// <summary>Raw bytes for a TCP connection to a ZeroMQ endpoint: noise, or ZMTP gone wrong.</summary>
    public (string Kind, byte[] Payload) NextTcpGarbage()
    {
        switch (_random.Next(8))
        {
            case 0:
                return ("random-bytes", Bytes(_random.Next(1, 4096)));
            case 1:
                var greeting = Greeting("NULL");
                return ("truncated-greeting", greeting[.._random.Next(1, greeting.Length)]);
            case 2:
                return ("wrong-mechanism", Greeting(Pick(["PLAIN", "CURVE", "GSSAPI", "XXXX", "null", string.Empty])));
            case 3:
                var version = Greeting("NULL");
                version[10] = (byte)Pick<int>([0, 2, 4, 0x7F, 0xFF]);
                return ("wrong-version", [.. version, .. Bytes(_random.Next(0, 64))]);
            case 4:
                return ("bad-ready", [.. Greeting("NULL"), .. Command("READY", Property("Socket-Type", Pick(["PUB", "SUB", "PAIR", "XYZ", string.Empty])))]);
            case 5:
                // A property that claims more bytes than the command holds.
                byte[] lying = [.. Command("READY", []), 11, .. "Socket-Type"u8, 0x7F, 0xFF, 0xFF, 0xFF];
                lying[1] = (byte)(lying.Length - 2);
                return ("lying-property", [.. Greeting("NULL"), .. lying]);
            case 6:
                // Valid handshake as a DEALER, then a frame header announcing 2^62 bytes (or more).
                ulong size = Pick<ulong>([1UL << 62, 1UL << 63, ulong.MaxValue]);
                var header = new byte[9];
                header[0] = 0x02; // LONG, no MORE (RFC 23: flags bit 1 = 8-byte size)
                BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(1), size);
                return ("huge-frame", [.. Greeting("NULL"), .. Command("READY", Property("Socket-Type", "DEALER")), .. header, .. Bytes(_random.Next(0, 256))]);
            default:
                // ZMTP 1.0-looking start (length, flags) with garbage after.
                return ("zmtp1-garbage", [0x01, 0x00, .. Bytes(_random.Next(0, 512))]);
        }
    }

    /// <summary>A state message for a Binary Star peer that is not a state it knows (RFC: states 1-4 as text).</summary>
    public List<byte[]> NextBadState() => _random.Next(6) switch
    {
        0 => [[]],
        1 => [Ascii(Pick(["0", "5", "9", "-1", "12", "4294967297", " 1", "1 "]))],
        2 => [Bytes(_random.Next(1, 64))],
        3 => [Ascii("1"), Ascii("2")],
        4 => [NonUtf8Bytes()],
        _ => RandomFrames(),
    };

    /// <summary>Random bytes.</summary>
    public byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Greeting(string mechanism)
    {
        // RFC 23: signature (0xFF, 8 bytes padding, 0x7F), version 3.0, mechanism (20 bytes,
        // NUL-padded), as-server, 31 bytes filler: 64 bytes in all.
        var greeting = new byte[64];
        greeting[0] = 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        greeting[11] = 0;
        Encoding.ASCII.GetBytes(mechanism).AsSpan(0, Math.Min(mechanism.Length, 20)).CopyTo(greeting.AsSpan(12));
        return greeting;
    }

    private static byte[] Command(string name, byte[] data)
    {
        // RFC 23 short command: flags 0x04, size, name-size, name, data.
        byte[] body = [(byte)name.Length, .. Encoding.ASCII.GetBytes(name), .. data];
        return [0x04, (byte)body.Length, .. body];
    }

    private static byte[] Property(string name, string value)
    {
        var size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, value.Length);
        return [(byte)name.Length, .. Encoding.ASCII.GetBytes(name), .. size, .. Encoding.ASCII.GetBytes(value)];
    }

    private List<byte[]> RandomFrames()
    {
        int count = _random.Next(1, 13);
        var frames = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            frames.Add(Bytes(Chance(0.3) ? 0 : _random.Next(1, 65)));
        }

        return frames;
    }

    private List<byte[]> EmptyFrames() => Enumerable.Range(0, _random.Next(1, 6)).Select(_ => Array.Empty<byte>()).ToList();

    private List<byte[]> WithOversizedFrame(List<byte[]> message)
    {
        int at = _random.Next(message.Count + 1);
        message.Insert(at, Bytes(_random.Next(_maxOversized / 2, _maxOversized + 1)));
        return message;
    }

    private static List<byte[]> Truncated(List<byte[]> message) => message.GetRange(0, Math.Max(1, message.Count - 1 - (message.Count > 2 ? 1 : 0)));

    private static List<byte[]> WithoutDelimiter(List<byte[]> message)
    {
        int empty = message.FindIndex(f => f.Length == 0);
        if (empty >= 0)
        {
            message.RemoveAt(empty);
        }

        return message;
    }

    private byte[] NonUtf8Bytes() => Pick<byte[]>(
    [
        [0xFF, 0xFE, 0xFD],
        [0xC0, 0xAF], // overlong '/'
        [0xED, 0xA0, 0x80], // a lone surrogate, UTF-8 encoded
        [0xE2, 0x82], // cut in the middle of a character
        [0x65, 0x63, 0x68, 0x6F, 0x00, 0xFF], // "echo", NUL, junk
        [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
    ]);

    private string BadUuidText() => Pick(
    [
        .. TraversalTargets,
        "/tmp/" + TraversalMarker,
        "%2e%2e%2f" + TraversalMarker,
        string.Empty,
        new string('A', 31),
        new string('F', 33),
        "0123456789ABCDEF0123456789ABCDE\0",
        "0123456789abcdef0123456789abcdeg",
        new string('9', 4096),
        "CON",
        "nul.req",
    ]);

    private List<byte[]> BadUuid(FuzzProtocol protocol)
    {
        byte[] uuid = Chance(0.8) ? Encoding.UTF8.GetBytes(BadUuidText()) : NonUtf8Bytes();
        return protocol switch
        {
            FuzzProtocol.Titanic or FuzzProtocol.MajordomoClient =>
                [[], Ascii("MDPC01"), Ascii(Pick(["titanic.reply", "titanic.close", "titanic.request"])), uuid],
            FuzzProtocol.MajordomoWorker => [[], Ascii("MDPW01"), [0x03], uuid, [], uuid],
            FuzzProtocol.MajordomoBroker => [[], Ascii("MDPW01"), [0x02], uuid, [], uuid],
            _ => [[], uuid],
        };
    }

    private List<byte[]> NonUtf8(FuzzProtocol protocol)
    {
        var text = NonUtf8Bytes();
        return protocol switch
        {
            FuzzProtocol.MajordomoClient or FuzzProtocol.Titanic => [[], Ascii("MDPC01"), text, text],
            FuzzProtocol.MajordomoWorker => [[], Ascii("MDPW01"), [0x01], text],
            FuzzProtocol.Freelance => [text, text],
            FuzzProtocol.BinaryStarState => [text],
            _ => [[], text],
        };
    }

    private List<byte[]> WrongHeader(FuzzProtocol protocol)
    {
        var shaped = ProtocolShaped(protocol);
        int header = shaped.FindIndex(f => f.Length > 0);
        if (header < 0)
        {
            return [[], Ascii(Pick(["MDPC02", "MDPW02", "MDPC0", "mdpc01", "MDPW01MDPW01", "TSP01"]))];
        }

        shaped[header] = Pick<byte[]>(
        [
            Ascii("MDPC02"), Ascii("MDPW00"), Ascii("MDP"), Ascii("MDPW01\0"), Ascii("mdpw01"),
            Ascii(protocol == FuzzProtocol.MajordomoWorker || protocol == FuzzProtocol.MajordomoBroker ? "MDPC01" : "MDPW01"),
            [], NonUtf8Bytes(),
        ]);
        return shaped;
    }

    private List<byte[]> WrongCommand(FuzzProtocol protocol)
    {
        byte command = (byte)_random.Next(256);
        return protocol switch
        {
            FuzzProtocol.MajordomoWorker or FuzzProtocol.MajordomoBroker =>
                [[], Ascii("MDPW01"), Chance(0.5) ? [command] : Bytes(_random.Next(0, 4)), .. RandomFrames().Take(_random.Next(0, 4))],
            FuzzProtocol.PirateWorker or FuzzProtocol.PirateQueue =>
                Chance(0.5) ? [[command]] : [[0x01], [0x02]],
            FuzzProtocol.Freelance => [Ascii(Pick(["PONG", "ping", "PING\0", "PINGPING"]))],
            FuzzProtocol.BinaryStarState => NextBadState(),
            _ => [[], [command]],
        };
    }

    /// <summary>A message in the shape the protocol expects (valid or nearly), the raw material the other kinds damage.</summary>
    private List<byte[]> ProtocolShaped(FuzzProtocol protocol)
    {
        byte[] body = Bytes(_random.Next(0, 32));
        return protocol switch
        {
            FuzzProtocol.MajordomoClient => _random.Next(3) switch
            {
                0 => [[], Ascii("MDPC01"), Ascii("echo"), body],
                1 => [[], Ascii("MDPC01"), Ascii("mmi.service"), Ascii(Pick(["echo", "mmi.x", string.Empty]))],
                _ => [[], Ascii("MDPC01"), Ascii(Pick(["mmi.nope", "titanic.request", "x", string.Empty])), body],
            },
            FuzzProtocol.MajordomoWorker => _random.Next(4) switch
            {
                0 => [[], Ascii("MDPW01"), [0x01], Ascii(Pick(["echo", "fuzz", "mmi.service", "titanic.reply"]))],
                1 => [[], Ascii("MDPW01"), [0x03], Bytes(5), [], body],
                2 => [[], Ascii("MDPW01"), [0x04]],
                _ => [[], Ascii("MDPW01"), [0x05]],
            },
            FuzzProtocol.MajordomoBroker => _random.Next(3) switch
            {
                0 => [[], Ascii("MDPW01"), [0x02], Bytes(5), [], body],
                1 => [[], Ascii("MDPW01"), [0x04]],
                _ => [[], Ascii("MDPW01"), [0x05]],
            },
            FuzzProtocol.PirateWorker => _random.Next(3) switch
            {
                0 => [[0x01]],
                1 => [[0x02]],
                _ => [Bytes(5), [], body],
            },
            FuzzProtocol.PirateQueue => _random.Next(2) switch
            {
                0 => [[0x02]],
                _ => [Bytes(5), [], body],
            },
            FuzzProtocol.Titanic => _random.Next(3) switch
            {
                0 => [[], Ascii("MDPC01"), Ascii("titanic.request"), Ascii(Pick(["echo", "nobody", string.Empty])), body],
                1 => [[], Ascii("MDPC01"), Ascii("titanic.reply"), Ascii(Convert.ToHexString(Bytes(16)))],
                _ => [[], Ascii("MDPC01"), Ascii("titanic.close"), Ascii(Convert.ToHexString(Bytes(16)))],
            },
            FuzzProtocol.BinaryStarState => NextBadState(),
            FuzzProtocol.Freelance => Chance(0.5) ? [Ascii("PING")] : [Ascii(_random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)), body],
            _ => [[], body],
        };
    }
}
