using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ZmqNative;

/// <summary>
/// The rules of one ZAP domain as the handler thread reads them: immutable, replaced as a whole
/// when the owner changes the configuration. A null setting is "not set here": the default
/// domain's setting applies.
/// </summary>
internal sealed record ZapRules(
    IReadOnlySet<string> Allowed,
    IReadOnlySet<string> Denied,
    PasswordSource? Plain,
    CurveRule? Curve,
    Func<ZmqZapRequest, ZmqZapReply>? Handler)
{
    public static readonly ZapRules Empty = new(new HashSet<string>(), new HashSet<string>(), null, null, null);

    public bool HasAddressRules => Allowed.Count > 0 || Denied.Count > 0;

    /// <summary>An address as the lists keep it: IPv4-mapped IPv6 as IPv4, IPv6 in its canonical text.</summary>
    public static string? NormalizeAddress(string address)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return ip.ToString();
    }
}

/// <summary>Where PLAIN passwords come from: a table given in code, or a passwords file.</summary>
internal abstract class PasswordSource
{
    /// <summary>Whether <paramref name="user"/> is known and <paramref name="password"/> is theirs; IOException when the source cannot be read.</summary>
    public abstract PasswordCheck Check(string user, string password);

    /// <summary>For logs: where the passwords come from and how many users there are; never a password.</summary>
    public abstract string Describe();

    /// <summary>Compares in constant time, so the time taken does not tell how much of a guess was right.</summary>
    protected static bool Matches(byte[] expected, string password)
    {
        byte[] given = Encoding.UTF8.GetBytes(password);
        try
        {
            return CryptographicOperations.FixedTimeEquals(expected, given);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(given);
        }
    }
}

/// <summary>The outcome of a password check.</summary>
internal enum PasswordCheck
{
    Valid,
    UnknownUser,
    WrongPassword,
}

/// <summary>Passwords given as a table.</summary>
internal sealed class PasswordTable : PasswordSource
{
    private readonly Dictionary<string, byte[]> _passwords;

    public PasswordTable(IEnumerable<KeyValuePair<string, string>> passwords)
    {
        _passwords = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (user, password) in passwords)
        {
            _passwords[user] = Encoding.UTF8.GetBytes(password);
        }
    }

    public override PasswordCheck Check(string user, string password) =>
        !_passwords.TryGetValue(user, out var expected) ? PasswordCheck.UnknownUser
        : Matches(expected, password) ? PasswordCheck.Valid : PasswordCheck.WrongPassword;

    public override string Describe() => $"a table of {_passwords.Count} users";
}

/// <summary>
/// Passwords read from a file in czmq's format (zhashx_load: one <c>user=password</c> per line; lines
/// starting with <c>#</c>, or without <c>=</c>, are skipped), re-read when it changes
/// (<see cref="FileStamps"/>). A missing file is an empty table, as in czmq.
/// </summary>
internal sealed class PasswordFile : PasswordSource
{
    private readonly object _gate = new();
    private Dictionary<string, byte[]> _passwords = new(StringComparer.Ordinal);
    private FileStamps? _stamps;

    public PasswordFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Refresh();
    }

    public string Path { get; }

    public override PasswordCheck Check(string user, string password)
    {
        Dictionary<string, byte[]> passwords;
        lock (_gate)
        {
            Refresh();
            passwords = _passwords;
        }

        return !passwords.TryGetValue(user, out var expected) ? PasswordCheck.UnknownUser
            : Matches(expected, password) ? PasswordCheck.Valid : PasswordCheck.WrongPassword;
    }

    public override string Describe()
    {
        lock (_gate)
        {
            return $"the file {Path} ({_passwords.Count} users)";
        }
    }

    /// <summary>Parses czmq's passwords format.</summary>
    internal static Dictionary<string, byte[]> Parse(string text)
    {
        var passwords = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals <= 0)
            {
                continue;
            }

            // Only the line ending is trimmed: spaces may be part of a name or a password.
            passwords[line[..equals]] = Encoding.UTF8.GetBytes(line[(equals + 1)..]);
        }

        return passwords;
    }

    private void Refresh()
    {
        var stamps = FileStamps.Take([Path]);
        if (stamps.ProvesUnchangedSince(_stamps))
        {
            return;
        }

        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (FileNotFoundException)
        {
            text = string.Empty;
        }
        catch (DirectoryNotFoundException)
        {
            text = string.Empty;
        }

        _passwords = Parse(text);
        _stamps = stamps;
    }
}

/// <summary>How a domain treats CURVE clients: any key, or only the keys in a store.</summary>
internal sealed record CurveRule(bool AnyKey, ZmqCertificateStore? Store)
{
    public string Describe() => AnyKey ? "any client key" : "the keys in " + Store;
}
