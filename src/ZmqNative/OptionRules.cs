using System.Runtime.InteropServices;

namespace ZmqNative;

/// <summary>
/// The one table of option values libzmq accepts, checked in the safe layer before libzmq sees a
/// value, so a value out of range is an <see cref="ArgumentOutOfRangeException"/> naming the
/// option rather than a <see cref="ZmqException"/> EINVAL (or, where libzmq checks nothing, a
/// value silently taken). The ranges are zmq_setsockopt(3) and zmq_ctx_set(3) of libzmq 4.3.4, and
/// where the page gives none, what options.cpp/ctx.cpp of that release accept. The rows live in the
/// option table, native/generator/options.json, beside each option's typed property; the generator
/// writes them into OptionRules.g.cs (./build.sh --target=Generate). This part holds the checks.
/// </summary>
internal static partial class OptionRules
{
    /// <summary>How a value is passed: an int, a 64-bit integer, or bytes (the limits are then a length).</summary>
    internal enum ValueKind
    {
        /// <summary>A C int.</summary>
        Int32,

        /// <summary>An int64_t.</summary>
        Int64,

        /// <summary>A byte string: Min and Max bound its length.</summary>
        Bytes,
    }

    /// <summary>One option's rule: values from <paramref name="Min"/> to <paramref name="Max"/>, and also <paramref name="Extra"/> when set.</summary>
    /// <param name="Option">The ZMQ_* number.</param>
    /// <param name="Name">The ZMQ_* name.</param>
    /// <param name="Kind">How the value is passed.</param>
    /// <param name="Min">The smallest value (or length).</param>
    /// <param name="Max">The largest value (or length).</param>
    /// <param name="Extra">One more allowed value outside the range (-1 for "the OS default"), or null.</param>
    /// <param name="Meaning">What the allowed values mean, for the exception message.</param>
    internal readonly record struct Rule(int Option, string Name, ValueKind Kind, long Min, long Max, long? Extra, string Meaning)
    {
        /// <summary>Whether <paramref name="value"/> is allowed.</summary>
        public bool Allows(long value) => (value >= Min && value <= Max) || value == Extra;
    }

    /// <summary>Socket options (zmq_setsockopt(3)): the rows of native/generator/options.json (OptionRules.g.cs).</summary>
    internal static readonly Rule[] Socket = SocketTable();

    /// <summary>Context options (zmq_ctx_set(3)); all are ints: the context rows of the same table.</summary>
    internal static readonly Rule[] Context = ContextTable();

    private static readonly Dictionary<int, Rule> SocketByOption = Socket.ToDictionary(r => r.Option);
    private static readonly Dictionary<int, Rule> ContextByOption = Context.ToDictionary(r => r.Option);

    /// <summary>Checks a socket option's value as zmq_setsockopt will get it; values of another size than the rule's are left to libzmq.</summary>
    /// <param name="option">The ZMQ_* number.</param>
    /// <param name="value">The value's bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the option's range.</exception>
    /// <exception cref="ArgumentException">A byte string's length is outside the option's range.</exception>
    internal static void CheckSocket(int option, ReadOnlySpan<byte> value)
    {
        if (!SocketByOption.TryGetValue(option, out var rule))
        {
            return;
        }

        switch (rule.Kind)
        {
            case ValueKind.Int32 when value.Length == sizeof(int):
                Check(rule, MemoryMarshal.Read<int>(value));
                break;
            case ValueKind.Int64 when value.Length == sizeof(long):
                Check(rule, MemoryMarshal.Read<long>(value));
                break;
            case ValueKind.Bytes when !rule.Allows(value.Length):
                throw new ArgumentException($"{rule.Name} takes {rule.Meaning}; this value has {value.Length} bytes", "value");
        }
    }

    /// <summary>Checks a context option's value (zmq_ctx_set).</summary>
    /// <param name="option">The ZMQ_* number.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the option's range.</exception>
    internal static void CheckContext(int option, int value)
    {
        if (ContextByOption.TryGetValue(option, out var rule))
        {
            Check(rule, value);
        }
    }

    private static void Check(Rule rule, long value)
    {
        if (!rule.Allows(value))
        {
            throw new ArgumentOutOfRangeException("value", value, $"{rule.Name} takes {rule.Meaning}");
        }
    }
}
