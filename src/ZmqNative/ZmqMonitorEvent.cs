using System.Globalization;
using System.Text;
using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// One event a <see cref="ZmqMonitor"/> received: what happened (<see cref="Kind"/>), the value
/// libzmq attached to it, and the endpoint it concerns (zmq_socket_monitor(3)).
/// </summary>
/// <remarks>
/// The meaning of <see cref="Value"/> depends on <see cref="Kind"/>; the typed properties
/// (<see cref="FileDescriptor"/>, <see cref="Error"/>, <see cref="ReconnectInterval"/>,
/// <see cref="ProtocolError"/>, <see cref="AuthStatusCode"/>) read it for the kinds it has that
/// meaning for and are null for the others.
/// </remarks>
public sealed class ZmqMonitorEvent
{
    private const ZmqMonitorEvents FileDescriptorKinds =
        ZmqMonitorEvents.Connected | ZmqMonitorEvents.Listening | ZmqMonitorEvents.Accepted |
        ZmqMonitorEvents.Closed | ZmqMonitorEvents.Disconnected;

    private const ZmqMonitorEvents ErrnoKinds =
        ZmqMonitorEvents.BindFailed | ZmqMonitorEvents.AcceptFailed | ZmqMonitorEvents.CloseFailed |
        ZmqMonitorEvents.HandshakeFailedNoDetail;

    private readonly ulong[] _values;

    /// <summary>Creates an event, e.g. to test code that consumes monitor events.</summary>
    /// <param name="kind">Exactly one event kind.</param>
    /// <param name="values">The event's values (version 1 events have exactly one).</param>
    /// <param name="endpoint">The endpoint the event concerns.</param>
    /// <param name="localEndpoint">The local endpoint (event version 2 only), or null.</param>
    /// <param name="remoteEndpoint">The remote endpoint (event version 2 only), or null.</param>
    public ZmqMonitorEvent(ZmqMonitorEvents kind, IEnumerable<ulong> values, string endpoint, string? localEndpoint = null, string? remoteEndpoint = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(endpoint);
        Kind = kind;
        _values = values.ToArray();
        Endpoint = endpoint;
        LocalEndpoint = localEndpoint;
        RemoteEndpoint = remoteEndpoint;
    }

    /// <summary>What happened: exactly one <see cref="ZmqMonitorEvents"/> value.</summary>
    public ZmqMonitorEvents Kind { get; }

    /// <summary>
    /// The event's (first) value as libzmq sent it: a file descriptor, an errno, a reconnect
    /// interval, a protocol error or a ZAP status code, depending on <see cref="Kind"/>;
    /// 0 when the event has no value.
    /// </summary>
    public ulong Value => _values.Length > 0 ? _values[0] : 0;

    /// <summary>All values of the event: one for every version 1 event, two for <see cref="ZmqMonitorEvents.PipesStats"/>.</summary>
    public IReadOnlyList<ulong> Values => _values;

    /// <summary>
    /// The endpoint the event concerns. With event version 1 (every kind but
    /// <see cref="ZmqMonitorEvents.PipesStats"/>) this is libzmq's choice: the local endpoint of a
    /// bound connection or listener, the remote endpoint of a connected one. With version 2 it is
    /// <see cref="RemoteEndpoint"/> when that is not empty, else <see cref="LocalEndpoint"/>.
    /// </summary>
    public string Endpoint { get; }

    /// <summary>The local endpoint of the connection; reported with event version 2 only (null otherwise).</summary>
    public string? LocalEndpoint { get; }

    /// <summary>The remote endpoint of the connection; reported with event version 2 only (null otherwise).</summary>
    public string? RemoteEndpoint { get; }

    /// <summary>
    /// The file descriptor of the network socket, for <see cref="ZmqMonitorEvents.Connected"/>,
    /// <see cref="ZmqMonitorEvents.Listening"/>, <see cref="ZmqMonitorEvents.Accepted"/>,
    /// <see cref="ZmqMonitorEvents.Closed"/> and <see cref="ZmqMonitorEvents.Disconnected"/>; null otherwise.
    /// It may already be closed when the event is read: use it to identify a connection, not to do I/O.
    /// </summary>
    public nint? FileDescriptor => (Kind & FileDescriptorKinds) != 0 && IsSingleKind ? (nint)(long)Value : null;

    /// <summary>
    /// The error, for <see cref="ZmqMonitorEvents.BindFailed"/>, <see cref="ZmqMonitorEvents.AcceptFailed"/>,
    /// <see cref="ZmqMonitorEvents.CloseFailed"/> and <see cref="ZmqMonitorEvents.HandshakeFailedNoDetail"/>
    /// (the errno in <see cref="Value"/>, mapped for this platform); null otherwise.
    /// </summary>
    public ZmqErrorCode? Error => (Kind & ErrnoKinds) != 0 && IsSingleKind ? Errno.ToCode(unchecked((int)Value)) : null;

    /// <summary>How long libzmq waits before the retry (the reconnect interval plus a random jitter), for <see cref="ZmqMonitorEvents.ConnectRetried"/>; null otherwise.</summary>
    public TimeSpan? ReconnectInterval => Kind == ZmqMonitorEvents.ConnectRetried ? TimeSpan.FromMilliseconds(Value) : null;

