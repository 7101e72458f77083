using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ZmqNative.Generator;

/// <summary>An object-like macro defined in the header: its name and body as <c>clang -E -dD</c> prints them.</summary>
internal sealed record CMacro(string Name, string Body);

/// <summary>An integer constant: a macro whose value clang computed, with the C type clang gave the expression.</summary>
internal sealed record CConstant(string Name, string Body, Int128 Value, string CType);

/// <summary>
/// Reads the macros a header defines (<c>clang -E -dD</c>, which keeps <c>#define</c>/<c>#undef</c> lines in place
/// between line markers, so each definition's file is known) and lets clang compute their values.
/// </summary>
internal static partial class HeaderMacros
{
    private const string ProbePrefix = "zmqgen_";

    /// <summary>
    /// The object-like macros whose <c>#define</c> is in <paramref name="headerPath"/> itself (not in errno.h,
    /// stdint.h ...) and still defined at its end (so not <c>ZMQ_EXPORT</c>, which zmq.h undefines), in header order.
    /// </summary>
    public static List<CMacro> Read(string clangPath, string workingDirectory, string headerPath, bool drafts, IEnumerable<string>? predefine = null)
    {
        var arguments = new List<string> { "-E", "-dD", "-Wno-macro-redefined" };
        if (drafts)
        {
            arguments.Add("-DZMQ_BUILD_DRAFT_API");
        }

        foreach (string name in predefine ?? [])
        {
            arguments.Add($"-D{name}={ProbePrefix}predefined");
        }

        arguments.AddRange(["-x", "c", headerPath]);
        string output = Clang.RunChecked(clangPath, workingDirectory, arguments);

        var macros = new List<CMacro>();
        string? file = null;
        foreach (string rawLine in output.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            Match marker = LineMarker().Match(line);
            if (marker.Success)
            {
                file = Regex.Unescape(marker.Groups["file"].Value);
                continue;
            }

            if (file != headerPath)
            {
                continue;
            }

            Match define = Define().Match(line);
            if (define.Success)
            {
                string name = define.Groups["name"].Value;
                macros.RemoveAll(m => m.Name == name);
                if (!define.Groups["params"].Success)
                {
                    macros.Add(new CMacro(name, define.Groups["body"].Value.Trim()));
                }

                continue;
            }

            Match undef = Undef().Match(line);
            if (undef.Success)
            {
                string name = undef.Groups["name"].Value;
                macros.RemoveAll(m => m.Name == name);
            }
        }

        return macros;
    }

    /// <summary>
    /// Computes the value of every candidate that is an integer constant expression by compiling a probe that
    /// includes the header and declares <c>enum { zmqgen_NAME = (NAME) };</c> per candidate, then reading the
    /// ConstantExpr values from clang's AST. Candidates clang rejects (empty, string or attribute macros) are dropped.
    /// </summary>
    public static List<CConstant> Evaluate(string clangPath, string workingDirectory, string headerPath, IReadOnlyList<CMacro> candidates)
    {
        Dictionary<string, CConstant> values = Probe(clangPath, workingDirectory, headerPath, candidates, out _);

        // One enum per line keeps clang's error recovery local, but an error could in principle swallow a
        // neighbour: so every rejected candidate is tried again alone before it is dropped.
        foreach (CMacro rejected in candidates.Where(c => !values.ContainsKey(c.Name)).ToList())
        {
            Dictionary<string, CConstant> alone = Probe(clangPath, workingDirectory, headerPath, [rejected], out _);
            if (alone.TryGetValue(rejected.Name, out CConstant? constant))
            {
                values[rejected.Name] = constant;
            }
        }

        // And the accepted ones together must compile without a single error.
        var accepted = candidates.Where(c => values.ContainsKey(c.Name)).ToList();
        Probe(clangPath, workingDirectory, headerPath, accepted, out int exitCode, out string errors);
        if (exitCode != 0)
        {
            throw new GeneratorException($"the constant probe does not compile cleanly:{Environment.NewLine}{errors}");
        }

        return accepted.Select(c => values[c.Name]).ToList();
    }

