using System.Buffers.Binary;
using System.Reflection;
using ZmqNative.Fuzz.Tests.Servers;
using ZmqNative.Fuzz.Tests.Support;

namespace ZmqNative.Fuzz.Tests.Generator;

/// <summary>The generator itself: reproducible from its seed, and it makes every kind of damage it promises.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class TrafficGeneratorTests
{
    [Test]
    public void NextMessage_SameSeed_SameTraffic()
    {
        var a = new TrafficGenerator(1234);
        var b = new TrafficGenerator(1234);

        for (int i = 0; i < 500; i++)
        {
            var protocol = (FuzzProtocol)(i % Enum.GetValues<FuzzProtocol>().Length);
            // Fingerprints, not NUnit's element-wise collection compare (8 s for 500 messages with 256 KiB frames).
            Assert.That(Fingerprint(b.NextMessage(protocol)), Is.EqualTo(Fingerprint(a.NextMessage(protocol))), $"message {i}");
            var (kindB, payloadB) = b.NextTcpGarbage();
            var (kindA, payloadA) = a.NextTcpGarbage();
            Assert.That((kindB, Fingerprint([payloadB])), Is.EqualTo((kindA, Fingerprint([payloadA]))), $"payload {i}");
        }
    }

    [Test]
    public void NextMessage_OtherSeed_OtherTraffic()
    {
        var a = new TrafficGenerator(1);
        var b = new TrafficGenerator(2);

        var first = Enumerable.Range(0, 50).Select(_ => a.NextMessage(FuzzProtocol.Generic)).ToList();
        var second = Enumerable.Range(0, 50).Select(_ => b.NextMessage(FuzzProtocol.Generic)).ToList();

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void NextMessage_ManyDraws_CoversEveryDamage()
    {
        var generator = new TrafficGenerator(16, maxOversizedBytes: 64 * 1024);
        var majordomo = Enumerable.Range(0, 2000).Select(_ => generator.NextMessage(FuzzProtocol.MajordomoClient)).ToList();
        var titanic = Enumerable.Range(0, 2000).Select(_ => generator.NextMessage(FuzzProtocol.Titanic)).ToList();

        Assert.That(majordomo.Select(m => m.Count).Distinct().Count(), Is.GreaterThan(8), "random frame counts");
        Assert.That(majordomo, Has.Some.Matches<List<byte[]>>(m => m.All(f => f.Length == 0)), "only empty frames");
        Assert.That(majordomo, Has.Some.Matches<List<byte[]>>(m => m.Any(f => f.Length >= 32 * 1024)), "an oversized frame");
        Assert.That(majordomo, Has.Some.Matches<List<byte[]>>(m => m[0].Length > 0), "no empty delimiter");
        Assert.That(majordomo, Has.Some.Matches<List<byte[]>>(m => m.Count > 1 && m[1].AsSpan().SequenceEqual("MDPC02"u8)), "a wrong header");
        Assert.That(majordomo, Has.Some.Matches<List<byte[]>>(m => m.Any(f => f.AsSpan().SequenceEqual(new byte[] { 0xED, 0xA0, 0x80 }))), "non-UTF-8");
        Assert.That(titanic, Has.Some.Matches<List<byte[]>>(m => m.Any(f => System.Text.Encoding.UTF8.GetString(f).StartsWith("../", StringComparison.Ordinal))), "path traversal");
    }

    [Test]
    public void NextTcpGarbage_ManyDraws_CoversEveryKindAndAnnounces2To62Bytes()
    {
        var generator = new TrafficGenerator(16);
        var payloads = Enumerable.Range(0, 1000).Select(_ => generator.NextTcpGarbage()).ToList();

        Assert.That(payloads.Select(p => p.Kind).Distinct(), Is.EquivalentTo(new[]
        {
            "random-bytes", "truncated-greeting", "wrong-mechanism", "wrong-version", "bad-ready", "lying-property", "huge-frame", "zmtp1-garbage",
        }));
        // RFC 23: greeting (64 bytes), READY command, then a long frame header: flags 0x02 and an 8-byte size.
        var huge = payloads.First(p => p.Kind == "huge-frame").Payload;
        int header = 64 + 2 + huge[65];
        Assert.That(huge[header], Is.EqualTo(0x02));
        Assert.That(BinaryPrimitives.ReadUInt64BigEndian(huge.AsSpan(header + 1)), Is.GreaterThanOrEqualTo(1UL << 62));
        Assert.That(payloads.Where(p => p.Kind == "truncated-greeting").Select(p => p.Payload.Length), Has.All.LessThan(64));
    }

    [Test]
    public void Cases_CountedForTheTimeBudget_MatchTheFuzzTests()
    {
        // The total traffic time is split over FuzzSettings.Cases; a case added without updating it would stretch the run.
        int cases = new[] { typeof(PatternsFuzzTests), typeof(ZguideFuzzTests) }
            .Sum(t => t.GetMethods().Count(m => m.GetCustomAttribute<TestAttribute>() is not null));

        Assert.That(cases, Is.EqualTo(FuzzSettings.Cases));
    }

    /// <summary>SHA-256 over each frame's length and bytes: equal for equal messages, and frame boundaries count.</summary>
    private static string Fingerprint(IReadOnlyList<byte[]> frames)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var frame in frames)
        {
            BinaryPrimitives.WriteInt32LittleEndian(length, frame.Length);
            hash.AppendData(length);
            hash.AppendData(frame);
        }

        return $"{frames.Count}:{Convert.ToHexString(hash.GetHashAndReset())}";
    }
}
