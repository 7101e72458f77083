using System.Text;

namespace ZmqNative.Generator;

/// <summary>The <c>--options</c> mode of the generator: writes (or with <c>--check</c>, compares) the files generated from the option table.</summary>
internal static class OptionsCommand
{
    /// <summary>Generates from <paramref name="table"/> into the repository at <paramref name="root"/>; returns the exit code.</summary>
    public static int Run(string table, string root, bool check)
    {
        OptionsResult result;
        try
        {
            result = OptionsGenerator.Generate(table);
        }
        catch (GeneratorException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        int exit = 0;
        foreach ((string relative, string text) in new[] { (OptionsGenerator.PropertiesPath, result.Properties), (OptionsGenerator.RulesPath, result.Rules) })
        {
            string path = Path.Combine(root, relative);
            string? existing = File.Exists(path) ? File.ReadAllText(path) : null;
            if (existing == text)
            {
                Console.WriteLine($"{relative} {(check ? "is up to date" : "unchanged")}.");
            }
            else if (check)
            {
                Console.Error.WriteLine($"{relative} is {(existing is null ? "missing" : "out of date")}: it differs from what {table} generates. Regenerate it with {LibZmqGenerator.RegenerateCommand}.");
                exit = 1;
            }
            else
            {
                File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                Console.WriteLine($"wrote {relative}.");
            }
        }

        return exit;
    }
}
