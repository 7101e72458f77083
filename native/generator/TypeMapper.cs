using System.Globalization;
using System.Text.RegularExpressions;

namespace ZmqNative.Generator;

/// <summary>
/// Turns clang's spelling of a C type (<c>const zmq_msg_t *</c>, <c>zmq_free_fn *</c>, <c>size_t</c>) into a
/// blittable C# type. Anything it does not know is an error, so a new kind of declaration in a future zmq.h
/// stops the generator instead of producing a wrong signature.
/// </summary>
internal sealed partial class TypeMapper
{
    /// <summary>The one platform-dependent typedef of zmq.h: <c>SOCKET</c> on Windows, <c>int</c> elsewhere.</summary>
    internal const string FdTypedef = "zmq_fd_t";

    internal const string PosixFdType = "int";

    internal const string WindowsFdType = "nuint";

    internal const string WindowsSuffix = "_windows";

    private static readonly Dictionary<string, string> Builtins = new(StringComparer.Ordinal)
    {
        ["void"] = "void",
        ["char"] = "byte",
        ["signed char"] = "sbyte",
        ["unsigned char"] = "byte",
        ["short"] = "short",
        ["short int"] = "short",
        ["signed short"] = "short",
        ["unsigned short"] = "ushort",
        ["unsigned short int"] = "ushort",
        ["int"] = "int",
        ["signed"] = "int",
        ["signed int"] = "int",
        ["unsigned"] = "uint",
        ["unsigned int"] = "uint",
        // C long is 32-bit on Windows and pointer-sized elsewhere: CLong/CULong follow the platform.
        ["long"] = "CLong",
        ["long int"] = "CLong",
        ["signed long"] = "CLong",
        ["unsigned long"] = "CULong",
        ["unsigned long int"] = "CULong",
        ["long long"] = "long",
        ["long long int"] = "long",
        ["unsigned long long"] = "ulong",
        ["unsigned long long int"] = "ulong",
        ["float"] = "float",
        ["double"] = "double",
    };

    /// <summary>Typedefs of the C library whose meaning is fixed by the standard, whatever clang desugars them to on this host.</summary>
    private static readonly Dictionary<string, string> StandardTypedefs = new(StringComparer.Ordinal)
    {
        ["size_t"] = "nuint",
        ["ssize_t"] = "nint",
        ["ptrdiff_t"] = "nint",
        ["intptr_t"] = "nint",
        ["uintptr_t"] = "nuint",
        ["int8_t"] = "sbyte",
        ["uint8_t"] = "byte",
        ["int16_t"] = "short",
        ["uint16_t"] = "ushort",
        ["int32_t"] = "int",
        ["uint32_t"] = "uint",
        ["int64_t"] = "long",
        ["uint64_t"] = "ulong",
    };

    private readonly Dictionary<string, CTypedef> typedefs;
    private readonly Dictionary<string, CRecord> recordsById;
    private readonly Dictionary<string, CRecord> recordsByTag;
    private readonly Dictionary<string, bool> recordUsesFd = new(StringComparer.Ordinal);

    public TypeMapper(HeaderAst ast)
    {
        typedefs = ast.Typedefs.ToDictionary(t => t.Name, StringComparer.Ordinal);
        recordsById = ast.Records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        recordsByTag = ast.Records.Where(r => r.Name.Length > 0).ToDictionary(r => r.Name, StringComparer.Ordinal);

        if (typedefs.TryGetValue(FdTypedef, out CTypedef? fd) && fd.Type != "int")
        {
            throw new GeneratorException($"{FdTypedef} is '{fd.Type}' on this host, expected the POSIX 'int'");
        }
    }

    /// <summary>The C# name of a struct: its tag, or for <c>typedef struct { ... } name;</c> the typedef's name.</summary>
    public string RecordName(CRecord record)
    {
        if (record.Name.Length > 0)
        {
            return record.Name;
        }

        CTypedef? alias = typedefs.Values.FirstOrDefault(t => t.RecordId == record.Id);
        return alias?.Name ?? throw new GeneratorException($"an anonymous struct without a typedef ({record.Id})");
    }

    /// <summary>The C# type for <paramref name="cType"/>; with <paramref name="windows"/>, <c>zmq_fd_t</c> is <c>SOCKET</c>.</summary>
    public string Map(string cType, bool windows)
    {
        ParsedType parsed = Parse(cType);
        (string baseType, int pointersUsed) = MapBase(parsed, windows, cType);
        return baseType + new string('*', parsed.Pointers - pointersUsed);
    }

    /// <summary>Whether <paramref name="cType"/> depends on <c>zmq_fd_t</c>, directly or through a struct or callback.</summary>
    public bool UsesFd(string cType)
    {
        ParsedType parsed = Parse(cType);
        if (parsed.Tagged)
        {
            return recordsByTag.TryGetValue(parsed.Base, out CRecord? tagged) && RecordUsesFd(tagged);
        }

        if (parsed.Base == FdTypedef)
        {
            return true;
        }

        if (typedefs.TryGetValue(parsed.Base, out CTypedef? alias))
        {
            if (alias.RecordId is not null)
            {
                return RecordUsesFd(recordsById[alias.RecordId]);
            }

            if (alias.Function is CFunctionType function)
            {
                return UsesFd(function.ReturnType) || function.ParameterTypes.Any(UsesFd);
            }

            return UsesFd(alias.Type);
        }

        return false;
    }

