using System.Text.Json;

namespace ZmqNative.Generator;

/// <summary>A C parameter or field: its name as declared (may be empty for unnamed parameters) and clang's spelling of its type.</summary>
internal sealed record CNamed(string Name, string Type);

/// <summary>A function declared in the header.</summary>
internal sealed record CFunction(string Name, string ReturnType, IReadOnlyList<CNamed> Parameters);

/// <summary>A field of a struct; <see cref="Aligned"/> is set when the field carries <c>__attribute__((aligned))</c>.</summary>
internal sealed record CField(string Name, string Type, bool Aligned);

/// <summary>A struct declared in the header; <see cref="Fields"/> is null when the header only forward-declares it.</summary>
internal sealed record CRecord(string Id, string Name, IReadOnlyList<CField>? Fields);

/// <summary>A typedef declared in the header: to a struct (<see cref="RecordId"/>), to a function type (<see cref="Function"/>), or to another type.</summary>
internal sealed record CTypedef(string Name, string Type, string? RecordId, CFunctionType? Function);

/// <summary>A function type (not a pointer to one): return type and parameter types, as clang spells them.</summary>
internal sealed record CFunctionType(string ReturnType, IReadOnlyList<string> ParameterTypes);

/// <summary>
/// The declarations of one header, read from <c>clang -Xclang -ast-dump=json</c>. Only declarations whose
/// location is in the header itself are kept (not those of stdio.h, stdint.h ...).
/// </summary>
internal sealed class HeaderAst
{
    public List<CFunction> Functions { get; } = [];

    public List<CRecord> Records { get; } = [];

    public List<CTypedef> Typedefs { get; } = [];