    /// <summary>What went wrong, for <see cref="ZmqMonitorEvents.HandshakeFailedProtocol"/>; null otherwise.</summary>
    public ZmqProtocolError? ProtocolError => Kind == ZmqMonitorEvents.HandshakeFailedProtocol ? (ZmqProtocolError)unchecked((int)Value) : null;

    /// <summary>The ZAP handler's status code (300, 400 or 500), for <see cref="ZmqMonitorEvents.HandshakeFailedAuth"/>; null otherwise.</summary>
    public int? AuthStatusCode => Kind == ZmqMonitorEvents.HandshakeFailedAuth ? unchecked((int)Value) : null;

    /// <summary>Messages queued towards the peer, for <see cref="ZmqMonitorEvents.PipesStats"/>; null otherwise.</summary>
    public ulong? OutboundQueueCount => Kind == ZmqMonitorEvents.PipesStats && _values.Length >= 2 ? _values[0] : null;

    /// <summary>Messages queued from the peer and not yet received, for <see cref="ZmqMonitorEvents.PipesStats"/>; null otherwise.</summary>
    public ulong? InboundQueueCount => Kind == ZmqMonitorEvents.PipesStats && _values.Length >= 2 ? _values[1] : null;

    private bool IsSingleKind => Kind != 0 && (Kind & (Kind - 1)) == 0;

    /// <summary>The kind, the endpoint and the typed value, e.g. <c>Accepted tcp://127.0.0.1:5555 fd=12</c>.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Kind).Append(' ').Append(Endpoint.Length == 0 ? "(no endpoint)" : Endpoint);
        if (FileDescriptor is { } fd)
        {
            text.Append(" fd=").Append(fd.ToString(CultureInfo.InvariantCulture));
        }
        else if (Error is { } error)
        {
            text.Append(" error=").Append(error == ZmqErrorCode.Unknown ? "errno " + Value.ToString(CultureInfo.InvariantCulture) : error.ToString());
        }
        else if (ReconnectInterval is { } interval)
        {
            text.Append(" interval=").Append(interval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)).Append("ms");
        }
        else if (ProtocolError is { } protocol)
        {
            text.Append(" protocol-error=").Append(Enum.IsDefined(protocol) ? protocol.ToString() : "0x" + Value.ToString("x", CultureInfo.InvariantCulture));
        }
        else if (AuthStatusCode is { } status)
        {
            text.Append(" status=").Append(status.ToString(CultureInfo.InvariantCulture));
        }
        else if (OutboundQueueCount is { } outbound)
        {
            text.Append(" outbound=").Append(outbound.ToString(CultureInfo.InvariantCulture))
                .Append(" inbound=").Append(InboundQueueCount!.Value.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}

/// <summary>
/// Why a ZMTP handshake failed, as a <see cref="ZmqMonitorEvents.HandshakeFailedProtocol"/> event
/// reports it (the ZMQ_PROTOCOL_ERROR_* values of zmq.h; zmq_socket_monitor(3)).
/// </summary>
public enum ZmqProtocolError
{
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED.</summary>
    ZmtpUnspecified = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND: the peer sent a command the mechanism did not expect.</summary>
    ZmtpUnexpectedCommand = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE: a CURVE nonce was out of sequence.</summary>
    ZmtpInvalidSequence = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE: the CURVE key exchange failed.</summary>
    ZmtpKeyExchange = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED.</summary>
    ZmtpMalformedCommandUnspecified = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE: a malformed MESSAGE command.</summary>
    ZmtpMalformedCommandMessage = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO: a malformed HELLO command.</summary>
    ZmtpMalformedCommandHello = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE: a malformed INITIATE command.</summary>
    ZmtpMalformedCommandInitiate = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR: a malformed ERROR command.</summary>
    ZmtpMalformedCommandError = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY: a malformed READY command.</summary>
    ZmtpMalformedCommandReady = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME: a malformed WELCOME command.</summary>
    ZmtpMalformedCommandWelcome = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA: invalid metadata in a handshake command.</summary>
    ZmtpInvalidMetadata = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: a CURVE box could not be opened (e.g. the client has the wrong server key).</summary>
    ZmtpCryptographic = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH: the peers use different security mechanisms.</summary>
    ZmtpMechanismMismatch = LibZmq.ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED.</summary>
    ZapUnspecified = LibZmq.ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY: the ZAP handler's reply was malformed.</summary>
    ZapMalformedReply = LibZmq.ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID: the ZAP reply's request id did not match.</summary>
    ZapBadRequestId = LibZmq.ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION: the ZAP reply's version was not 1.0.</summary>
    ZapBadVersion = LibZmq.ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE: the ZAP reply's status code was not 200, 300, 400 or 500.</summary>
    ZapInvalidStatusCode = LibZmq.ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE,

    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA: the ZAP reply's metadata was malformed.</summary>
    ZapInvalidMetadata = LibZmq.ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA,

    /// <summary>ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED: a WebSocket handshake error.</summary>
    WsUnspecified = LibZmq.ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED,
}
