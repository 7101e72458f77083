using System.Text;

namespace ZmqNative;

/// <summary>
/// One property of a ZPL document (ZeroMQ Property Language, RFC 4/ZPL): a name, an optional
/// value and child properties. CURVE certificate files are ZPL (czmq's zcert(3) format).
/// </summary>
internal sealed class ZplNode
{
    public ZplNode(string name, string? value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public string? Value { get; }

    public List<ZplNode> Children { get; } = [];

    /// <summary>The first child with this name, or null.</summary>
    public ZplNode? Child(string name) => Children.Find(c => string.Equals(c.Name, name, StringComparison.Ordinal));
}

/// <summary>Reads and writes ZPL (RFC 4/ZPL): 4-space indentation for hierarchy, <c>name = value</c>, <c>#</c> comments.</summary>
internal static class Zpl
{
    /// <summary>Whether <paramref name="c"/> may appear in a property name (RFC 4: ALPHA, DIGIT and <c>$-_@.&amp;+/</c>).</summary>
    public static bool IsNameChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '$' or '-' or '_' or '@' or '.' or '&' or '+' or '/';

    /// <summary>
    /// Parses ZPL text into a tree under an unnamed root. Every line ending of RFC 4 is accepted;
    /// an indentation that is not a multiple of 4 spaces, or that skips a level, or junk after a
    /// value, is an <see cref="InvalidDataException"/> naming the line (the whole text is
    /// rejected, as czmq's zconfig does).
    /// </summary>
    public static ZplNode Parse(string text)
    {
        var root = new ZplNode(string.Empty, null);
        // path[level] is the last property read at that level: the parent of the next level down.
        var path = new List<ZplNode> { root };
        int lineNumber = 0;
        foreach (var rawLine in SplitLines(text))
        {
            lineNumber++;
            string line = rawLine.TrimEnd();
            int indent = 0;
            while (indent < line.Length && line[indent] == ' ')
            {
                indent++;
            }

            if (indent == line.Length || line[indent] == '#')
            {
                continue; // blank line or whole-line comment
            }

            if (indent % 4 != 0)
            {
                throw Error(lineNumber, "indent by 4 spaces per level");
            }

            int level = indent / 4;
            if (level > path.Count - 1)
            {
                throw Error(lineNumber, "indented deeper than its parent allows");
            }

            int position = indent;
            while (position < line.Length && IsNameChar(line[position]))
            {
                position++;
            }

            string name = line[indent..position];
            if (name.Length == 0)
            {
                throw Error(lineNumber, $"'{line[indent]}' cannot start a property name");
            }

            if (name[0] == '/' || name[^1] == '/')
            {
                throw Error(lineNumber, "'/' is not valid at the start or end of a name");
            }

            string value = ParseValue(line, position, lineNumber);
            var node = new ZplNode(name, value);
            path[level].Children.Add(node);
            path.RemoveRange(level + 1, path.Count - level - 1);
            path.Add(node);
        }

        return root;
    }

    /// <summary>A value written so that <see cref="Parse"/> reads it back unchanged: quoted, with whichever quote it does not contain.</summary>
    public static string Quote(string value)
    {
        // RFC 4 has no escapes: a value is quoted with a quote character it does not contain.
        return value.Contains('"', StringComparison.Ordinal) ? "'" + value + "'" : "\"" + value + "\"";
    }

    /// <summary>Whether <paramref name="value"/> can be written as a ZPL value (one line, not both quote characters).</summary>
    public static bool CanQuote(string value, out string reason)
    {
        if (value.Contains('"', StringComparison.Ordinal) && value.Contains('\'', StringComparison.Ordinal))
        {
            reason = "ZPL cannot write a value that contains both ' and \" (it has no escapes)";
            return false;
        }

        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            reason = "a ZPL value is one line";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    /// <summary>Appends <c>name = "value"</c> at the given level.</summary>
    public static void AppendProperty(StringBuilder text, int level, string name, string value) =>
        text.Append(' ', level * 4).Append(name).Append(" = ").Append(Quote(value)).Append('\n');

    /// <summary>Appends a section name (a property without a value) at the given level.</summary>
    public static void AppendSection(StringBuilder text, int level, string name) =>
        text.Append(' ', level * 4).Append(name).Append('\n');

    private static string ParseValue(string line, int position, int lineNumber)
    {
        while (position < line.Length && char.IsWhiteSpace(line[position]))
        {
            position++;
        }

        if (position == line.Length || line[position] == '#')
        {
            return string.Empty; // a name alone: a section, or an empty property
        }

        if (line[position] != '=')
        {
            throw Error(lineNumber, $"expected '=' after the name, found '{line[position]}'");
        }

        position++;
        while (position < line.Length && char.IsWhiteSpace(line[position]))
        {
            position++;
        }

        if (position < line.Length && line[position] is '"' or '\'')
        {
            int close = line.IndexOf(line[position], position + 1);
            if (close > 0)
            {
                int rest = close + 1;
                while (rest < line.Length && char.IsWhiteSpace(line[rest]))
                {
                    rest++;
                }

                if (rest < line.Length && line[rest] != '#')
                {
                    throw Error(lineNumber, "only a comment may follow a quoted value");
                }

                return line[(position + 1)..close];
            }

            // RFC 4: a value that starts with a quote and has no matching one is unquoted.
        }

        int comment = line.IndexOf('#', position);
        return (comment < 0 ? line[position..] : line[position..comment]).TrimEnd();
    }

    private static IEnumerable<string> SplitLines(string text)
    {
        // RFC 4: "\n", "\r" and "\r\n" all end a line.
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is '\n' or '\r')
            {
                yield return text[start..i];
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static InvalidDataException Error(int line, string what) => new($"ZPL line {line}: {what}");
}