    private static Dictionary<string, CConstant> Probe(string clangPath, string workingDirectory, string headerPath, IReadOnlyList<CMacro> candidates, out int exitCode)
        => Probe(clangPath, workingDirectory, headerPath, candidates, out exitCode, out _);

    private static Dictionary<string, CConstant> Probe(
        string clangPath, string workingDirectory, string headerPath, IReadOnlyList<CMacro> candidates, out int exitCode, out string errors)
    {
        var source = new StringBuilder();
        source.Append("#include \"").Append(headerPath.Replace("\\", "\\\\", StringComparison.Ordinal)).Append("\"\n");
        foreach (CMacro candidate in candidates)
        {
            source.Append("enum { ").Append(ProbePrefix).Append(candidate.Name).Append(" = (").Append(candidate.Name).Append(") };\n");
        }

        string probePath = Path.Combine(workingDirectory, "zmqgen_probe.c");
        File.WriteAllText(probePath, source.ToString());
        Clang.Result result = Clang.Run(
            clangPath,
            workingDirectory,
            ["-Xclang", "-ast-dump=json", "-fsyntax-only", "-ferror-limit=0", "-DZMQ_BUILD_DRAFT_API", "-x", "c", probePath]);
        exitCode = result.ExitCode;
        errors = result.StandardError;

        var byName = candidates.ToDictionary(c => c.Name);
        var values = new Dictionary<string, CConstant>();
        if (result.StandardOutput.Length == 0)
        {
            return values;
        }

        using JsonDocument document = JsonDocument.Parse(result.StandardOutput, new JsonDocumentOptions { MaxDepth = 1024 });
        foreach (JsonElement declaration in document.RootElement.GetProperty("inner").EnumerateArray())
        {
            if (declaration.GetProperty("kind").GetString() != "EnumDecl" || !declaration.TryGetProperty("inner", out JsonElement enumerators))
            {
                continue;
            }

            foreach (JsonElement enumerator in enumerators.EnumerateArray())
            {
                if (enumerator.GetProperty("kind").GetString() != "EnumConstantDecl"
                    || !enumerator.TryGetProperty("name", out JsonElement nameElement)
                    || nameElement.GetString() is not string probeName
                    || !probeName.StartsWith(ProbePrefix, StringComparison.Ordinal)
                    || !byName.TryGetValue(probeName[ProbePrefix.Length..], out CMacro? macro)
                    || !enumerator.TryGetProperty("inner", out JsonElement initializer))
                {
                    continue;
                }

                foreach (JsonElement expression in initializer.EnumerateArray())
                {
                    if (expression.GetProperty("kind").GetString() == "ConstantExpr" && expression.TryGetProperty("value", out JsonElement value))
                    {
                        string cType = expression.GetProperty("type").GetProperty("qualType").GetString()!;
                        values[macro.Name] = ToConstant(macro, value.GetString()!, cType);
                    }
                }
            }
        }

        return values;
    }

    private static CConstant ToConstant(CMacro macro, string value, string cType)
    {
        if (!Int128.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out Int128 parsed)
            || parsed < long.MinValue || parsed > ulong.MaxValue)
        {
            throw new GeneratorException($"{macro.Name}: clang computed '{value}', which is not a 64-bit integer");
        }

        return new CConstant(macro.Name, macro.Body, parsed, cType);
    }

    [GeneratedRegex("^# \\d+ \"(?<file>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LineMarker();

    [GeneratedRegex("^#define (?<name>[A-Za-z_][A-Za-z0-9_]*)(?<params>\\([^)]*\\))?(?<body>.*)$")]
    private static partial Regex Define();

    [GeneratedRegex("^#undef (?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Undef();
}
