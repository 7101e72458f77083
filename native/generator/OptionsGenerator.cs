using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ZmqNative.Generator;

/// <summary>
/// One socket option of the table (native/generator/options.json): a typed property of <c>ZmqSocket</c>
/// and, when it can be set, the range its values must be in.
/// </summary>
/// <param name="Name">The ZMQ_* constant of zmq.h (zmq_setsockopt(3), zmq_getsockopt(3)).</param>
/// <param name="Property">The property's name on ZmqSocket.</param>
/// <param name="Type">The property's CLR type: int, long, ulong, bool, TimeSpan, byte[], string, ZmqPollEvents, ZmqSecurityMechanism.</param>
/// <param name="Access">"get", "set" or "get/set": what libzmq lets you do with the option.</param>
/// <param name="Unit">"ms" for a TimeSpan (libzmq's int milliseconds, -1 infinite), "curve-key" for a 32-byte CURVE key; otherwise none.</param>
/// <param name="Draft">The option needs a libzmq built with the draft API.</param>
/// <param name="Doc">What the option is, for the XML summary: "Gets or sets" and the ZMQ_* name are added.</param>
/// <param name="DocMore">More sentences after the summary's first one.</param>
/// <param name="Remarks">The XML remarks, if any.</param>
/// <param name="Range">The values a setter accepts (checked before libzmq sees them); bool options get 0 or 1 without one.</param>
public sealed record OptionEntry(
    string Name, string Property, string Type, string Access, string Doc,
    string? Unit = null, bool Draft = false, string? DocMore = null, string? Remarks = null, OptionRange? Range = null);

/// <summary>One context option (zmq_ctx_set(3)) of the table: only its range; ZmqContext's properties are handwritten.</summary>
/// <param name="Name">The ZMQ_* constant.</param>
/// <param name="Type">int or bool.</param>
/// <param name="Range">The values it accepts (required for int).</param>
public sealed record ContextOptionEntry(string Name, string Type, OptionRange? Range = null);

/// <summary>
/// The values an option accepts: <paramref name="Min"/> to <paramref name="Max"/> (for byte strings, their length),
/// and also <paramref name="Extra"/>. The ranges are zmq_setsockopt(3) and zmq_ctx_set(3) of the pinned libzmq and,
/// where a page gives none, what its options.cpp and ctx.cpp accept.
/// </summary>
/// <param name="Min">The smallest value or length.</param>
/// <param name="Max">The largest; when left out, the largest value of the C type (int or int64_t). Required for lengths.</param>
/// <param name="Extra">One more allowed value outside the range (-1 for "the OS default" or "infinite").</param>
/// <param name="Meaning">What the allowed values mean; the exception message says "ZMQ_X takes {Meaning}".</param>
/// <param name="Note">Why the range is what it is, where that is not obvious: written as a comment beside the rule.</param>
public sealed record OptionRange(long Min, string Meaning, long? Max = null, long? Extra = null, string? Note = null);

/// <summary>The whole table: what options.json holds.</summary>
/// <param name="About">What the file is (JSON has no comments).</param>
/// <param name="Socket">Socket options, in the order their properties are written.</param>
/// <param name="Context">Context options with a range check.</param>
public sealed record OptionTable(IReadOnlyList<OptionEntry> Socket, IReadOnlyList<ContextOptionEntry> Context, string? About = null);

/// <summary>What one options generation produced: the text of each file, with <c>\n</c> line ends.</summary>
/// <param name="Properties">src/ZmqNative/ZmqSocket.Options.g.cs: the typed option properties of ZmqSocket.</param>
/// <param name="Rules">src/ZmqNative/OptionRules.g.cs: the range of every option that has one.</param>
public sealed record OptionsResult(string Properties, string Rules);

/// <summary>
/// Generates ZmqSocket's typed option properties and the option range checks (OptionRules) from one table,
/// native/generator/options.json, so each option is written once: its constant, type, access, doc and range.
/// </summary>
public static partial class OptionsGenerator
{
    /// <summary>The table, relative to the repository root.</summary>
    public const string TablePath = "native/generator/options.json";

    /// <summary>The generated files, relative to the repository root.</summary>
    public const string PropertiesPath = "src/ZmqNative/ZmqSocket.Options.g.cs";

    /// <inheritdoc cref="PropertiesPath"/>
    public const string RulesPath = "src/ZmqNative/OptionRules.g.cs";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The accessor pair of ZmqSocket.OptionAccess.cs for each type (and unit), and how the value is passed to libzmq.</summary>
    private static readonly Dictionary<(string Type, string? Unit), (string Get, string? Set, string? Kind)> Accessors = new()
    {
        [("int", null)] = ("GetInt32", "SetInt32", "Int32"),
        [("long", null)] = ("GetInt64", "SetInt64", "Int64"),
        [("ulong", null)] = ("GetUInt64", "SetUInt64", null),
        [("bool", null)] = ("GetBoolean", "SetBoolean", "Int32"),
        [("TimeSpan", "ms")] = ("GetMilliseconds", "SetMilliseconds", "Int32"),
        [("byte[]", null)] = ("GetBytes", "SetBytes", "Bytes"),
        [("byte[]", "curve-key")] = ("GetCurveKey", "SetCurveKey", null),
        [("string", null)] = ("GetString", "SetString", "Bytes"),
        [("ZmqPollEvents", null)] = ("GetEvents", null, null),
        [("ZmqSecurityMechanism", null)] = ("GetMechanism", null, null),
    };

