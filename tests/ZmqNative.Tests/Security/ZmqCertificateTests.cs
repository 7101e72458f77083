using System.Runtime.Versioning;
using System.Text;

namespace ZmqNative.Tests.Security;

/// <summary>CURVE certificates: generated, saved and loaded in czmq's file format, applied to sockets.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqCertificateTests
{
    // The client's key pair of zmq_curve(7)'s test vectors.
    private const string ClientPublic = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    private const string ClientSecret = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";
    private string _directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        Assume.That(ZmqCurve.IsAvailable, "the loaded libzmq was built without CURVE");
        _directory = SecurityKit.TempDirectory();
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Load_FileWrittenByCzmq_ReadsKeysAndMetadata()
    {
        // The layout czmq's zcert_save_secret writes (zconfig: comments, blank line, 4-space indents, quoted values).
        string path = Path.Combine(_directory, "client");
        File.WriteAllText(path + "_secret",
            "#   ****  Generated on 2015-03-09 11:47:21 by CZMQ  ****\n" +
            "#   ZeroMQ CURVE **Secret** Certificate\n" +
            "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n" +
            "\n" +
            "metadata\n" +
            "    name = \"Client test certificate\"\n" +
            "    email = admin@example.com    # unquoted, with a comment\n" +
            "curve\n" +
            $"    public-key = \"{ClientPublic}\"\n" +
            $"    secret-key = \"{ClientSecret}\"\n");

        var certificate = ZmqCertificate.Load(path);

        Assert.That(certificate.PublicKeyZ85, Is.EqualTo(ClientPublic));
        Assert.That(certificate.SecretKeyZ85, Is.EqualTo(ClientSecret));
        Assert.That(certificate.Metadata, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["name"] = "Client test certificate",
            ["email"] = "admin@example.com",
        }));
    }

    [Test]
    public void Save_GeneratedCertificate_WritesCzmqLayoutInTwoFiles()
    {
        var certificate = ZmqCertificate.Generate();
        certificate.SetMetadata("name", "Server");
        string path = Path.Combine(_directory, "server.cert");

        certificate.Save(path);

        var publicLines = File.ReadAllLines(path);
        var secretLines = File.ReadAllLines(path + "_secret");
        Assert.That(publicLines[0], Does.StartWith("#   ****  Generated on "));
        Assert.That(publicLines.SkipWhile(l => l.StartsWith('#')), Is.EqualTo(new[]
        {
            string.Empty,
            "metadata",
            "    name = \"Server\"",
            "curve",
            $"    public-key = \"{certificate.PublicKeyZ85}\"",
        }));
        Assert.That(secretLines.SkipWhile(l => l.StartsWith('#')).TakeLast(2), Is.EqualTo(new[]
        {
            $"    public-key = \"{certificate.PublicKeyZ85}\"",
            $"    secret-key = \"{certificate.SecretKeyZ85}\"",
        }));
        Assert.That(File.ReadAllText(path), Does.Not.Contain(certificate.SecretKeyZ85!));
        Assert.That(File.ReadAllBytes(path)[0], Is.EqualTo((byte)'#'), "no byte-order mark: czmq reads plain ASCII");
    }

    [Test]
    [UnsupportedOSPlatform("windows")]
    public void Save_SecretFile_IsReadableByItsOwnerOnly()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "Unix file modes");
        var certificate = ZmqCertificate.Generate();
        string path = Path.Combine(_directory, "mine");
        File.WriteAllText(path + "_secret", "an older file, world-readable");
        File.SetUnixFileMode(path + "_secret", (UnixFileMode)0x1B6); // 0666

        certificate.Save(path);

        Assert.That(File.GetUnixFileMode(path + "_secret"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(ZmqCertificate.Load(path).SecretKeyZ85, Is.EqualTo(certificate.SecretKeyZ85));
    }

    [Test]
    public void Load_SavedCertificate_RoundTripsAndPrefersTheSecretFile()
    {
        var certificate = ZmqCertificate.Generate();
        certificate.SetMetadata("name", "a \"quoted\" name");
        certificate.SetMetadata("motto", "don't panic");
        string path = Path.Combine(_directory, "peer");
        certificate.Save(path);

        var both = ZmqCertificate.Load(path);
        File.Delete(path + "_secret");
        var publicOnly = ZmqCertificate.Load(path);

        Assert.That(both.HasSecretKey, Is.True);
        Assert.That(both.SecretKey, Is.EqualTo(certificate.SecretKey));
        Assert.That(both.Metadata, Is.EquivalentTo(certificate.Metadata));
        Assert.That(publicOnly.HasSecretKey, Is.False);
        Assert.That(publicOnly.SecretKey, Is.Null);
        Assert.That(publicOnly.PublicKey, Is.EqualTo(certificate.PublicKey));
        Assert.That(publicOnly.Metadata["motto"], Is.EqualTo("don't panic"));
    }

    [Test]
    public void Load_NoFile_ThrowsFileNotFound()
    {
        Assert.That(() => ZmqCertificate.Load(Path.Combine(_directory, "missing")), Throws.TypeOf<FileNotFoundException>());
    }

    [TestCase("metadata\ncurve\n", "no curve/public-key")]
    [TestCase("metadata\n", "no 'curve' section")]
    [TestCase("curve\n    public-key = \"short\"\n", "5 characters")]
    [TestCase("curve\n   public-key = \"x\"\n", "4 spaces")]
    [TestCase("curve\n        public-key = \"x\"\n", "deeper")]
    [TestCase("curve\n    public-key \"x\"\n", "expected '='")]
    [TestCase("curve\n    public-key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\" junk\n", "only a comment")]
    [TestCase("curve\n    public-key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{h~D\"\n", "not Z85")]
    public void Parse_NotACertificate_ThrowsInvalidDataSayingWhy(string text, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => ZmqCertificate.Parse(text))!;

        Assert.That(error.Message, Does.Contain(reason));
    }

    [Test]
    public void Parse_SecretKeyOfAnotherPair_ThrowsInvalidData()
    {
        var other = ZmqCertificate.Generate();
        string text = $"curve\n    public-key = \"{ClientPublic}\"\n    secret-key = \"{other.SecretKeyZ85}\"\n";

        Assert.That(() => ZmqCertificate.Parse(text), Throws.TypeOf<InvalidDataException>().With.Message.Contains("does not belong"));
    }

    [Test]
    public void Parse_CzmqNullSecretKey_IsAPublicCertificate()
    {
        // czmq saves a certificate without a secret key with an all-zero one ("0000...").
        string text = $"curve\n    public-key = \"{ClientPublic}\"\n    secret-key = \"{new string('0', 40)}\"\n";

        Assert.That(ZmqCertificate.Parse(text).HasSecretKey, Is.False);
    }

    [Test]
    public void Parse_AnyLineEnding_IsAccepted()
    {
        string text = $"metadata\r\n    name = one\rcurve\r\n    public-key = \"{ClientPublic}\"";

        var certificate = ZmqCertificate.Parse(text);

        Assert.That(certificate.Metadata["name"], Is.EqualTo("one"));
        Assert.That(certificate.PublicKeyZ85, Is.EqualTo(ClientPublic));
    }

    [Test]
    public void FromSecretKey_KnownPair_DerivesThePublicKey()
    {
        var certificate = ZmqCertificate.FromSecretKey(ClientSecret);

        Assert.That(certificate.PublicKeyZ85, Is.EqualTo(ClientPublic));
        Assert.That(ZmqCertificate.FromPublicKey(ClientPublic).HasSecretKey, Is.False);
    }

    [TestCase("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hI", "40 characters")]
    [TestCase("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{h D", "not a CURVE key in Z85")]
    public void FromPublicKey_BadZ85_ThrowsArgumentExceptionSayingWhy(string text, string reason)
    {
        Assert.That(() => ZmqCertificate.FromPublicKey(text), Throws.ArgumentException.With.Message.Contains(reason));
        Assert.That(() => ZmqCertificate.FromPublicKey(new byte[31]), Throws.ArgumentException.With.Message.Contains("32 bytes"));
    }

    [Test]
    public void SetMetadata_ValuesZplCannotWrite_ThrowArgumentException()
    {
        var certificate = ZmqCertificate.Generate();

        Assert.That(() => certificate.SetMetadata("bad name", "v"), Throws.ArgumentException);
        Assert.That(() => certificate.SetMetadata("/lead", "v"), Throws.ArgumentException);
        Assert.That(() => certificate.SetMetadata("n", "two\nlines"), Throws.ArgumentException);
        Assert.That(() => certificate.SetMetadata("n", "both ' and \""), Throws.ArgumentException.With.Message.Contains("both"));
        certificate.SetMetadata("n", "first");
        certificate.SetMetadata("n", "second");
        Assert.That(certificate.Metadata, Is.EquivalentTo(new Dictionary<string, string> { ["n"] = "second" }));
        Assert.That(certificate.RemoveMetadata("n"), Is.True);
        Assert.That(certificate.Metadata, Is.Empty);
    }

    [Test]
    public void Apply_CertificateWithSecret_SetsTheSocketsKeyPair()
    {
        var certificate = ZmqCertificate.FromSecretKey(ClientSecret);
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Dealer);

        certificate.Apply(socket);

        Assert.That(socket.CurvePublicKeyZ85, Is.EqualTo(ClientPublic));
        Assert.That(socket.CurveSecretKeyZ85, Is.EqualTo(ClientSecret));
        Assert.That(socket.Mechanism, Is.EqualTo(ZmqSecurityMechanism.Curve));
    }

    [Test]
    public void Apply_PublicCertificate_ThrowsInvalidOperation()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Dealer);

        Assert.That(() => ZmqCertificate.FromPublicKey(ClientPublic).Apply(socket),
            Throws.InvalidOperationException.With.Message.Contains("no secret key"));
        Assert.That(() => ZmqCertificate.FromPublicKey(ClientPublic).ToSecretText(), Throws.InvalidOperationException);
    }

    [Test]
    public void ToStringAndPublicText_NeverContainTheSecretKey()
    {
        var certificate = ZmqCertificate.FromSecretKey(ClientSecret);
        certificate.SetMetadata("name", "me");

        Assert.That(certificate.ToString(), Does.Contain(ClientPublic).And.Contain("name=\"me\"").And.Not.Contain(ClientSecret));
        Assert.That(certificate.ToPublicText(), Does.Not.Contain(ClientSecret));
        Assert.That(certificate.ToPublic().HasSecretKey, Is.False);
        Assert.That(certificate.ToSecretText(), Does.Contain(ClientSecret));
        Assert.That(Encoding.UTF8.GetString(File.ReadAllBytes(Save(certificate.ToPublic()))), Does.Not.Contain(ClientSecret));
    }

    private string Save(ZmqCertificate certificate)
    {
        string path = Path.Combine(_directory, "saved");
        certificate.Save(path);
        Assert.That(File.Exists(path + "_secret"), Is.False, "a public certificate has no secret file");
        return path;
    }
}
