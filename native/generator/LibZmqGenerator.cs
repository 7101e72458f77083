using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ZmqNative.Generator;

/// <summary>What one generation produced: the file's text and what it declares.</summary>
/// <param name="Text">The C# source of <c>LibZmq.g.cs</c>, with <c>\n</c> line ends.</param>
/// <param name="Functions">C functions declared (each once, whatever its Windows form).</param>
/// <param name="DraftFunctions">Of <paramref name="Functions"/>, those of the draft API.</param>
/// <param name="WindowsForms">Extra <c>_windows</c> forms of functions and structs that involve <c>zmq_fd_t</c>.</param>
/// <param name="Constants">Integer constants declared.</param>
/// <param name="DraftConstants">Of <paramref name="Constants"/>, those of the draft API.</param>
/// <param name="Structs">C structs declared as C# structs (each once, whatever its Windows form).</param>
public sealed record GenerationResult(
    string Text, int Functions, int DraftFunctions, int WindowsForms, int Constants, int DraftConstants, int Structs);

/// <summary>
/// Generates <c>src/ZmqNative/Interop/Generated/LibZmq.g.cs</c>, the raw P/Invoke layer, from libzmq's zmq.h.
/// Everything comes from clang: declarations from its JSON AST, constants from its preprocessor and constant
/// evaluator, draft-ness from comparing runs with and without <c>ZMQ_BUILD_DRAFT_API</c>.
/// </summary>
public static partial class LibZmqGenerator
{
    /// <summary>The command that regenerates the committed file; written into its header.</summary>
    public const string RegenerateCommand = "./build.sh --target=Generate";

    private const string DraftRemark = "Draft API: needs a library built with ZMQ_BUILD_DRAFT_API.";

    /// <summary>
    /// The one list of calls that skip the GC transition ([SuppressGCTransition]), in two kinds, with the
    /// rule for each. The runtime allows it only for a call that is short, never blocks and never calls
    /// back into .NET (a callback without the transition fails fast); the transition is most of the cost
    /// of a small message's call (figures: docs/bench/hot-path-decisions.md).
    /// <para><b>Always</b> (<see cref="NoGcTransition"/>): accessors that only read a zmq_msg_t or the
    /// thread's errno, never block, never allocate, never call back. Their one declaration carries the
    /// attribute, so every caller gets it.</para>
    /// <para><b>Attempts only</b> (<see cref="NoGcAttempts"/>): calls that can block, lock or run a free
    /// callback in general (zmq_send, zmq_msg_close, zmq_msg_init_size ...), so their ordinary declaration
    /// keeps the transition, and a twin <c>name_nogc</c> (same entry point) is declared beside it for one
    /// use: the non-blocking attempt every send and receive makes first (ZmqSocket.Attempts.cs), and
    /// ZmqMessage.Rebuild. The callers keep the twins short: sends and receives only with ZMQ_DONTWAIT
    /// (they return at once, EAGAIN when they would wait, and the blocking call is then made the ordinary
    /// way); never on the draft thread-safe socket types (their mutex may be held by another thread);
    /// and only while no message with a managed free function exists in the process
    /// (ZmqMessage.ManagedFreeInUse), because closing one (a receive closes the previous content; libzmq
    /// closes the queued messages of a dying pipe while processing commands) runs the
    /// [UnmanagedCallersOnly] release callback. zmq_msg_init_size only mallocs. The twins do not set the
    /// last error (that would cost two more calls per message): a caller reads errno right after a failed
    /// twin with LibZmq.ErrnoNow().</para>
    /// Nothing else belongs on either list.
    /// </summary>
    public static IReadOnlyList<string> NoGcTransition { get; } =
    [
        "zmq_errno", "zmq_msg_data", "zmq_msg_size", "zmq_msg_more",
    ];

    /// <inheritdoc cref="NoGcTransition"/>
    public static IReadOnlyList<string> NoGcAttempts { get; } =
    [
        "zmq_msg_send", "zmq_msg_recv", "zmq_send", "zmq_recv", "zmq_msg_init_size", "zmq_msg_close",
    ];