    /// <summary>Reads the table at <paramref name="tablePath"/> and generates both files.</summary>
    /// <exception cref="GeneratorException">The table is malformed or inconsistent.</exception>
    public static OptionsResult Generate(string tablePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tablePath);
        if (!File.Exists(tablePath))
        {
            throw new GeneratorException($"{tablePath} does not exist");
        }

        return GenerateFromJson(File.ReadAllText(tablePath));
    }

    /// <summary>Generates both files from the table's JSON text.</summary>
    /// <exception cref="GeneratorException">The table is malformed or inconsistent.</exception>
    public static OptionsResult GenerateFromJson(string json)
    {
        OptionTable table;
        try
        {
            table = JsonSerializer.Deserialize<OptionTable>(json, Json) ?? throw new GeneratorException($"{TablePath} is empty");
        }
        catch (JsonException e)
        {
            throw new GeneratorException($"{TablePath}: {e.Message}");
        }

        Validate(table);
        return new OptionsResult(WriteProperties(table), WriteRules(table));
    }

    private static void Validate(OptionTable table)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var properties = new HashSet<string>(StringComparer.Ordinal);
        foreach (OptionEntry e in table.Socket)
        {
            string where = $"{TablePath}: {e.Name}";
            Require(ZmqName().IsMatch(e.Name), $"{where}: the name must be a ZMQ_* constant");
            Require(names.Add(e.Name), $"{where} is listed twice");
            Require(Identifier().IsMatch(e.Property), $"{where}: property '{e.Property}' is not a C# identifier");
            Require(properties.Add(e.Property), $"{where}: property {e.Property} is used twice");
            Require(Accessors.TryGetValue((e.Type, e.Unit), out var accessor),
                $"{where}: type '{e.Type}' with unit '{e.Unit ?? "(none)"}' is not one of: {string.Join(", ", Accessors.Keys.Select(k => k.Unit is null ? k.Type : $"{k.Type} ({k.Unit})"))}");
            Require(e.Access is "get" or "set" or "get/set", $"{where}: access must be get, set or get/set");
            Require(CanSet(e) ? accessor.Set is not null : true, $"{where}: a {e.Type} option can only be read");
            Require(e.Doc.Length > 0 && !e.Doc.EndsWith('.') && !e.Doc.EndsWith($"({e.Name})", StringComparison.Ordinal),
                $"{where}: doc is the summary's middle part: not empty, no final period, not ending with the name (both are added)");
            if (e.Range is { } range)
            {
                Require(CanSet(e), $"{where}: a range is only checked when the option is set");
                Require(accessor.Kind is "Int32" or "Int64" or "Bytes" && e.Type != "bool", $"{where}: a {e.Type} option takes no range");
                CheckRange(where, accessor.Kind!, range);
            }
        }

        var contextNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (ContextOptionEntry e in table.Context)
        {
            string where = $"{TablePath}: context {e.Name}";
            Require(ZmqName().IsMatch(e.Name), $"{where}: the name must be a ZMQ_* constant");
            Require(contextNames.Add(e.Name), $"{where} is listed twice");
            Require(e.Type is "int" or "bool", $"{where}: a context option is an int or a bool");
            Require((e.Type == "int") == (e.Range is not null), $"{where}: an int option needs a range, a bool option has none");
            if (e.Range is { } range)
            {
                CheckRange(where, "Int32", range);
            }
        }
    }

    private static void CheckRange(string where, string kind, OptionRange range)
    {
        long typeMax = kind == "Int64" ? long.MaxValue : int.MaxValue;
        long typeMin = kind switch { "Int64" => long.MinValue, "Bytes" => 0, _ => int.MinValue };
        Require(kind != "Bytes" || range.Max is not null, $"{where}: a length range needs a max");
        Require(kind != "Bytes" || range.Extra is null, $"{where}: a length range has no extra value");
        long max = range.Max ?? typeMax;
        Require(range.Min >= typeMin && max <= typeMax && range.Min <= max, $"{where}: the range {range.Min} to {max} does not fit a {kind}");
        Require(range.Extra is null || range.Extra < range.Min || range.Extra > max, $"{where}: the extra value is inside the range already");
        Require(range.Meaning.Length > 0, $"{where}: the range needs a meaning");
    }

    private static bool CanGet(OptionEntry e) => e.Access != "set";

    private static bool CanSet(OptionEntry e) => e.Access != "get";

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new GeneratorException(message);
        }
    }

    private static void Header(StringBuilder text, string what)
    {
        text.Append("// <auto-generated />\n");
        text.Append("//\n");
        text.Append($"// Generated by native/generator (ZmqNative.Generator) from {TablePath}: {what}.\n");
        text.Append($"// Regenerate with: {LibZmqGenerator.RegenerateCommand}\n");
        text.Append("// Do not edit: change the table and regenerate (a test fails while this file differs from it).\n");
    }

    private static string WriteProperties(OptionTable table)
    {
        var text = new StringBuilder();
        Header(text, "one typed property per socket option");
        text.Append("//\n");
        text.Append("// Typed properties for every socket option in zmq.h (zmq_setsockopt(3), zmq_getsockopt(3)).\n");
        text.Append("// Times are TimeSpan (whole milliseconds; Timeout.InfiniteTimeSpan for libzmq's -1), flags are\n");
        text.Append("// bool, identities and keys are bytes, endpoints and names are UTF-8 strings. Write-only\n");
        text.Append("// properties are the options libzmq itself does not let you read. Options without a property:\n");
        text.Append("// GetOption/SetOption by number. Draft options need a libzmq with the draft API. Every value set\n");
        text.Append("// goes through OptionRules (OptionRules.g.cs, from the same table) before libzmq sees it.\n");
        text.Append('\n');
        text.Append("#nullable enable\n");
        text.Append('\n');
        text.Append("using ZmqNative.Interop;\n");
        text.Append('\n');
        text.Append("namespace ZmqNative;\n");
        text.Append('\n');
        text.Append("public sealed partial class ZmqSocket\n");
        text.Append("{\n");
        bool first = true;
        foreach (OptionEntry e in table.Socket)
        {
            if (!first)
            {
                text.Append('\n');
            }

            first = false;
            var (get, set, _) = Accessors[(e.Type, e.Unit)];
            string verb = e.Access switch { "get" => "Gets", "set" => "Sets", _ => "Gets or sets" };
            string draft = e.Draft ? "(draft) " : string.Empty;
            string more = e.DocMore is null ? string.Empty : " " + e.DocMore;
            text.Append($"    /// <summary>{verb} {draft}{e.Doc} ({e.Name}).{more}</summary>\n");
            if (e.Remarks is not null)
            {
                text.Append($"    /// <remarks>{e.Remarks}</remarks>\n");
            }

            text.Append($"    public {e.Type} {e.Property}\n");
            text.Append("    {\n");
            if (CanGet(e))
            {
                text.Append($"        get => {get}(LibZmq.{e.Name}, nameof(LibZmq.{e.Name}));\n");
            }

            if (CanSet(e))
            {
                text.Append($"        set => {set}(LibZmq.{e.Name}, nameof(LibZmq.{e.Name}), value);\n");
            }

            text.Append("    }\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string WriteRules(OptionTable table)
    {
        var text = new StringBuilder();
        Header(text, "the values each option accepts");
        text.Append('\n');
        text.Append("#nullable enable\n");
        text.Append('\n');
        text.Append("using static ZmqNative.Interop.LibZmq;\n");
        text.Append('\n');
        text.Append("namespace ZmqNative;\n");
        text.Append('\n');
        text.Append("internal static partial class OptionRules\n");
        text.Append("{\n");
        text.Append("    /// <summary>Socket options (zmq_setsockopt(3)), in the table's order.</summary>\n");
        text.Append("    private static Rule[] SocketTable() =>\n");
        text.Append("    [\n");
        foreach (OptionEntry e in table.Socket.Where(CanSet))
        {
            string? kind = Accessors[(e.Type, e.Unit)].Kind;
            if (e.Type == "bool")
            {
                WriteRule(text, e.Name, "Int32", new OptionRange(0, "0 or 1", Max: 1));
            }
            else if (e.Range is { } range)
            {
                WriteRule(text, e.Name, kind!, range);
            }
        }

        text.Append("    ];\n");
        text.Append('\n');
        text.Append("    /// <summary>Context options (zmq_ctx_set(3)); all are ints.</summary>\n");
        text.Append("    private static Rule[] ContextTable() =>\n");
        text.Append("    [\n");
        foreach (ContextOptionEntry e in table.Context)
        {
            WriteRule(text, e.Name, "Int32", e.Range ?? new OptionRange(0, "0 or 1", Max: 1));
        }

        text.Append("    ];\n");
        text.Append("}\n");
        return text.ToString();
    }

    private static void WriteRule(StringBuilder text, string name, string kind, OptionRange range)
    {
        if (range.Note is not null)
        {
            text.Append($"        // {range.Note}\n");
        }

        string max = range.Max is long m ? Number(m) : kind == "Int64" ? "long.MaxValue" : "int.MaxValue";
        string extra = range.Extra is long x ? Number(x) : "null";
        text.Append($"        new({name}, nameof({name}), ValueKind.{kind}, {Number(range.Min)}, {max}, {extra}, {Literal(range.Meaning)}),\n");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Literal(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^ZMQ_[A-Z0-9_]+$")]
    private static partial Regex ZmqName();

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*$")]
    private static partial Regex Identifier();
}
