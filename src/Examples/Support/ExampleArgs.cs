namespace ZmqNative.Examples.Support;

/// <summary>Thrown for arguments an example does not understand; `zguide` prints it with the usage and exits 2.</summary>
internal sealed class ExampleUsageException(string message) : Exception(message);

/// <summary>
/// The arguments of one example: `--name value` options, `--flag` switches and positional words.
/// Every option has the Guide's value as its default, so `zguide NAME` alone behaves like the
/// Guide's example; tests pass endpoints on free ports and small counts.
/// </summary>
internal sealed class ExampleArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private ExampleArgs(List<string> positional) => Positional = positional;

    /// <summary>Words that are not options, in order.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>Splits <paramref name="args"/> into options (<c>--name value</c> or <c>--name=value</c>), switches and words.</summary>
    /// <param name="args">The arguments after the example's name.</param>
    /// <param name="switches">Option names that take no value.</param>
    public static ExampleArgs Parse(string[] args, params string[] switches)
    {
        var positional = new List<string>();
        var parsed = new ExampleArgs(positional);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positional.Add(arg);
                continue;
            }

            string name = arg[2..];
            string? value = null;
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (!switches.Contains(name))
            {
                if (i + 1 >= args.Length)
                {
                    throw new ExampleUsageException($"--{name} needs a value");
                }

                value = args[++i];
            }

            parsed._options[name] = value;
        }

        return parsed;
    }

    /// <summary>A text option, or its default.</summary>
    public string Text(string name, string defaultValue)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var value) && value is not null ? value : defaultValue;
    }

    /// <summary>A whole-number option, or its default.</summary>
    public int Int(string name, int defaultValue)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value) || value is null)
        {
            return defaultValue;
        }

        return int.TryParse(value, out int parsed) ? parsed : throw new ExampleUsageException($"--{name} takes a whole number, not '{value}'");
    }

    /// <summary>Whether a switch was given.</summary>
    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    /// <summary>Fails on options the example never asked for (call after reading them all).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ExampleUsageException("unknown option" + (unknown.Count > 1 ? "s" : string.Empty) + ": " + string.Join(", ", unknown.Select(u => "--" + u)));
        }
    }
}