    /// <summary>The suffix of a <see cref="NoGcAttempts"/> twin.</summary>
    public const string NoGcSuffix = "_nogc";

    /// <summary>
    /// Functions that never report a failure through errno (they cannot fail, or say so in their
    /// result alone: zmq_has, zmq_msg_routing_id, zmq_msg_group). Every other function is declared
    /// with <c>SetLastError = true</c>, so the errno of a failed call is read by the call's own stub
    /// at once, before any other code of the runtime or the binding runs on the thread (see
    /// <c>LibZmq.LastErrno</c> in src/ZmqNative/Interop/LibZmq.cs for why a separate zmq_errno()
    /// call is not enough).
    /// </summary>
    private static readonly HashSet<string> NoErrno = new(StringComparer.Ordinal)
    {
        "zmq_errno", "zmq_strerror", "zmq_version", "zmq_msg_data", "zmq_msg_size", "zmq_msg_more",
        "zmq_has", "zmq_msg_routing_id", "zmq_msg_group",
        "zmq_atomic_counter_new", "zmq_atomic_counter_set", "zmq_atomic_counter_inc", "zmq_atomic_counter_dec",
        "zmq_atomic_counter_value", "zmq_atomic_counter_destroy",
        "zmq_stopwatch_start", "zmq_stopwatch_intermediate", "zmq_stopwatch_stop",
        "zmq_sleep", "zmq_threadstart", "zmq_threadclose",
    };

    private static readonly HashSet<string> CSharpKeywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>The clang to use when none is given: the first of <c>clang</c>, <c>clang-19</c> ... <c>clang-14</c> on PATH, or null.</summary>
    public static string? FindClang() => Clang.Find();

    /// <summary>Generates the text of <c>LibZmq.g.cs</c> from <paramref name="headerPath"/> with the clang at <paramref name="clangPath"/>.</summary>
    public static string Generate(string headerPath, string clangPath) => Run(headerPath, clangPath).Text;

