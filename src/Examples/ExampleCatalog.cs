using System.Reflection;

namespace ZmqNative.Examples;

/// <summary>
/// Marks a static class as one `zguide` subcommand: a port of one example from the ZeroMQ Guide.
/// The class has <c>public static int Run(string[] args)</c>; the catalog finds it by this attribute,
/// so adding an example touches only its own file.
/// </summary>
/// <param name="name">The Guide's name for the example (the subcommand).</param>
/// <param name="chapter">The Guide chapter it comes from (0 for ZmqNative's own demos and patterns).</param>
/// <param name="summary">One line on what it shows.</param>
/// <param name="usage">Its arguments, as `zguide NAME --help` prints them.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ExampleAttribute(string name, int chapter, string summary, string usage) : Attribute
{
    public string Name { get; } = name;

    public int Chapter { get; } = chapter;

    public string Summary { get; } = summary;

    public string Usage { get; } = usage;
}

/// <summary>One `zguide` subcommand.</summary>
internal sealed record Example(string Name, int Chapter, string Summary, string Usage, Func<string[], int> Run);

/// <summary>Every example `zguide` knows, by chapter and name.</summary>
internal static class ExampleCatalog
{
    public static IReadOnlyList<Example> All { get; } = Discover();

    public static Example? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    private static List<Example> Discover()
    {
        var examples = new List<Example>();
        foreach (var type in typeof(ExampleCatalog).Assembly.GetTypes())
        {
            var attribute = type.GetCustomAttribute<ExampleAttribute>();
            if (attribute is null)
            {
                continue;
            }

            var run = type.GetMethod("Run", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(string[])])
                ?? throw new InvalidOperationException($"{type.Name} is an [Example] without a static int Run(string[] args)");
            examples.Add(new Example(attribute.Name, attribute.Chapter, attribute.Summary, attribute.Usage, run.CreateDelegate<Func<string[], int>>()));
        }

        var duplicate = examples.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two examples are named '{duplicate.Key}'");
        }

        return [.. examples.OrderBy(e => e.Chapter).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }
}
