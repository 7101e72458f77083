using System.Reflection;
using System.Text.RegularExpressions;
using ZmqNative.Interop;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Interop;

/// <summary>
/// The generated layer (LibZmq.g.cs, from zmq.h) is the only source of zmq numbers: the public enums
/// carry the values of the constants they name, and no number zmq.h defines is typed again by hand in
/// src/ZmqNative (issue #18, item 4).
/// </summary>
[TestFixture]
public partial class GeneratedConstantsTests
{
    /// <summary>The enums whose members are zmq.h constants; members listed here are this binding's own combinations.</summary>
    private static readonly (Type Enum, string[] Own)[] ZmqEnums =
    [
        (typeof(ZmqSocketType), []),
        (typeof(ZmqPollEvents), ["None"]),
        (typeof(ZmqSecurityMechanism), []),
        (typeof(ZmqMonitorEvents), ["None", "HandshakeFailed"]),
        (typeof(ZmqProtocolError), []),
    ];

    private static readonly Dictionary<string, long> Constants = typeof(LibZmq)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType != typeof(string))
        .ToDictionary(f => f.Name, f => Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static string SourceRoot => Path.Combine(Repo.Root, "src", "ZmqNative");

    [Test]
    [CancelAfter(30_000)]
    public void PublicEnums_EveryZmqMember_HasTheValueOfTheConstantItsDocNames(CancellationToken cancellationToken)
    {
        var documented = DocumentedZmqNames();
        var failures = new List<string>();
        foreach ((Type type, string[] own) in ZmqEnums)
        {
            foreach (string member in Enum.GetNames(type).Where(m => !own.Contains(m)))
            {
                long value = Convert.ToInt64(Enum.Parse(type, member), System.Globalization.CultureInfo.InvariantCulture);
                if (!documented.TryGetValue($"{type.Name}.{member}", out string? zmqName))
                {
                    failures.Add($"{type.Name}.{member}: its summary does not start with the ZMQ_* name it stands for");
                }
                else if (!Constants.TryGetValue(zmqName, out long expected))
                {
                    failures.Add($"{type.Name}.{member}: {zmqName} is not a generated constant");
                }
                else if (value != expected)
                {
                    failures.Add($"{type.Name}.{member} is {value}, {zmqName} is {expected}");
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public void Sources_NoNumberOfAGeneratedConstant_IsTypedByHand(CancellationToken cancellationToken)
    {
        Assert.That(HandTypedConstants().Values, Is.Empty, "use the generated LibZmq.ZMQ_* constant instead of its number");
    }

    /// <summary>
    /// Initialisers with a bare number (<c>Pub = 1,</c>, <c>const int X = 1; // ZMQ_X</c>) whose line
    /// comment or doc comment names a generated constant, and any literal equal to a distinctive
    /// generated value (65535 and above: ZMQ_HAUSNUMERO, the protocol errors, event masks).
    /// Keys are "file: ZMQ_NAME", values say where.
    /// </summary>
    private static Dictionary<string, string> HandTypedConstants()
    {
        var distinctive = Constants.Where(c => Math.Abs(c.Value) >= 0xFFFF)
            .GroupBy(c => c.Value)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Key).Order(StringComparer.Ordinal).First());
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in SourceFiles())
        {
            string file = Path.GetRelativePath(SourceRoot, path).Replace('\\', '/');
            string[] lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                string code = lines[i].Trim();
                if (code.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                Match initialiser = LiteralInitialiser().Match(code);
                if (initialiser.Success)
                {
                    foreach (string name in ZmqNames(lines[i][(lines[i].IndexOf("//", StringComparison.Ordinal) is int c and >= 0 ? c : lines[i].Length)..]).Concat(ZmqNames(DocAbove(lines, i))))
                    {
                        if (Constants.ContainsKey(name))
                        {
                            found[$"{file}: {name}"] = $"{file}:{i + 1}: {code}";
                        }
                    }
                }

                string withoutComment = code.Split("//")[0];
                foreach (Match literal in NumberLiteral().Matches(withoutComment))
                {
                    if (ParseLiteral(literal.Value) is long value && distinctive.TryGetValue(value, out string? name))
                    {
                        found[$"{file}: {name}"] = $"{file}:{i + 1}: {code}";
                    }
                }
            }
        }

        return found;
    }

    /// <summary>"Enum.Member" -> the ZMQ_* name its summary starts with, read from the enums' source files.</summary>
    private static Dictionary<string, string> DocumentedZmqNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in SourceFiles())
        {
            string[] lines = File.ReadAllLines(path);
            string? currentEnum = null;
            for (int i = 0; i < lines.Length; i++)
            {
                Match declaration = EnumDeclaration().Match(lines[i]);
                if (declaration.Success)
                {
                    currentEnum = declaration.Groups[1].Value;
                    continue;
                }

                if (currentEnum is null)
                {
                    continue;
                }

                if (lines[i].TrimStart().StartsWith('}'))
                {
                    currentEnum = null;
                    continue;
                }

                Match member = EnumMember().Match(lines[i]);
                if (member.Success && SummaryName().Match(DocAbove(lines, i)) is { Success: true } summary)
                {
                    names[$"{currentEnum}.{member.Groups[1].Value}"] = summary.Groups[1].Value;
                }
            }
        }

        return names;
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"Interop{Path.DirectorySeparatorChar}Generated", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>The /// lines directly above line <paramref name="index"/> (attributes skipped), joined.</summary>
    private static string DocAbove(string[] lines, int index)
    {
        var doc = new List<string>();
        for (int j = index - 1; j >= 0; j--)
        {
            string line = lines[j].Trim();
            if (line.StartsWith("///", StringComparison.Ordinal))
            {
                doc.Insert(0, line[3..].Trim());
            }
            else if (!line.StartsWith('['))
            {
                break;
            }
        }

        return string.Join(' ', doc);
    }

    private static IEnumerable<string> ZmqNames(string text) => ZmqName().Matches(text).Select(m => m.Value);

    private static long? ParseLiteral(string text)
    {
        string digits = text.Replace("_", string.Empty, StringComparison.Ordinal);
        return digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(digits[2..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out long hex) ? hex : null
            : long.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out long dec) ? dec : null;
    }

    [GeneratedRegex(@"^(?:(?:private|internal|public|protected|static|readonly)\s+)*(?:const\s+\w+\s+)?\w+\s*=\s*-?(?:0[xX][0-9A-Fa-f_]+|[0-9][0-9_]*)\s*[,;]")]
    private static partial Regex LiteralInitialiser();

    [GeneratedRegex(@"(?<![\w.])(?:0[xX][0-9A-Fa-f_]+|[0-9][0-9_]*)(?![\w.])")]
    private static partial Regex NumberLiteral();

    [GeneratedRegex(@"\bZMQ_[A-Z0-9_]+\b")]
    private static partial Regex ZmqName();

    [GeneratedRegex(@"^<summary>\s*(ZMQ_[A-Z0-9_]+)\b")]
    private static partial Regex SummaryName();

    [GeneratedRegex(@"^\s*public enum (\w+)")]
    private static partial Regex EnumDeclaration();

    [GeneratedRegex(@"^\s*(\w+)\s*=")]
    private static partial Regex EnumMember();
}
