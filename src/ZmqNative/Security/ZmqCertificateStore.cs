using System.Diagnostics.CodeAnalysis;

namespace ZmqNative;

/// <summary>
/// A set of public CURVE certificates to recognise clients by, as czmq's zcertstore: loaded from a
/// directory of certificate files, and/or inserted in memory. The <see cref="ZmqAuthenticator"/>
/// lets in the CURVE clients whose public key is in the store (the Ironhouse pattern).
/// </summary>
/// <remarks>
/// <para><b>Directory.</b> Every file under the directory and its subdirectories is read as a
/// certificate (czmq's zcert(3) format), except secret files (names ending in <c>_secret</c>,
/// which the store never reads) and files whose name starts with a dot. Files that are not
/// certificates are skipped and listed in <see cref="Problems"/>. The directory may be absent at
/// first and created later.</para>
/// <para><b>Changes are noticed</b> on each lookup (and on <see cref="Refresh"/>, <see cref="Count"/>,
/// <see cref="Certificates"/>): the store lists the directory and compares each file's path,
/// length and modification time with what it loaded; when anything differs it reloads the whole
/// directory. A file modified within the last two seconds is re-read on every lookup anyway,
/// because file-system timestamps are too coarse to show a quick second rewrite (see git's
/// "racily clean" entries). No watcher thread, nothing to dispose; the cost is one directory
/// listing per lookup, and the ZAP handler looks up once per connection handshake.</para>
/// <para><b>Thread-safe:</b> the authenticator's thread looks keys up while other threads insert.</para>
/// </remarks>
public sealed class ZmqCertificateStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ZmqCertificate> _inserted = new(StringComparer.Ordinal);
    private Dictionary<string, ZmqCertificate> _loaded = new(StringComparer.Ordinal);
    private List<string> _problems = [];
    private FileStamps? _stamps;

    /// <summary>Creates an empty store held in memory only; add certificates with <see cref="Insert"/>.</summary>
    public ZmqCertificateStore()
    {
    }

    /// <summary>Creates a store that loads the certificates in <paramref name="directory"/> and follows its changes.</summary>
    /// <param name="directory">The directory (it need not exist yet).</param>
    /// <exception cref="IOException">The directory exists but could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory exists but may not be read.</exception>
    public ZmqCertificateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        Refresh();
    }

    /// <summary>The directory the store follows, as a full path; null for a memory-only store.</summary>
    public string? Directory { get; }

    /// <summary>The number of certificates (from the directory and inserted), after checking the directory for changes.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                RefreshLocked();
                return _loaded.Keys.Union(_inserted.Keys, StringComparer.Ordinal).Count();
            }
        }
    }

    /// <summary>A snapshot of the certificates (public only), after checking the directory for changes.</summary>
    public IReadOnlyList<ZmqCertificate> Certificates
    {
        get
        {
            lock (_gate)
            {
                RefreshLocked();
                var all = new Dictionary<string, ZmqCertificate>(_loaded, StringComparer.Ordinal);
                foreach (var (key, certificate) in _inserted)
                {
                    all[key] = certificate;
                }

                return [.. all.Values];
            }
        }
    }

    /// <summary>The files of the last load that were skipped, each as "path: reason".</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_gate)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>Adds a certificate in memory (its public part); it stays across reloads of the directory.</summary>
    /// <param name="certificate">The certificate; a secret key it has is not kept.</param>
    public void Insert(ZmqCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var copy = certificate.ToPublic();
        lock (_gate)
        {
            _inserted[copy.PublicKeyZ85] = copy;
        }
    }

    /// <summary>Removes a certificate added with <see cref="Insert"/> (files in the directory are removed by deleting them).</summary>
    /// <param name="z85PublicKey">Its public key as 40 Z85 characters.</param>
    /// <returns>False when no inserted certificate has that key.</returns>
    public bool Remove(string z85PublicKey)
    {
        ArgumentNullException.ThrowIfNull(z85PublicKey);
        lock (_gate)
        {
            return _inserted.Remove(z85PublicKey);
        }
    }

    /// <summary>Finds the certificate of a public key, after checking the directory for changes.</summary>
    /// <param name="publicKey">The public key: 32 bytes.</param>
    /// <returns>The certificate, or null when the key is not in the store.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    /// <exception cref="IOException">The directory could not be read.</exception>
    public ZmqCertificate? Lookup(ReadOnlySpan<byte> publicKey)
    {
        ZmqCurve.CheckLength(publicKey, nameof(publicKey));
        return LookupZ85(Z85.Encode(publicKey));
    }

    /// <summary>Finds the certificate of a public key given as Z85 text, after checking the directory for changes.</summary>
    /// <param name="z85PublicKey">The public key: 40 Z85 characters.</param>
    /// <returns>The certificate, or null when the key is not in the store.</returns>
    /// <exception cref="ArgumentException">The text is not 40 valid Z85 characters.</exception>
    /// <exception cref="IOException">The directory could not be read.</exception>
    public ZmqCertificate? Lookup(string z85PublicKey)
    {
        ZmqCurve.CheckZ85(z85PublicKey, nameof(z85PublicKey));
        return LookupZ85(z85PublicKey);
    }

    /// <summary>Checks the directory for changes now and reloads it if anything changed.</summary>
    /// <exception cref="IOException">The directory exists but could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory exists but may not be read.</exception>
    public void Refresh()
    {
        lock (_gate)
        {
            RefreshLocked();
        }
    }

    /// <summary>The directory, or "memory", and the number of certificates loaded so far.</summary>
    /// <returns>A description.</returns>
    public override string ToString()
    {
        lock (_gate)
        {
            return $"certificate store ({Directory ?? "memory"}): {_loaded.Count + _inserted.Count} certificates";
        }
    }

    private ZmqCertificate? LookupZ85(string key)
    {
        lock (_gate)
        {
            RefreshLocked();
            return _inserted.TryGetValue(key, out var found) || _loaded.TryGetValue(key, out found) ? found : null;
        }
    }

    private void RefreshLocked()
    {
        if (Directory is null)
        {
            return;
        }

        var files = ListFiles(Directory);
        var stamps = FileStamps.Take(files);
        if (stamps.ProvesUnchangedSince(_stamps))
        {
            return;
        }

        var loaded = new Dictionary<string, ZmqCertificate>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (string file in files)
        {
            if (TryRead(file, problems, out var certificate))
            {
                loaded[certificate.PublicKeyZ85] = certificate;
            }
        }

        _loaded = loaded;
        _problems = problems;
        _stamps = stamps;
    }

    private static List<string> ListFiles(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return []; // czmq's store may be created before its directory
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = false,
            AttributesToSkip = FileAttributes.None,
            ReturnSpecialDirectories = false,
        };
        return System.IO.Directory.EnumerateFiles(directory, "*", options)
            .Where(f =>
            {
                string name = Path.GetFileName(f);
                return !name.StartsWith('.') && !name.EndsWith(ZmqCertificate.SecretFileSuffix, StringComparison.Ordinal);
            })
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool TryRead(string file, List<string> problems, [NotNullWhen(true)] out ZmqCertificate? certificate)
    {
        try
        {
            certificate = ZmqCertificate.ReadFile(file, keepSecret: false);
            return true;
        }
        catch (FileNotFoundException)
        {
            // Deleted between the listing and the read: the next lookup's listing shows it gone.
        }
        catch (DirectoryNotFoundException)
        {
            // Its directory was removed meanwhile: likewise.
        }
        catch (InvalidDataException e)
        {
            problems.Add(e.Message);
        }
        catch (NotSupportedException e)
        {
            problems.Add($"{file}: {e.Message}");
        }

        certificate = null;
        return false;
    }
}
