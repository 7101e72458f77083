namespace ZmqNative.Tests.Messages;

/// <summary>Z85 (RFC 32) as libzmq's test_base85 checks it: the RFC's test vector, round trips, and invalid input.</summary>
[TestFixture]
[CancelAfter(10_000)]
public class Z85Tests
{
    // RFC 32's test vector.
    private static readonly byte[] HelloWorldBytes = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];

    [Test]
    public void Encode_Rfc32TestVector_IsHelloWorld() =>
        Assert.That(Z85.Encode(HelloWorldBytes), Is.EqualTo("HelloWorld"));

    [Test]
    public void Decode_Rfc32TestVector_IsTheEightBytes() =>
        Assert.That(Z85.Decode("HelloWorld"), Is.EqualTo(HelloWorldBytes));

    [TestCase(new byte[] { 0x00, 0x00, 0x00, 0x00 }, "00000")]
    [TestCase(new byte[] { 0xff, 0xff, 0xff, 0xff }, "%nSc0")]
    public void Encode_SmallestAndLargestGroup_RoundTrip(byte[] data, string text)
    {
        Assert.That(Z85.Encode(data), Is.EqualTo(text));
        Assert.That(Z85.Decode(text), Is.EqualTo(data));
    }

    // A CURVE key's shape: 40 characters decode to 32 bytes and encode back the same.
    [Test]
    public void DecodeThenEncode_FortyCharacterKey_GivesTheSameText()
    {
        const string Key = "r^/rM9M=rMToK)63O8dCvd9D<PY<7iGlC+{BiSnG";

        byte[] bytes = Z85.Decode(Key);

        Assert.That(bytes, Has.Length.EqualTo(32));
        Assert.That(Z85.Encode(bytes), Is.EqualTo(Key));
    }

    [Test]
    public void EncodeThenDecode_EveryByteValue_RoundTrips()
    {
        byte[] data = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        string text = Z85.Encode(data);

        Assert.That(text, Has.Length.EqualTo(320));
        Assert.That(Z85.Decode(text), Is.EqualTo(data));
    }

    [Test]
    public void EncodeThenDecode_Empty_RoundTrips()
    {
        Assert.That(Z85.Encode(ReadOnlySpan<byte>.Empty), Is.EqualTo(string.Empty));
        Assert.That(Z85.Decode(string.Empty), Is.Empty);
    }

    // test_base85: the length must be a multiple of 4 to encode.
    [TestCase(1)]
    [TestCase(42)]
    public void Encode_LengthNotMultipleOfFour_ThrowsArgumentException(int length) =>
        Assert.That(() => Z85.Encode(new byte[length]), Throws.ArgumentException.With.Message.Contains("multiple of 4"));

    // test_base85: the text length must be a multiple of 5; values past 0xffffffff and characters
    // outside Z85's 85 are invalid. Among them "#####" (the largest five characters) and "%nSc1"
    // (one past 0xffffffff, which is "%nSc0").
    [TestCase("0")]
    [TestCase("01234567")]
    [TestCase("#####")]
    [TestCase("%nSc1")]
    [TestCase("####\u0004")]
    [TestCase("####\u007f")]
    [TestCase("####\u001f")]
    [TestCase("####\"")]
    [TestCase("####~")]
    [TestCase("####,")]
    [TestCase("Hell\u00f6World")]
    [TestCase("Hello\0orld")]
    public void Decode_InvalidText_ThrowsArgumentException(string text) =>
        Assert.That(() => Z85.Decode(text), Throws.ArgumentException);

    [Test]
    public void Decode_Null_ThrowsArgumentNullException() =>
        Assert.That(() => Z85.Decode(null!), Throws.ArgumentNullException);
}