    /// <summary>Runs clang on <paramref name="headerPath"/> and reads the declarations it finds there.</summary>
    public static HeaderAst Read(string clangPath, string workingDirectory, string headerPath, bool drafts)
    {
        var arguments = new List<string> { "-Xclang", "-ast-dump=json", "-fsyntax-only" };
        if (drafts)
        {
            arguments.Add("-DZMQ_BUILD_DRAFT_API");
        }

        arguments.AddRange(["-x", "c", headerPath]);
        string json = Clang.RunChecked(clangPath, workingDirectory, arguments);
        using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1024 });
        var ast = new HeaderAst();
        ast.Collect(document.RootElement, headerPath);
        return ast;
    }

    private void Collect(JsonElement translationUnit, string headerPath)
    {
        var tracker = new FileTracker();
        if (!translationUnit.TryGetProperty("inner", out JsonElement declarations))
        {
            throw new GeneratorException("clang's AST has no declarations");
        }

        foreach (JsonElement declaration in declarations.EnumerateArray())
        {
            // clang writes a location's "file" only when it differs from the previous location it
            // wrote, so the file of a declaration is known only by replaying every location before it.
            string? file = tracker.WalkDeclaration(declaration);
            if (file != headerPath)
            {
                continue;
            }

            string kind = declaration.GetProperty("kind").GetString()!;
            switch (kind)
            {
                case "FunctionDecl":
                    Functions.Add(ReadFunction(declaration));
                    break;
                case "RecordDecl":
                    AddRecord(ReadRecord(declaration));
                    break;
                case "TypedefDecl":
                    Typedefs.Add(ReadTypedef(declaration));
                    break;
                default:
                    break;
            }
        }
    }

    private void AddRecord(CRecord record)
    {
        int existing = Records.FindIndex(r => r.Name.Length > 0 && r.Name == record.Name);
        if (existing < 0)
        {
            Records.Add(record);
        }
        else if (Records[existing].Fields is null && record.Fields is not null)
        {
            // A forward declaration followed by the definition: keep the definition, in the place of the first.
            Records[existing] = record;
        }
    }

    private static CFunction ReadFunction(JsonElement declaration)
    {
        string name = declaration.GetProperty("name").GetString()!;
        string type = QualType(declaration);
        if (declaration.TryGetProperty("variadic", out JsonElement variadic) && variadic.GetBoolean())
        {
            throw new GeneratorException($"{name} is variadic: not supported by the generator");
        }

        var parameters = new List<CNamed>();
        if (declaration.TryGetProperty("inner", out JsonElement inner))
        {
            foreach (JsonElement child in inner.EnumerateArray())
            {
                if (child.GetProperty("kind").GetString() == "ParmVarDecl")
                {
                    string parameterName = child.TryGetProperty("name", out JsonElement n) ? n.GetString()! : string.Empty;
                    parameters.Add(new CNamed(parameterName, QualType(child)));
                }
            }
        }

        return new CFunction(name, ReturnTypeOf(type, name), parameters);
    }

    /// <summary>The return type of a function type spelled <c>RET (PARAMS)</c>: everything before the last top-level parenthesis.</summary>
    internal static string ReturnTypeOf(string functionType, string what)
    {
        string text = functionType.Trim();
        if (!text.EndsWith(')'))
        {
            throw new GeneratorException($"unexpected function type '{functionType}' for {what}");
        }

        int depth = 0;
        for (int i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] == ')')
            {
                depth++;
            }
            else if (text[i] == '(')
            {
                depth--;
                if (depth == 0)
                {
                    return text[..i].Trim();
                }
            }
        }

        throw new GeneratorException($"unbalanced function type '{functionType}' for {what}");
    }

    private static CRecord ReadRecord(JsonElement declaration)
    {
        string id = declaration.GetProperty("id").GetString()!;
        string name = declaration.TryGetProperty("name", out JsonElement n) ? n.GetString()! : string.Empty;
        string tag = declaration.GetProperty("tagUsed").GetString()!;
        if (tag != "struct")
        {
            throw new GeneratorException($"{tag} {name} is not supported: the generator only knows structs");
        }

        bool complete = declaration.TryGetProperty("completeDefinition", out JsonElement c) && c.GetBoolean();
        if (!complete)
        {
            return new CRecord(id, name, null);
        }

        var fields = new List<CField>();
        if (declaration.TryGetProperty("inner", out JsonElement inner))
        {
            foreach (JsonElement child in inner.EnumerateArray())
            {
                if (child.GetProperty("kind").GetString() != "FieldDecl")
                {
                    continue;
                }

                string fieldName = child.TryGetProperty("name", out JsonElement fn) ? fn.GetString()! : string.Empty;
                if (fieldName.Length == 0 || (child.TryGetProperty("isBitfield", out JsonElement bits) && bits.GetBoolean()))
                {
                    throw new GeneratorException($"struct {name}: unnamed or bit-field members are not supported");
                }

                bool aligned = child.TryGetProperty("inner", out JsonElement attributes)
                    && attributes.EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "AlignedAttr");
                fields.Add(new CField(fieldName, QualType(child), aligned));
            }
        }

        return new CRecord(id, name, fields);
    }

    private static CTypedef ReadTypedef(JsonElement declaration)
    {
        string name = declaration.GetProperty("name").GetString()!;
        string type = QualType(declaration);
        string? recordId = null;
        CFunctionType? function = null;
        if (declaration.TryGetProperty("inner", out JsonElement inner) && inner.GetArrayLength() > 0)
        {
            JsonElement underlying = inner[0];
            recordId = FindRecordReference(underlying);
            JsonElement? proto = FindFunctionProto(underlying);
            if (proto is JsonElement p)
            {
                var types = p.GetProperty("inner").EnumerateArray().Select(QualType).ToList();
                function = new CFunctionType(types[0], types.Skip(1).ToList());
            }
        }

        return new CTypedef(name, type, recordId, function);
    }

    /// <summary>The id of the struct a typedef names directly (through ElaboratedType/RecordType), not through a pointer.</summary>
    private static string? FindRecordReference(JsonElement type)
    {
        string kind = type.GetProperty("kind").GetString()!;
        if (kind == "RecordType")
        {
            return type.GetProperty("decl").GetProperty("id").GetString();
        }

        if (kind is "ElaboratedType" or "ParenType" or "QualType" && type.TryGetProperty("inner", out JsonElement inner))
        {
            foreach (JsonElement child in inner.EnumerateArray())
            {
                string? id = FindRecordReference(child);
                if (id is not null)
                {
                    return id;
                }
            }
        }

        return null;
    }

    private static JsonElement? FindFunctionProto(JsonElement type)
    {
        string kind = type.GetProperty("kind").GetString()!;
        if (kind == "FunctionProtoType")
        {
            return type;
        }

        if (kind is "ParenType" or "ElaboratedType" && type.TryGetProperty("inner", out JsonElement inner) && inner.GetArrayLength() > 0)
        {
            return FindFunctionProto(inner[0]);
        }

        return null;
    }

    private static string QualType(JsonElement node) => node.GetProperty("type").GetProperty("qualType").GetString()!;

    /// <summary>
    /// Replays clang's location output in document order. JSONNodeDumper writes <c>"file"</c> in a location
    /// object only when the file changed since the last location it wrote (including the spelling and
    /// expansion halves of macro locations, and range ends), so the current file is state carried across nodes.
    /// </summary>
    private sealed class FileTracker
    {
        private string? current;

        /// <summary>Walks a whole top-level declaration and returns the file its own <c>loc</c> is in.</summary>
        public string? WalkDeclaration(JsonElement declaration)
        {
            string? declarationFile = null;
            bool sawLoc = false;
            foreach (JsonProperty property in declaration.EnumerateObject())
            {
                Walk(property.Value);
                if (property.NameEquals("loc"))
                {
                    declarationFile = current;
                    sawLoc = true;
                }
            }

            return sawLoc ? declarationFile : null;
        }

        private void Walk(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    if (element.TryGetProperty("offset", out _) && element.TryGetProperty("file", out JsonElement file))
                    {
                        current = file.GetString();
                    }

                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        // "includedFrom" names the includer of a newly entered file; it is not a location of its own.
                        if (!property.NameEquals("includedFrom"))
                        {
                            Walk(property.Value);
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                default:
                    break;
            }
        }
    }
}