    public bool RecordUsesFd(CRecord record)
    {
        string key = record.Id;
        if (recordUsesFd.TryGetValue(key, out bool known))
        {
            return known;
        }

        recordUsesFd[key] = false; // a struct that points to itself does not depend on zmq_fd_t through itself
        bool uses = record.Fields?.Any(f => UsesFd(ArrayElement(f.Type).Element)) ?? false;
        recordUsesFd[key] = uses;
        return uses;
    }

    /// <summary>The C# form of a C function type, as a function pointer: <c>delegate* unmanaged[Cdecl]&lt;...&gt;</c>.</summary>
    public string FunctionPointer(CFunctionType function, bool windows)
    {
        IEnumerable<string> types = function.ParameterTypes
            .Where(p => p != "void")
            .Select(p => Map(p, windows))
            .Append(Map(function.ReturnType, windows));
        return $"delegate* unmanaged[Cdecl]<{string.Join(", ", types)}>";
    }

    /// <summary>Splits <c>unsigned char[64]</c> into its element type and length; a non-array type has length null.</summary>
    public static (string Element, int? Length) ArrayElement(string cType)
    {
        Match match = ArrayType().Match(cType);
        return match.Success
            ? (match.Groups["element"].Value.Trim(), int.Parse(match.Groups["length"].Value, CultureInfo.InvariantCulture))
            : (cType, null);
    }

    private (string BaseType, int PointersUsed) MapBase(ParsedType parsed, bool windows, string original)
    {
        if (parsed.Tagged)
        {
            if (!recordsByTag.TryGetValue(parsed.Base, out CRecord? tagged))
            {
                throw new GeneratorException($"'{original}': struct {parsed.Base} is not declared in the header");
            }

            return (MapRecord(tagged, parsed, windows, original), 0);
        }

        if (Builtins.TryGetValue(parsed.Base, out string? builtin))
        {
            if (builtin == "void" && parsed.Pointers == 0 && original.Trim() != "void")
            {
                throw new GeneratorException($"'{original}': qualified void");
            }

            return (builtin, 0);
        }

        if (StandardTypedefs.TryGetValue(parsed.Base, out string? standard))
        {
            return (standard, 0);
        }

        if (parsed.Base == FdTypedef)
        {
            return (windows ? WindowsFdType : PosixFdType, 0);
        }

        if (typedefs.TryGetValue(parsed.Base, out CTypedef? alias))
        {
            if (alias.RecordId is not null)
            {
                return (MapRecord(recordsById[alias.RecordId], parsed, windows, original), 0);
            }

            if (alias.Function is CFunctionType function)
            {
                if (parsed.Pointers == 0)
                {
                    throw new GeneratorException($"'{original}': a function type used by value");
                }

                return (FunctionPointer(function, windows), 1);
            }

            ParsedType underlying = Parse(alias.Type);
            (string mapped, int used) = MapBase(underlying, windows, alias.Type);
            return (mapped + new string('*', underlying.Pointers - used), 0);
        }

        throw new GeneratorException($"'{original}': the generator does not know the type '{parsed.Base}'");
    }

    private string MapRecord(CRecord record, ParsedType parsed, bool windows, string original)
    {
        if (record.Fields is null)
        {
            // Only forward-declared in the header (struct iovec): the C# side can only pass it by pointer, as void*.
            if (parsed.Pointers == 0)
            {
                throw new GeneratorException($"'{original}': incomplete struct used by value");
            }

            return "void";
        }

        string name = RecordName(record);
        return windows && RecordUsesFd(record) ? name + WindowsSuffix : name;
    }

    private readonly record struct ParsedType(string Base, int Pointers, bool Tagged);

    private static ParsedType Parse(string cType)
    {
        if (cType.Contains('(', StringComparison.Ordinal) || cType.Contains('[', StringComparison.Ordinal))
        {
            throw new GeneratorException($"'{cType}': function pointers and arrays are only supported through typedefs and struct fields");
        }

        int pointers = cType.Count(c => c == '*');
        string[] words = cType.Replace("*", " ", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("const" or "volatile" or "restrict" or "__restrict" or "__restrict__"))
            .ToArray();
        bool tagged = words.Length == 2 && words[0] == "struct";
        if (words.Length > 0 && words[0] is "union" or "enum")
        {
            throw new GeneratorException($"'{cType}': unions and enums are not supported");
        }

        return new ParsedType(tagged ? words[1] : string.Join(' ', words), pointers, tagged);
    }

    [GeneratedRegex("^(?<element>[^\\[]+)\\[(?<length>\\d+)\\]$")]
    private static partial Regex ArrayType();
}
