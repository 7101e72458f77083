namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// The Guide's peering brokers name their endpoints after themselves: <c>ipc://NAME-state.ipc</c>,
/// <c>ipc://NAME-cloud.ipc</c>, ... in the current folder. <c>--ipc-dir</c> puts them in another
/// folder (tests use a temporary one).
/// </summary>
internal static class PeeringEndpoints
{
    /// <summary>The ipc endpoint <c>ipc://[DIR/]NAME-KIND.ipc</c>.</summary>
    public static string For(string? directory, string name, string kind)
    {
        string file = $"{name}-{kind}.ipc";
        return "ipc://" + (string.IsNullOrEmpty(directory) ? file : Path.Combine(directory, file));
    }
}