    /// <summary>Generates <c>LibZmq.g.cs</c> and reports what it declares.</summary>
    public static GenerationResult Run(string headerPath, string clangPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(headerPath);
        ArgumentException.ThrowIfNullOrEmpty(clangPath);
        string header = Path.GetFullPath(headerPath);
        if (!File.Exists(header))
        {
            throw new GeneratorException($"{headerPath} does not exist");
        }

        string work = Directory.CreateTempSubdirectory("zmqgen-").FullName;
        try
        {
            return RunIn(header, clangPath, work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static GenerationResult RunIn(string header, string clangPath, string work)
    {
        HeaderAst ast = HeaderAst.Read(clangPath, work, header, drafts: true);
        HeaderAst stableAst = HeaderAst.Read(clangPath, work, header, drafts: false);
        var stableFunctions = stableAst.Functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var stableRecords = stableAst.Records.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        List<CConstant> constants = ReadConstants(clangPath, work, header, out HashSet<string> stableMacros);
        var mapper = new TypeMapper(ast);

        foreach (CFunction function in ast.Functions.Where(f => !f.Name.StartsWith("zmq_", StringComparison.Ordinal)))
        {
            throw new GeneratorException($"zmq.h declares {function.Name}, which is not a zmq_* function: teach the generator about it");
        }

        byte[] headerBytes = File.ReadAllBytes(header);
        string version = string.Join('.', new[] { "ZMQ_VERSION_MAJOR", "ZMQ_VERSION_MINOR", "ZMQ_VERSION_PATCH" }
            .Select(name => constants.FirstOrDefault(c => c.Name == name)?.Value.ToString(CultureInfo.InvariantCulture)
                ?? throw new GeneratorException($"{name} is not defined in {header}")));

        var writer = new Writer();
        var records = ast.Records.Where(r => r.Fields is not null).ToList();
        var opaque = ast.Records.Where(r => r.Fields is null).ToList();
        var callbacks = ast.Typedefs.Where(t => t.Function is not null).ToList();
        int draftFunctions = ast.Functions.Count(f => !stableFunctions.Contains(f.Name));
        int draftConstants = constants.Count(c => !stableMacros.Contains(c.Name));

        // ---- header comment: no timestamps, absolute paths or tool versions, so every machine writes the same bytes.
        writer.Line("// <auto-generated />");
        writer.Line("//");
        writer.Line($"// Generated by native/generator (ZmqNative.Generator) from {DisplayPath(header)}");
        writer.Line($"// (libzmq {version}; zmq.h sha256 {Convert.ToHexStringLower(SHA256.HashData(headerBytes))}).");
        writer.Line($"// Regenerate with: {RegenerateCommand}");
        writer.Line("// Do not edit: this file is overwritten when it is regenerated. Handwritten parts of the raw layer");
        writer.Line("// go in other files of src/ZmqNative/Interop/ (LibZmq.cs names the library).");
        writer.Line("//");
        writer.Line($"// {ast.Functions.Count} functions ({draftFunctions} of them draft API), {constants.Count} integer constants ({draftConstants} draft),");
        writer.Line($"// {records.Count} structs. Draft declarations exist only when zmq.h is compiled with ZMQ_BUILD_DRAFT_API and");
        writer.Line("// work only with a libzmq built with it (native/build-libzmq.sh builds one).");
        writer.Line("//");
        writer.Line("// Blittable signatures only (strings and spans are converted in the safe layer): char* is byte*,");
        writer.Line("// size_t is nuint, int64_t/uint64_t/uint32_t are long/ulong/uint, and C long/unsigned long are");
        writer.Line("// CLong/CULong (32-bit on Windows, pointer-sized elsewhere).");
        writer.Line("// Every function that reports failures through errno has SetLastError = true: the stub captures errno");
        writer.Line("// right after the call; read it with LibZmq.LastErrno() (Interop/LibZmq.cs), never with a later zmq_errno().");
        writer.Line("//");
        writer.Line($"// [SuppressGCTransition]: on {string.Join(", ", NoGcTransition)} always; and on a twin named");
        writer.Line($"// <name>{NoGcSuffix} of {string.Join(", ", NoGcAttempts)}, for non-blocking attempts only.");
        writer.Line("// The rule for both lists, and why nothing else belongs on them: NoGcTransition in native/generator/LibZmqGenerator.cs.");
        foreach (CRecord record in opaque)
        {
            writer.Line($"// struct {record.Name} is only forward-declared in zmq.h: pointers to it are void*.");
        }

        writer.Line("//");
        writer.Line("// zmq_fd_t is SOCKET (pointer-sized, unsigned) on Windows and int elsewhere. Every struct and function");
        writer.Line("// that involves it is declared twice: the POSIX form under the C name (int) and a Windows form with the");
        writer.Line($"// suffix {TypeMapper.WindowsSuffix} ({TypeMapper.WindowsFdType}); a Windows function binds the same entry point (EntryPoint = \"zmq_...\").");
        if (callbacks.Count > 0)
        {
            writer.Line("//");
            writer.Line("// C has typedefs for its callback types; C# has no aliases for function pointer types, so they became:");
            int width = callbacks.Max(c => c.Name.Length);
            foreach (CTypedef callback in callbacks)
            {
                writer.Line($"//   {(callback.Name + " *").PadRight(width + 2)} -> {mapper.FunctionPointer(callback.Function!, windows: false)}");
            }
        }

        writer.Line();
        writer.Line("#nullable enable");
        writer.Line();
        writer.Line("using System.Runtime.CompilerServices;");
        writer.Line("using System.Runtime.InteropServices;");
        writer.Line();
        writer.Line("namespace ZmqNative.Interop;");
        writer.Line();
        writer.Line("internal static unsafe partial class LibZmq");
        writer.Line("{");
        writer.Indent++;

        WriteConstants(writer, constants, stableMacros);
        foreach (CRecord record in records)
        {
            bool draft = !stableRecords.Contains(record.Name);
            WriteStruct(writer, mapper, record, draft, windows: false);
            if (mapper.RecordUsesFd(record))
            {
                WriteStruct(writer, mapper, record, draft, windows: true);
            }
        }

        foreach (string name in NoGcTransition.Concat(NoGcAttempts).Where(n => ast.Functions.All(f => f.Name != n)))
        {
            throw new GeneratorException($"{name} is on a no-GC-transition list but zmq.h does not declare it");
        }

        int windowsForms = records.Count(mapper.RecordUsesFd);
        foreach (CFunction function in ast.Functions)
        {
            bool draft = !stableFunctions.Contains(function.Name);
            bool usesFd = mapper.UsesFd(function.ReturnType) || function.Parameters.Any(p => mapper.UsesFd(p.Type));
            WriteFunction(writer, mapper, function, draft, usesFd, windows: false);
            if (usesFd)
            {
                WriteFunction(writer, mapper, function, draft, usesFd, windows: true);
                windowsForms++;
            }

            if (NoGcAttempts.Contains(function.Name))
            {
                if (usesFd)
                {
                    throw new GeneratorException($"{function.Name} involves zmq_fd_t: it cannot have a no-GC attempt twin");
                }

                WriteNoGcTwin(writer, mapper, function);
            }
        }

        writer.Indent--;
        writer.Line("}");

        return new GenerationResult(writer.ToString(), ast.Functions.Count, draftFunctions, windowsForms, constants.Count, draftConstants, records.Count);
    }

    /// <summary>
    /// Every object-like <c>ZMQ_*</c> macro of the header that is an integer constant, plus libzmq's own errno
    /// values (<c>EFSM</c> ...): macros of other names whose body uses <c>ZMQ_HAUSNUMERO</c> and that zmq.h defines
    /// unconditionally. The POSIX ones (<c>ENOTSUP</c> ...) are only defined by zmq.h where errno.h lacks them, so
    /// their values belong to the platform and are left out.
    /// </summary>
    private static List<CConstant> ReadConstants(string clangPath, string work, string header, out HashSet<string> stableMacros)
    {
        List<CMacro> macros = HeaderMacros.Read(clangPath, work, header, drafts: true);
        stableMacros = HeaderMacros.Read(clangPath, work, header, drafts: false).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

        var errnoCandidates = macros
            .Where(m => !m.Name.StartsWith("ZMQ_", StringComparison.Ordinal) && HausnumeroToken().IsMatch(m.Body))
            .Select(m => m.Name)
            .ToList();
        var unconditional = new HashSet<string>(StringComparer.Ordinal);
        if (errnoCandidates.Count > 0)
        {
            // Predefine each candidate on the command line: a definition behind #ifndef then disappears from
            // the header's part of the output, an unconditional one is still there.
            unconditional = HeaderMacros.Read(clangPath, work, header, drafts: true, predefine: errnoCandidates)
                .Select(m => m.Name)
                .Where(errnoCandidates.Contains)
                .ToHashSet(StringComparer.Ordinal);
        }

        var candidates = macros
            .Where(m => m.Name.StartsWith("ZMQ_", StringComparison.Ordinal) || unconditional.Contains(m.Name))
            .ToList();
        return HeaderMacros.Evaluate(clangPath, work, header, candidates);
    }

    private static void WriteConstants(Writer writer, List<CConstant> constants, HashSet<string> stableMacros)
    {
        writer.Line("// Integer constants: the object-like #defines of zmq.h, with the values clang computed for them.");
        foreach (CConstant constant in constants)
        {
            string value = constant.Value.ToString(CultureInfo.InvariantCulture);
            string type = constant.Value >= int.MinValue && constant.Value <= int.MaxValue ? "int"
                : constant.Value >= uint.MinValue && constant.Value <= uint.MaxValue ? "uint"
                : constant.Value >= long.MinValue && constant.Value <= long.MaxValue ? "long"
                : "ulong";
            var notes = new List<string>();
            if (!stableMacros.Contains(constant.Name))
            {
                notes.Add("draft API");
            }

            if (constant.Body != value)
            {
                notes.Add(constant.Body);
            }

            string comment = notes.Count == 0 ? string.Empty : " // " + string.Join(": ", notes);
            writer.Line($"public const {type} {Identifier(constant.Name)} = {value};{comment}");
        }
    }

    private static void WriteStruct(Writer writer, TypeMapper mapper, CRecord record, bool draft, bool windows)
    {
        string name = mapper.RecordName(record);
        string csName = windows ? name + TypeMapper.WindowsSuffix : name;
        IReadOnlyList<CField> fields = record.Fields!;
        string cDeclaration = $"struct {name} {{ {string.Join(" ", fields.Select(f => CDeclaration(f.Type, f.Name) + ";"))} }}";

        writer.Line();
        writer.Line($"/// <summary><c>{Xml(cDeclaration)}</c>{FdNote(mapper.RecordUsesFd(record), windows, name)}</summary>");
        if (draft)
        {
            writer.Line($"/// <remarks>{DraftRemark}</remarks>");
        }

        // A struct that is only aligned opaque storage (zmq_msg_t: unsigned char _[64], aligned to the pointer
        // size) is stored as ulongs, so the C# struct has the same size and at least the C alignment.
        if (fields.Count == 1 && fields[0].Aligned
            && TypeMapper.ArrayElement(fields[0].Type) is (string element, int length)
            && mapper.Map(element, windows) == "byte" && length % 8 == 0)
        {
            writer.Line($"/// <remarks>In C, <c>{Xml(fields[0].Name)}</c> carries an aligned attribute (in zmq.h: the pointer size); stored here as {length / 8} <c>ulong</c>s, the struct is {length} bytes and at least pointer-aligned.</remarks>");
            writer.Line($"[StructLayout(LayoutKind.Sequential, Size = {length})]");
            writer.Line($"internal struct {csName}");
            writer.Line("{");
            writer.Indent++;
            writer.Line($"public fixed ulong {Identifier(fields[0].Name)}[{length / 8}];");
            writer.Indent--;
            writer.Line("}");
            return;
        }

        writer.Line("[StructLayout(LayoutKind.Sequential)]");
        writer.Line($"internal struct {csName}");
        writer.Line("{");
        writer.Indent++;
        foreach (CField field in fields)
        {
            if (field.Aligned)
            {
                throw new GeneratorException($"struct {name}: the aligned field {field.Name} is not supported");
            }

            (string fieldElement, int? fieldLength) = TypeMapper.ArrayElement(field.Type);
            writer.Line(fieldLength is int n
                ? $"public fixed {mapper.Map(fieldElement, windows)} {Identifier(field.Name)}[{n}];"
                : $"public {mapper.Map(field.Type, windows)} {Identifier(field.Name)};");
        }

        writer.Indent--;
        writer.Line("}");
    }

    private static void WriteFunction(Writer writer, TypeMapper mapper, CFunction function, bool draft, bool usesFd, bool windows)
    {
        string prototype = $"{CDeclaration(function.ReturnType, function.Name)} ({(function.Parameters.Count == 0 ? "void" : string.Join(", ", function.Parameters.Select(p => CDeclaration(p.Type, p.Name))))})";
        var parameters = function.Parameters.Select((p, i) =>
            $"{mapper.Map(p.Type, windows)} {Identifier(p.Name.Length > 0 ? p.Name : $"arg{i}")}");

        writer.Line();
        writer.Line($"/// <summary><c>{Xml(prototype)}</c>{FdNote(usesFd, windows, function.Name)}</summary>");
        if (draft)
        {
            writer.Line($"/// <remarks>{DraftRemark}</remarks>");
        }

        string setLastError = NoErrno.Contains(function.Name) ? string.Empty : ", SetLastError = true";
        writer.Line(windows
            ? $"[LibraryImport(LibraryName, EntryPoint = \"{function.Name}\"{setLastError})]"
            : $"[LibraryImport(LibraryName{setLastError})]");
        writer.Line("[UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]");
        if (NoGcTransition.Contains(function.Name))
        {
            writer.Line("[SuppressGCTransition] // short, never blocks or calls back: see NoGcTransition in native/generator");
        }

        string name = windows ? function.Name + TypeMapper.WindowsSuffix : function.Name;
        writer.Line($"internal static partial {mapper.Map(function.ReturnType, windows)} {name}({string.Join(", ", parameters)});");
    }

    private static void WriteNoGcTwin(Writer writer, TypeMapper mapper, CFunction function)
    {
        var parameters = function.Parameters.Select((p, i) =>
            $"{mapper.Map(p.Type, windows: false)} {Identifier(p.Name.Length > 0 ? p.Name : $"arg{i}")}");

        writer.Line();
        writer.Line($"/// <summary><c>{function.Name}</c> without the GC transition, for a non-blocking attempt only; it does not capture errno (read <c>ErrnoNow()</c>).</summary>");
        writer.Line($"[LibraryImport(LibraryName, EntryPoint = \"{function.Name}\")]");
        writer.Line("[UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]");
        writer.Line("[SuppressGCTransition] // a non-blocking attempt only: see NoGcAttempts in native/generator");
        writer.Line($"internal static partial {mapper.Map(function.ReturnType, windows: false)} {function.Name}{NoGcSuffix}({string.Join(", ", parameters)});");
    }

    private static string FdNote(bool usesFd, bool windows, string cName)
    {
        if (!usesFd)
        {
            return string.Empty;
        }

        return windows
            ? $": the Windows form, where <c>zmq_fd_t</c> is <c>SOCKET</c> (<c>{TypeMapper.WindowsFdType}</c>)."
            : $": the POSIX form, where <c>zmq_fd_t</c> is <c>{TypeMapper.PosixFdType}</c>; on Windows use <see cref=\"{cName}{TypeMapper.WindowsSuffix}\"/>.";
    }

    /// <summary>A C declarator as zmq.h's style writes it: <c>void *s_</c>, <c>int flags_</c>, <c>unsigned char _[64]</c>.</summary>
    private static string CDeclaration(string type, string name)
    {
        (string element, int? length) = TypeMapper.ArrayElement(type);
        if (length is int n)
        {
            return $"{element} {name}[{n.ToString(CultureInfo.InvariantCulture)}]";
        }

        if (name.Length == 0)
        {
            return type;
        }

        return type.EndsWith('*') ? type + name : type + " " + name;
    }

    private static string Identifier(string name) => CSharpKeywords.Contains(name) ? "@" + name : name;

    private static string Xml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// The header's path as the file names it: relative to the repository, and for the build output
    /// <c>native/out/&lt;rid&gt;/include/zmq.h</c> with the rid left as a placeholder, since every rid installs the
    /// same zmq.h (its sha256 is written next to it) and the file must not depend on the machine that generated it.
    /// </summary>
    internal static string DisplayPath(string header)
    {
        string? root = FindRepositoryRoot(Path.GetDirectoryName(header)!);
        if (root is null)
        {
            return Path.GetFileName(header);
        }

        string relative = Path.GetRelativePath(root, header).Replace('\\', '/');
        return NativeOutHeader().IsMatch(relative) ? "native/out/<rid>/include/zmq.h" : relative;
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> with ZmqNative.sln or native/libzmq.version.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ZmqNative.sln"))
                || File.Exists(Path.Combine(folder.FullName, "native", "libzmq.version")))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    [GeneratedRegex("\\bZMQ_HAUSNUMERO\\b")]
    private static partial Regex HausnumeroToken();

    [GeneratedRegex("^native/out/[^/]+/include/zmq\\.h$")]
    private static partial Regex NativeOutHeader();

    /// <summary>Builds the file with <c>\n</c> line ends and four-space indents, whatever the platform.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder text = new();

        public int Indent { get; set; }

        public void Line(string line = "")
        {
            if (line.Length > 0)
            {
                text.Append(' ', Indent * 4).Append(line);
            }

            text.Append('\n');
        }

        public override string ToString() => text.ToString();
    }
}
