using System.Reflection;
using System.Text;
using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// Facts about the loaded libzmq and this binding: versions and capabilities
/// (<c>zmq_version</c>, <c>zmq_has</c>; see the zmq_version(3) and zmq_has(3) man pages).
/// </summary>
public static class Zmq
{
    /// <summary>
    /// The capability names libzmq's <c>zmq_has</c> knows: transports (ipc, pgm, tipc, norm,
    /// vmci, ws, wss), security mechanisms (curve, gssapi) and the draft API (draft).
    /// </summary>
    public static IReadOnlyList<string> KnownCapabilities { get; } =
        ["ipc", "pgm", "tipc", "norm", "vmci", "ws", "wss", "curve", "gssapi", "draft"];

    /// <summary>The version of the loaded libzmq, from <c>zmq_version</c>.</summary>
    public static unsafe Version LibraryVersion
    {
        get
        {
            int major, minor, patch;
            LibZmq.zmq_version(&major, &minor, &patch);
            return new Version(major, minor, patch);
        }
    }

    /// <summary>The version of this binding (the ZmqNative assembly's informational version).</summary>
    public static string BindingVersion { get; } =
        typeof(Zmq).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Zmq).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>
    /// Whether the loaded libzmq has a capability (<c>zmq_has</c>): a transport such as
    /// <c>"ipc"</c>, a mechanism such as <c>"curve"</c>, or <c>"draft"</c> for the draft API.
    /// </summary>
    /// <param name="capability">A name from <see cref="KnownCapabilities"/>; unknown names give false.</param>
    /// <remarks>
    /// libzmq 4.3.4 spells the WebSocket capabilities in capitals ("WS", "WSS") where later
    /// releases use lower case; either spelling works here.
    /// </remarks>
    /// <exception cref="ArgumentException">The name contains a NUL character.</exception>
    public static bool Has(string capability)
    {
        if (HasExactly(capability))
        {
            return true;
        }

        return capability.Equals("ws", StringComparison.OrdinalIgnoreCase) || capability.Equals("wss", StringComparison.OrdinalIgnoreCase)
            ? HasExactly(capability.ToUpperInvariant()) || HasExactly(capability.ToLowerInvariant())
            : false;
    }

    private static unsafe bool HasExactly(string capability)
    {
        using var utf8 = new Utf8Z(capability, nameof(capability)); // zmq_has reads a C string
        fixed (byte* p = utf8.Bytes)
        {
            return LibZmq.zmq_has(p) != 0;
        }
    }
}
