using System.Text;
using ZmqNative.Generator;

// dotnet run --project native/generator -- --header <zmq.h> --output <LibZmq.g.cs> [--clang <path>] [--check]
// dotnet run --project native/generator -- --options <options.json> --root <repository> [--check]
const string Usage = "usage: ZmqNative.Generator --header <zmq.h> --output <LibZmq.g.cs> [--clang <path>] [--check]\n"
    + "       ZmqNative.Generator --options <options.json> --root <repository> [--check]   (no clang needed)";

string? header = null;
string? output = null;
string? clang = null;
string? options = null;
string? root = null;
bool check = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--header" when i + 1 < args.Length:
            header = args[++i];
            break;
        case "--output" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--clang" when i + 1 < args.Length:
            clang = args[++i];
            break;
        case "--options" when i + 1 < args.Length:
            options = args[++i];
            break;
        case "--root" when i + 1 < args.Length:
            root = args[++i];
            break;
        case "--check":
            check = true;
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"unexpected argument '{args[i]}'");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

if (options is not null)
{
    return OptionsCommand.Run(options, root ?? ".", check);
}

if (header is null || output is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

clang ??= LibZmqGenerator.FindClang();
if (clang is null)
{
    Console.Error.WriteLine(
        $"no clang found on PATH (looked for {string.Join(", ", Clang.CandidateNames)}): install it (Debian: apt-get install clang) or pass --clang <path>");
    return 2;
}

GenerationResult result;
try
{
    result = LibZmqGenerator.Run(header, clang);
}
catch (GeneratorException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

string summary = $"{result.Functions} functions ({result.DraftFunctions} draft), {result.WindowsForms} Windows forms, "
    + $"{result.Constants} constants ({result.DraftConstants} draft), {result.Structs} structs";
string? existing = File.Exists(output) ? File.ReadAllText(output) : null;
if (check)
{
    if (existing != result.Text)
    {
        Console.Error.WriteLine(
            $"{output} is {(existing is null ? "missing" : "out of date")}: it differs from what {header} generates. Regenerate it with {LibZmqGenerator.RegenerateCommand}.");
        return 1;
    }

    Console.WriteLine($"{output} is up to date ({summary}).");
    return 0;
}

if (existing == result.Text)
{
    Console.WriteLine($"{output} unchanged ({summary}).");
    return 0;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, result.Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
Console.WriteLine($"wrote {output} ({summary}).");
return 0;
