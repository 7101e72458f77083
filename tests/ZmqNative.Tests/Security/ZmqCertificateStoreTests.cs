namespace ZmqNative.Tests.Security;

/// <summary>The certificate store: a directory of public certificates whose changes are noticed on lookup, and certificates inserted in memory.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqCertificateStoreTests
{
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
    public void Constructor_Directory_LoadsPublicCertificatesIncludingSubdirectoriesButNoSecrets()
    {
        var alice = ZmqCertificate.Generate();
        var bob = ZmqCertificate.Generate();
        alice.SetMetadata("name", "alice");
        alice.Save(Path.Combine(_directory, "alice")); // alice and alice_secret
        Directory.CreateDirectory(Path.Combine(_directory, "team"));
        bob.SavePublic(Path.Combine(_directory, "team", "bob.pub"));

        var store = new ZmqCertificateStore(_directory);

        Assert.That(store.Count, Is.EqualTo(2));
        var found = store.Lookup(alice.PublicKey);
        Assert.That(found, Is.Not.Null);
        Assert.That(found!.Metadata["name"], Is.EqualTo("alice"));
        Assert.That(found.HasSecretKey, Is.False, "the store reads public files only");
        Assert.That(store.Lookup(bob.PublicKeyZ85), Is.Not.Null);
        Assert.That(store.Lookup(ZmqCertificate.Generate().PublicKeyZ85), Is.Null);
        Assert.That(store.Certificates.Select(c => c.PublicKeyZ85), Is.EquivalentTo(new[] { alice.PublicKeyZ85, bob.PublicKeyZ85 }));
        Assert.That(store.Problems, Is.Empty);
    }

    [Test]
    public void Lookup_FileAddedRemovedOrRewritten_IsNoticedAtOnce()
    {
        var store = new ZmqCertificateStore(_directory);
        var first = ZmqCertificate.Generate();
        var second = ZmqCertificate.Generate();
        string path = Path.Combine(_directory, "peer.pub");
        Assert.That(store.Lookup(first.PublicKeyZ85), Is.Null);

        first.SavePublic(path);
        var stamp = File.GetLastWriteTimeUtc(path);
        Assert.That(store.Lookup(first.PublicKeyZ85), Is.Not.Null, "a new file");

        // Same length and, as on a file system with coarse timestamps, the same time: only the
        // re-read of recently modified files shows the change.
        second.SavePublic(path);
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.That(store.Lookup(first.PublicKeyZ85), Is.Null, "a rewritten file: the old key is gone");
        Assert.That(store.Lookup(second.PublicKeyZ85), Is.Not.Null, "and the new key is in");

        File.Delete(path);
        Assert.That(store.Lookup(second.PublicKeyZ85), Is.Null, "a deleted file");
    }

    [Test]
    public void Lookup_OldFileRewrittenWithItsStampKept_IsNotReadAgain()
    {
        var certificate = ZmqCertificate.Generate();
        var other = ZmqCertificate.Generate();
        string path = Path.Combine(_directory, "old.pub");
        var stamp = DateTime.UtcNow.AddMinutes(-5);
        certificate.SavePublic(path);
        File.SetLastWriteTimeUtc(path, stamp);
        var store = new ZmqCertificateStore(_directory);
        Assert.That(store.Lookup(certificate.PublicKeyZ85), Is.Not.Null);

        // Same length, and the old time put back: the cheap check sees no change, which shows that
        // lookups trust the stamps of files that are not recent instead of reading them again.
        File.WriteAllText(path, File.ReadAllText(path).Replace(certificate.PublicKeyZ85, other.PublicKeyZ85, StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(path, stamp);

        Assert.That(store.Lookup(certificate.PublicKeyZ85), Is.Not.Null);
        File.SetLastWriteTimeUtc(path, stamp.AddSeconds(1));
        Assert.That(store.Lookup(other.PublicKeyZ85), Is.Not.Null, "a changed stamp makes it read again");
    }

    [Test]
    public void Constructor_DirectoryCreatedLater_IsFollowed()
    {
        string later = Path.Combine(_directory, "later");
        var store = new ZmqCertificateStore(later);
        Assert.That(store.Count, Is.Zero);
        var certificate = ZmqCertificate.Generate();

        Directory.CreateDirectory(later);
        certificate.SavePublic(Path.Combine(later, "c"));

        Assert.That(store.Lookup(certificate.PublicKey), Is.Not.Null);
        Assert.That(store.Directory, Is.EqualTo(Path.GetFullPath(later)));
    }

    [Test]
    public void Refresh_FilesThatAreNotCertificates_AreSkippedAndListed()
    {
        var good = ZmqCertificate.Generate();
        good.SavePublic(Path.Combine(_directory, "good"));
        File.WriteAllText(Path.Combine(_directory, "README.txt"), "not a certificate\n  really not\n");
        File.WriteAllText(Path.Combine(_directory, ".hidden"), "ignored\n");

        var store = new ZmqCertificateStore(_directory);

        Assert.That(store.Count, Is.EqualTo(1));
        Assert.That(store.Problems, Has.Count.EqualTo(1));
        Assert.That(store.Problems[0], Does.Contain("README.txt"));
    }

    [Test]
    public void Insert_MemoryCertificates_StayAcrossReloadsAndKeepNoSecret()
    {
        var store = new ZmqCertificateStore(_directory);
        var inserted = ZmqCertificate.Generate();
        store.Insert(inserted);
        ZmqCertificate.Generate().SavePublic(Path.Combine(_directory, "other"));

        Assert.That(store.Count, Is.EqualTo(2));
        Assert.That(store.Lookup(inserted.PublicKeyZ85)!.HasSecretKey, Is.False);
        Assert.That(store.Remove(inserted.PublicKeyZ85), Is.True);
        Assert.That(store.Lookup(inserted.PublicKeyZ85), Is.Null);

        var memory = new ZmqCertificateStore();
        memory.Insert(inserted);
        Assert.That(memory.Directory, Is.Null);
        Assert.That(memory.Lookup(inserted.PublicKey), Is.Not.Null);
    }

    [Test]
    public void Lookup_InvalidKey_ThrowsArgumentException()
    {
        var store = new ZmqCertificateStore();

        Assert.That(() => store.Lookup(new byte[16]), Throws.ArgumentException.With.Message.Contains("32 bytes"));
        Assert.That(() => store.Lookup("too short"), Throws.ArgumentException.With.Message.Contains("40 characters"));
    }
}
