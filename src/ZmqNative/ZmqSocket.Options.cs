using ZmqNative.Interop;

namespace ZmqNative;

// Typed properties for every socket option in zmq.h (zmq_setsockopt(3), zmq_getsockopt(3)).
// Times are TimeSpan (whole milliseconds; Timeout.InfiniteTimeSpan for libzmq's -1), flags are
// bool, identities and keys are bytes, endpoints and names are UTF-8 strings. Write-only
// properties are the options libzmq itself does not let you read. Options without a property:
// GetOption/SetOption by number. Draft options need a libzmq with the draft API.
public sealed partial class ZmqSocket
{
    /// <summary>Gets or sets the I/O thread affinity bitmask for new connections (ZMQ_AFFINITY).</summary>
    public ulong Affinity
    {
        get => GetUInt64(LibZmq.ZMQ_AFFINITY, nameof(LibZmq.ZMQ_AFFINITY));
        set => SetUInt64(LibZmq.ZMQ_AFFINITY, nameof(LibZmq.ZMQ_AFFINITY), value);
    }

    /// <summary>Gets or sets the socket's routing id (identity) that ROUTER peers see, 1 to 255 bytes, not starting with 0 (ZMQ_ROUTING_ID).</summary>
    public byte[] RoutingId
    {
        get => GetBytes(LibZmq.ZMQ_ROUTING_ID, nameof(LibZmq.ZMQ_ROUTING_ID));
        set => SetBytes(LibZmq.ZMQ_ROUTING_ID, nameof(LibZmq.ZMQ_ROUTING_ID), value);
    }

    /// <summary>Gets or sets the multicast data rate in kilobits per second (ZMQ_RATE).</summary>
    public int Rate
    {
        get => GetInt32(LibZmq.ZMQ_RATE, nameof(LibZmq.ZMQ_RATE));
        set => SetInt32(LibZmq.ZMQ_RATE, nameof(LibZmq.ZMQ_RATE), value);
    }

    /// <summary>Gets or sets the multicast recovery interval (ZMQ_RECOVERY_IVL).</summary>
    public TimeSpan RecoveryInterval
    {
        get => GetMilliseconds(LibZmq.ZMQ_RECOVERY_IVL, nameof(LibZmq.ZMQ_RECOVERY_IVL));
        set => SetMilliseconds(LibZmq.ZMQ_RECOVERY_IVL, nameof(LibZmq.ZMQ_RECOVERY_IVL), value);
    }

    /// <summary>Gets or sets the kernel transmit buffer size in bytes (-1: the OS default) (ZMQ_SNDBUF).</summary>
    public int SendBuffer
    {
        get => GetInt32(LibZmq.ZMQ_SNDBUF, nameof(LibZmq.ZMQ_SNDBUF));
        set => SetInt32(LibZmq.ZMQ_SNDBUF, nameof(LibZmq.ZMQ_SNDBUF), value);
    }

    /// <summary>Gets or sets the kernel receive buffer size in bytes (-1: the OS default) (ZMQ_RCVBUF).</summary>
    public int ReceiveBuffer
    {
        get => GetInt32(LibZmq.ZMQ_RCVBUF, nameof(LibZmq.ZMQ_RCVBUF));
        set => SetInt32(LibZmq.ZMQ_RCVBUF, nameof(LibZmq.ZMQ_RCVBUF), value);
    }

    /// <summary>Gets whether the last frame received is followed by more frames of the same message (ZMQ_RCVMORE).</summary>
    public bool ReceiveMore
    {
        get => GetBoolean(LibZmq.ZMQ_RCVMORE, nameof(LibZmq.ZMQ_RCVMORE));
    }

    /// <summary>Gets whether a message can be received (In) or sent (Out) now without blocking (ZMQ_EVENTS).</summary>
    public ZmqPollEvents Events
    {
        get => GetEvents(LibZmq.ZMQ_EVENTS, nameof(LibZmq.ZMQ_EVENTS));
    }

    /// <summary>Gets or sets how long closing the socket keeps queued outgoing messages (infinite: until sent) (ZMQ_LINGER).</summary>
    public TimeSpan Linger
    {
        get => GetMilliseconds(LibZmq.ZMQ_LINGER, nameof(LibZmq.ZMQ_LINGER));
        set => SetMilliseconds(LibZmq.ZMQ_LINGER, nameof(LibZmq.ZMQ_LINGER), value);
    }

    /// <summary>Gets or sets the first wait before reconnecting a dropped connection (infinite: no reconnection) (ZMQ_RECONNECT_IVL).</summary>
    public TimeSpan ReconnectInterval
    {
        get => GetMilliseconds(LibZmq.ZMQ_RECONNECT_IVL, nameof(LibZmq.ZMQ_RECONNECT_IVL));
        set => SetMilliseconds(LibZmq.ZMQ_RECONNECT_IVL, nameof(LibZmq.ZMQ_RECONNECT_IVL), value);
    }

    /// <summary>Gets or sets the listen backlog of bound tcp/ipc endpoints (ZMQ_BACKLOG).</summary>
    public int Backlog
    {
        get => GetInt32(LibZmq.ZMQ_BACKLOG, nameof(LibZmq.ZMQ_BACKLOG));
        set => SetInt32(LibZmq.ZMQ_BACKLOG, nameof(LibZmq.ZMQ_BACKLOG), value);
    }

    /// <summary>Gets or sets the longest reconnection wait, doubling from ReconnectInterval (zero: no doubling) (ZMQ_RECONNECT_IVL_MAX).</summary>
    public TimeSpan ReconnectIntervalMax
    {
        get => GetMilliseconds(LibZmq.ZMQ_RECONNECT_IVL_MAX, nameof(LibZmq.ZMQ_RECONNECT_IVL_MAX));
        set => SetMilliseconds(LibZmq.ZMQ_RECONNECT_IVL_MAX, nameof(LibZmq.ZMQ_RECONNECT_IVL_MAX), value);
    }

    /// <summary>Gets or sets the largest inbound message accepted, in bytes; a peer sending a larger one is disconnected (-1: no limit) (ZMQ_MAXMSGSIZE).</summary>
    public long MaxMessageSize
    {
        get => GetInt64(LibZmq.ZMQ_MAXMSGSIZE, nameof(LibZmq.ZMQ_MAXMSGSIZE));
        set => SetInt64(LibZmq.ZMQ_MAXMSGSIZE, nameof(LibZmq.ZMQ_MAXMSGSIZE), value);
    }

    /// <summary>Gets or sets the most outbound messages queued per peer (0: no limit) (ZMQ_SNDHWM).</summary>
    public int SendHighWatermark
    {
        get => GetInt32(LibZmq.ZMQ_SNDHWM, nameof(LibZmq.ZMQ_SNDHWM));
        set => SetHighWatermark(LibZmq.ZMQ_SNDHWM, nameof(LibZmq.ZMQ_SNDHWM), value);
    }

    /// <summary>Gets or sets the most inbound messages queued per peer (0: no limit) (ZMQ_RCVHWM).</summary>
    public int ReceiveHighWatermark
    {
        get => GetInt32(LibZmq.ZMQ_RCVHWM, nameof(LibZmq.ZMQ_RCVHWM));
        set => SetHighWatermark(LibZmq.ZMQ_RCVHWM, nameof(LibZmq.ZMQ_RCVHWM), value);
    }

    /// <summary>Gets or sets the time-to-live of multicast packets (ZMQ_MULTICAST_HOPS).</summary>
    public int MulticastHops
    {
        get => GetInt32(LibZmq.ZMQ_MULTICAST_HOPS, nameof(LibZmq.ZMQ_MULTICAST_HOPS));
        set => SetInt32(LibZmq.ZMQ_MULTICAST_HOPS, nameof(LibZmq.ZMQ_MULTICAST_HOPS), value);
    }

    /// <summary>Gets or sets how long a blocking receive waits before failing with EAGAIN (infinite: forever) (ZMQ_RCVTIMEO).</summary>
    public TimeSpan ReceiveTimeout
    {
        get => GetMilliseconds(LibZmq.ZMQ_RCVTIMEO, nameof(LibZmq.ZMQ_RCVTIMEO));
        set => SetMilliseconds(LibZmq.ZMQ_RCVTIMEO, nameof(LibZmq.ZMQ_RCVTIMEO), value);
    }

    /// <summary>Gets or sets how long a blocking send waits before failing with EAGAIN (infinite: forever) (ZMQ_SNDTIMEO).</summary>
    public TimeSpan SendTimeout
    {
        get => GetMilliseconds(LibZmq.ZMQ_SNDTIMEO, nameof(LibZmq.ZMQ_SNDTIMEO));
        set => SetMilliseconds(LibZmq.ZMQ_SNDTIMEO, nameof(LibZmq.ZMQ_SNDTIMEO), value);
    }

    /// <summary>Gets the endpoint last bound, with the port the OS chose for tcp://...:* (ZMQ_LAST_ENDPOINT).</summary>
    public string LastEndpoint
    {
        get => GetString(LibZmq.ZMQ_LAST_ENDPOINT, nameof(LibZmq.ZMQ_LAST_ENDPOINT));
    }

    /// <summary>Sets ROUTER: fail sends to unknown routing ids with EHOSTUNREACH instead of dropping them (ZMQ_ROUTER_MANDATORY).</summary>
    public bool RouterMandatory
    {
        set => SetBoolean(LibZmq.ZMQ_ROUTER_MANDATORY, nameof(LibZmq.ZMQ_ROUTER_MANDATORY), value);
    }

    /// <summary>Gets or sets SO_KEEPALIVE: -1 the OS default, 0 off, 1 on (ZMQ_TCP_KEEPALIVE).</summary>
    public int TcpKeepalive
    {
        get => GetInt32(LibZmq.ZMQ_TCP_KEEPALIVE, nameof(LibZmq.ZMQ_TCP_KEEPALIVE));
        set => SetInt32(LibZmq.ZMQ_TCP_KEEPALIVE, nameof(LibZmq.ZMQ_TCP_KEEPALIVE), value);
    }

    /// <summary>Gets or sets TCP_KEEPCNT (-1: the OS default) (ZMQ_TCP_KEEPALIVE_CNT).</summary>
    public int TcpKeepaliveCount
    {
        get => GetInt32(LibZmq.ZMQ_TCP_KEEPALIVE_CNT, nameof(LibZmq.ZMQ_TCP_KEEPALIVE_CNT));
        set => SetInt32(LibZmq.ZMQ_TCP_KEEPALIVE_CNT, nameof(LibZmq.ZMQ_TCP_KEEPALIVE_CNT), value);
    }

    /// <summary>Gets or sets TCP_KEEPIDLE in seconds (-1: the OS default) (ZMQ_TCP_KEEPALIVE_IDLE).</summary>
    public int TcpKeepaliveIdle
    {
        get => GetInt32(LibZmq.ZMQ_TCP_KEEPALIVE_IDLE, nameof(LibZmq.ZMQ_TCP_KEEPALIVE_IDLE));
        set => SetInt32(LibZmq.ZMQ_TCP_KEEPALIVE_IDLE, nameof(LibZmq.ZMQ_TCP_KEEPALIVE_IDLE), value);
    }

    /// <summary>Gets or sets TCP_KEEPINTVL in seconds (-1: the OS default) (ZMQ_TCP_KEEPALIVE_INTVL).</summary>
    public int TcpKeepaliveInterval
    {
        get => GetInt32(LibZmq.ZMQ_TCP_KEEPALIVE_INTVL, nameof(LibZmq.ZMQ_TCP_KEEPALIVE_INTVL));
        set => SetInt32(LibZmq.ZMQ_TCP_KEEPALIVE_INTVL, nameof(LibZmq.ZMQ_TCP_KEEPALIVE_INTVL), value);
    }

    /// <summary>Gets or sets whether to queue messages only to completed connections (ZMQ_IMMEDIATE).</summary>
    public bool Immediate
    {
        get => GetBoolean(LibZmq.ZMQ_IMMEDIATE, nameof(LibZmq.ZMQ_IMMEDIATE));
        set => SetBoolean(LibZmq.ZMQ_IMMEDIATE, nameof(LibZmq.ZMQ_IMMEDIATE), value);
    }

    /// <summary>Sets XPUB: pass on every subscription message, not only new ones (ZMQ_XPUB_VERBOSE).</summary>
    public bool XPubVerbose
    {
        set => SetBoolean(LibZmq.ZMQ_XPUB_VERBOSE, nameof(LibZmq.ZMQ_XPUB_VERBOSE), value);
    }

    /// <summary>Sets ROUTER: raw mode (deprecated in libzmq; use a STREAM socket) (ZMQ_ROUTER_RAW).</summary>
    public bool RouterRaw
    {
        set => SetBoolean(LibZmq.ZMQ_ROUTER_RAW, nameof(LibZmq.ZMQ_ROUTER_RAW), value);
    }

    /// <summary>Gets or sets whether to allow IPv6 on tcp endpoints (ZMQ_IPV6).</summary>
    public bool IPv6
    {
        get => GetBoolean(LibZmq.ZMQ_IPV6, nameof(LibZmq.ZMQ_IPV6));
        set => SetBoolean(LibZmq.ZMQ_IPV6, nameof(LibZmq.ZMQ_IPV6), value);
    }

    /// <summary>Gets the security mechanism in use (ZMQ_MECHANISM).</summary>
    public ZmqSecurityMechanism Mechanism
    {
        get => GetMechanism(LibZmq.ZMQ_MECHANISM, nameof(LibZmq.ZMQ_MECHANISM));
    }

    /// <summary>Gets or sets whether to act as PLAIN server (ZMQ_PLAIN_SERVER).</summary>
    public bool PlainServer
    {
        get => GetBoolean(LibZmq.ZMQ_PLAIN_SERVER, nameof(LibZmq.ZMQ_PLAIN_SERVER));
        set => SetBoolean(LibZmq.ZMQ_PLAIN_SERVER, nameof(LibZmq.ZMQ_PLAIN_SERVER), value);
    }

    /// <summary>Gets or sets the PLAIN user name a client sends (ZMQ_PLAIN_USERNAME).</summary>
    public string PlainUserName
    {
        get => GetString(LibZmq.ZMQ_PLAIN_USERNAME, nameof(LibZmq.ZMQ_PLAIN_USERNAME));
        set => SetString(LibZmq.ZMQ_PLAIN_USERNAME, nameof(LibZmq.ZMQ_PLAIN_USERNAME), value);
    }

    /// <summary>Gets or sets the PLAIN password a client sends (ZMQ_PLAIN_PASSWORD).</summary>
    public string PlainPassword
    {
        get => GetString(LibZmq.ZMQ_PLAIN_PASSWORD, nameof(LibZmq.ZMQ_PLAIN_PASSWORD));
        set => SetString(LibZmq.ZMQ_PLAIN_PASSWORD, nameof(LibZmq.ZMQ_PLAIN_PASSWORD), value);
    }

    /// <summary>Gets or sets whether to act as CURVE server (ZMQ_CURVE_SERVER).</summary>
    public bool CurveServer
    {
        get => GetBoolean(LibZmq.ZMQ_CURVE_SERVER, nameof(LibZmq.ZMQ_CURVE_SERVER));
        set => SetBoolean(LibZmq.ZMQ_CURVE_SERVER, nameof(LibZmq.ZMQ_CURVE_SERVER), value);
    }

    /// <summary>Gets or sets this socket's CURVE public key: 32 bytes (ZMQ_CURVE_PUBLICKEY).</summary>
    /// <remarks>Set with 32 raw bytes; <see cref="SetCurveKey(int, string)"/> takes the 40-character Z85 form. A key of another length is an <see cref="ArgumentException"/>.</remarks>
    public byte[] CurvePublicKey
    {
        get => GetCurveKey(LibZmq.ZMQ_CURVE_PUBLICKEY, nameof(LibZmq.ZMQ_CURVE_PUBLICKEY));
        set => SetCurveKey(LibZmq.ZMQ_CURVE_PUBLICKEY, nameof(LibZmq.ZMQ_CURVE_PUBLICKEY), value);
    }

    /// <summary>Gets or sets this socket's CURVE secret key: 32 bytes (ZMQ_CURVE_SECRETKEY).</summary>
    /// <remarks>Set with 32 raw bytes; <see cref="SetCurveKey(int, string)"/> takes the 40-character Z85 form. A key of another length is an <see cref="ArgumentException"/>.</remarks>
    public byte[] CurveSecretKey
    {
        get => GetCurveKey(LibZmq.ZMQ_CURVE_SECRETKEY, nameof(LibZmq.ZMQ_CURVE_SECRETKEY));
        set => SetCurveKey(LibZmq.ZMQ_CURVE_SECRETKEY, nameof(LibZmq.ZMQ_CURVE_SECRETKEY), value);
    }

    /// <summary>Gets or sets the server's CURVE public key a client expects: 32 bytes (ZMQ_CURVE_SERVERKEY).</summary>
    /// <remarks>Set with 32 raw bytes; <see cref="SetCurveKey(int, string)"/> takes the 40-character Z85 form. A key of another length is an <see cref="ArgumentException"/>.</remarks>
    public byte[] CurveServerKey
    {
        get => GetCurveKey(LibZmq.ZMQ_CURVE_SERVERKEY, nameof(LibZmq.ZMQ_CURVE_SERVERKEY));
        set => SetCurveKey(LibZmq.ZMQ_CURVE_SERVERKEY, nameof(LibZmq.ZMQ_CURVE_SERVERKEY), value);
    }

    /// <summary>Sets whether to send an empty message to a ROUTER on connect (ZMQ_PROBE_ROUTER).</summary>
    public bool ProbeRouter
    {
        set => SetBoolean(LibZmq.ZMQ_PROBE_ROUTER, nameof(LibZmq.ZMQ_PROBE_ROUTER), value);
    }

    /// <summary>Sets REQ: match replies to requests with a request id (ZMQ_REQ_CORRELATE).</summary>
    public bool ReqCorrelate
    {
        set => SetBoolean(LibZmq.ZMQ_REQ_CORRELATE, nameof(LibZmq.ZMQ_REQ_CORRELATE), value);
    }

    /// <summary>Sets REQ: allow a new request before the reply (with ReqCorrelate) (ZMQ_REQ_RELAXED).</summary>
    public bool ReqRelaxed
    {
        set => SetBoolean(LibZmq.ZMQ_REQ_RELAXED, nameof(LibZmq.ZMQ_REQ_RELAXED), value);
    }

    /// <summary>Sets whether to keep only the last message in each queue (ZMQ_CONFLATE).</summary>
    public bool Conflate
    {
        set => SetBoolean(LibZmq.ZMQ_CONFLATE, nameof(LibZmq.ZMQ_CONFLATE), value);
    }

    /// <summary>Gets or sets the ZAP (RFC 27) domain this socket authenticates in (ZMQ_ZAP_DOMAIN).</summary>
    public string ZapDomain
    {
        get => GetString(LibZmq.ZMQ_ZAP_DOMAIN, nameof(LibZmq.ZMQ_ZAP_DOMAIN));
        set => SetString(LibZmq.ZMQ_ZAP_DOMAIN, nameof(LibZmq.ZMQ_ZAP_DOMAIN), value);
    }

    /// <summary>Sets ROUTER: a new peer with a routing id in use takes it over (ZMQ_ROUTER_HANDOVER).</summary>
    public bool RouterHandover
    {
        set => SetBoolean(LibZmq.ZMQ_ROUTER_HANDOVER, nameof(LibZmq.ZMQ_ROUTER_HANDOVER), value);
    }

    /// <summary>Gets or sets the IP type-of-service of outgoing packets (ZMQ_TOS).</summary>
    public int TypeOfService
    {
        get => GetInt32(LibZmq.ZMQ_TOS, nameof(LibZmq.ZMQ_TOS));
        set => SetInt32(LibZmq.ZMQ_TOS, nameof(LibZmq.ZMQ_TOS), value);
    }

    /// <summary>Sets the routing id given to the peer of the next Connect (ROUTER, STREAM) (ZMQ_CONNECT_ROUTING_ID).</summary>
    /// <remarks>
    /// Use a name no current peer of this socket has: libzmq 4.3.4 asserts on a duplicate
    /// (router.cpp, identify_peer), which aborts the process rather than failing the Connect.
    /// </remarks>
    public byte[] ConnectRoutingId
    {
        set => SetBytes(LibZmq.ZMQ_CONNECT_ROUTING_ID, nameof(LibZmq.ZMQ_CONNECT_ROUTING_ID), value);
    }

    /// <summary>Gets or sets whether to act as GSSAPI server (needs a libzmq built with GSSAPI) (ZMQ_GSSAPI_SERVER).</summary>
    public bool GssApiServer
    {
        get => GetBoolean(LibZmq.ZMQ_GSSAPI_SERVER, nameof(LibZmq.ZMQ_GSSAPI_SERVER));
        set => SetBoolean(LibZmq.ZMQ_GSSAPI_SERVER, nameof(LibZmq.ZMQ_GSSAPI_SERVER), value);
    }

    /// <summary>Gets or sets the GSSAPI principal name (ZMQ_GSSAPI_PRINCIPAL).</summary>
    public string GssApiPrincipal
    {
        get => GetString(LibZmq.ZMQ_GSSAPI_PRINCIPAL, nameof(LibZmq.ZMQ_GSSAPI_PRINCIPAL));
        set => SetString(LibZmq.ZMQ_GSSAPI_PRINCIPAL, nameof(LibZmq.ZMQ_GSSAPI_PRINCIPAL), value);
    }

    /// <summary>Gets or sets the GSSAPI service principal name (ZMQ_GSSAPI_SERVICE_PRINCIPAL).</summary>
    public string GssApiServicePrincipal
    {
        get => GetString(LibZmq.ZMQ_GSSAPI_SERVICE_PRINCIPAL, nameof(LibZmq.ZMQ_GSSAPI_SERVICE_PRINCIPAL));
        set => SetString(LibZmq.ZMQ_GSSAPI_SERVICE_PRINCIPAL, nameof(LibZmq.ZMQ_GSSAPI_SERVICE_PRINCIPAL), value);
    }

    /// <summary>Gets or sets GSSAPI without encryption (ZMQ_GSSAPI_PLAINTEXT).</summary>
    public bool GssApiPlainText
    {
        get => GetBoolean(LibZmq.ZMQ_GSSAPI_PLAINTEXT, nameof(LibZmq.ZMQ_GSSAPI_PLAINTEXT));
        set => SetBoolean(LibZmq.ZMQ_GSSAPI_PLAINTEXT, nameof(LibZmq.ZMQ_GSSAPI_PLAINTEXT), value);
    }

    /// <summary>Gets or sets the longest a ZMTP handshake may take (zero: no limit) (ZMQ_HANDSHAKE_IVL).</summary>
    public TimeSpan HandshakeInterval
    {
        get => GetMilliseconds(LibZmq.ZMQ_HANDSHAKE_IVL, nameof(LibZmq.ZMQ_HANDSHAKE_IVL));
        set => SetMilliseconds(LibZmq.ZMQ_HANDSHAKE_IVL, nameof(LibZmq.ZMQ_HANDSHAKE_IVL), value);
    }

    /// <summary>Gets or sets the SOCKS5 proxy for tcp connections (host:port) (ZMQ_SOCKS_PROXY).</summary>
    public string SocksProxy
    {
        get => GetString(LibZmq.ZMQ_SOCKS_PROXY, nameof(LibZmq.ZMQ_SOCKS_PROXY));
        set => SetString(LibZmq.ZMQ_SOCKS_PROXY, nameof(LibZmq.ZMQ_SOCKS_PROXY), value);
    }

    /// <summary>Sets XPUB/PUB: fail with EAGAIN at the high-water mark instead of dropping (ZMQ_XPUB_NODROP).</summary>
    public bool XPubNoDrop
    {
        set => SetBoolean(LibZmq.ZMQ_XPUB_NODROP, nameof(LibZmq.ZMQ_XPUB_NODROP), value);
    }

    /// <summary>Sets XPUB: subscriptions are applied by the application (ZMQ_XPUB_MANUAL).</summary>
    public bool XPubManual
    {
        set => SetBoolean(LibZmq.ZMQ_XPUB_MANUAL, nameof(LibZmq.ZMQ_XPUB_MANUAL), value);
    }

    /// <summary>Sets XPUB: a message sent to each new subscriber (ZMQ_XPUB_WELCOME_MSG).</summary>
    public byte[] XPubWelcomeMessage
    {
        set => SetBytes(LibZmq.ZMQ_XPUB_WELCOME_MSG, nameof(LibZmq.ZMQ_XPUB_WELCOME_MSG), value);
    }

    /// <summary>Sets STREAM: deliver empty messages on connect and disconnect (ZMQ_STREAM_NOTIFY).</summary>
    public bool StreamNotify
    {
        set => SetBoolean(LibZmq.ZMQ_STREAM_NOTIFY, nameof(LibZmq.ZMQ_STREAM_NOTIFY), value);
    }

    /// <summary>Gets or sets PUB/SUB/XPUB: match messages that do not start with a subscription (ZMQ_INVERT_MATCHING).</summary>
    public bool InvertMatching
    {
        get => GetBoolean(LibZmq.ZMQ_INVERT_MATCHING, nameof(LibZmq.ZMQ_INVERT_MATCHING));
        set => SetBoolean(LibZmq.ZMQ_INVERT_MATCHING, nameof(LibZmq.ZMQ_INVERT_MATCHING), value);
    }

    /// <summary>Gets or sets how often to send ZMTP PINGs (zero: never) (ZMQ_HEARTBEAT_IVL).</summary>
    public TimeSpan HeartbeatInterval
    {
        get => GetMilliseconds(LibZmq.ZMQ_HEARTBEAT_IVL, nameof(LibZmq.ZMQ_HEARTBEAT_IVL));
        set => SetMilliseconds(LibZmq.ZMQ_HEARTBEAT_IVL, nameof(LibZmq.ZMQ_HEARTBEAT_IVL), value);
    }

    /// <summary>Gets or sets the time-to-live the peer is told in PINGs, whole tenths of a second (ZMQ_HEARTBEAT_TTL).</summary>
    public TimeSpan HeartbeatTimeToLive
    {
        get => GetMilliseconds(LibZmq.ZMQ_HEARTBEAT_TTL, nameof(LibZmq.ZMQ_HEARTBEAT_TTL));
        set => SetMilliseconds(LibZmq.ZMQ_HEARTBEAT_TTL, nameof(LibZmq.ZMQ_HEARTBEAT_TTL), value);
    }

    /// <summary>
    /// Gets or sets how long to wait for traffic after a PING before closing the connection (ZMQ_HEARTBEAT_TIMEOUT).
    /// Reads as <see cref="Timeout.InfiniteTimeSpan"/> until set: libzmq keeps -1 there, meaning "the same as
    /// <see cref="HeartbeatInterval"/>", and accepts only zero or more when set.
    /// </summary>
    public TimeSpan HeartbeatTimeout
    {
        get => GetMilliseconds(LibZmq.ZMQ_HEARTBEAT_TIMEOUT, nameof(LibZmq.ZMQ_HEARTBEAT_TIMEOUT));
        set => SetMilliseconds(LibZmq.ZMQ_HEARTBEAT_TIMEOUT, nameof(LibZmq.ZMQ_HEARTBEAT_TIMEOUT), value);
    }

    /// <summary>Sets XPUB: pass on every subscription and unsubscription message (ZMQ_XPUB_VERBOSER).</summary>
    public bool XPubVerboser
    {
        set => SetBoolean(LibZmq.ZMQ_XPUB_VERBOSER, nameof(LibZmq.ZMQ_XPUB_VERBOSER), value);
    }

    /// <summary>Gets or sets how long a tcp connect may take (zero: the OS default) (ZMQ_CONNECT_TIMEOUT).</summary>
    public TimeSpan ConnectTimeout
    {
        get => GetMilliseconds(LibZmq.ZMQ_CONNECT_TIMEOUT, nameof(LibZmq.ZMQ_CONNECT_TIMEOUT));
        set => SetMilliseconds(LibZmq.ZMQ_CONNECT_TIMEOUT, nameof(LibZmq.ZMQ_CONNECT_TIMEOUT), value);
    }

    /// <summary>Gets or sets TCP_MAXRT: the longest retransmission before the connection is dropped (zero: the OS default) (ZMQ_TCP_MAXRT).</summary>
    public TimeSpan TcpMaxRetransmitTimeout
    {
        get => GetMilliseconds(LibZmq.ZMQ_TCP_MAXRT, nameof(LibZmq.ZMQ_TCP_MAXRT));
        set => SetMilliseconds(LibZmq.ZMQ_TCP_MAXRT, nameof(LibZmq.ZMQ_TCP_MAXRT), value);
    }

    /// <summary>Gets whether this socket type is thread-safe (the draft types) (ZMQ_THREAD_SAFE).</summary>
    public bool ThreadSafe
    {
        get => GetBoolean(LibZmq.ZMQ_THREAD_SAFE, nameof(LibZmq.ZMQ_THREAD_SAFE));
    }

    /// <summary>Gets or sets the largest multicast transport data unit (ZMQ_MULTICAST_MAXTPDU).</summary>
    public int MulticastMaxTransportDataUnit
    {
        get => GetInt32(LibZmq.ZMQ_MULTICAST_MAXTPDU, nameof(LibZmq.ZMQ_MULTICAST_MAXTPDU));
        set => SetInt32(LibZmq.ZMQ_MULTICAST_MAXTPDU, nameof(LibZmq.ZMQ_MULTICAST_MAXTPDU), value);
    }

    /// <summary>Gets or sets VMCI buffer size (ZMQ_VMCI_BUFFER_SIZE).</summary>
    public ulong VmciBufferSize
    {
        get => GetUInt64(LibZmq.ZMQ_VMCI_BUFFER_SIZE, nameof(LibZmq.ZMQ_VMCI_BUFFER_SIZE));
        set => SetUInt64(LibZmq.ZMQ_VMCI_BUFFER_SIZE, nameof(LibZmq.ZMQ_VMCI_BUFFER_SIZE), value);
    }

    /// <summary>Gets or sets VMCI minimum buffer size (ZMQ_VMCI_BUFFER_MIN_SIZE).</summary>
    public ulong VmciBufferMinSize
    {
        get => GetUInt64(LibZmq.ZMQ_VMCI_BUFFER_MIN_SIZE, nameof(LibZmq.ZMQ_VMCI_BUFFER_MIN_SIZE));
        set => SetUInt64(LibZmq.ZMQ_VMCI_BUFFER_MIN_SIZE, nameof(LibZmq.ZMQ_VMCI_BUFFER_MIN_SIZE), value);
    }

    /// <summary>Gets or sets VMCI maximum buffer size (ZMQ_VMCI_BUFFER_MAX_SIZE).</summary>
    public ulong VmciBufferMaxSize
    {
        get => GetUInt64(LibZmq.ZMQ_VMCI_BUFFER_MAX_SIZE, nameof(LibZmq.ZMQ_VMCI_BUFFER_MAX_SIZE));
        set => SetUInt64(LibZmq.ZMQ_VMCI_BUFFER_MAX_SIZE, nameof(LibZmq.ZMQ_VMCI_BUFFER_MAX_SIZE), value);
    }

    /// <summary>Gets or sets VMCI connect timeout (ZMQ_VMCI_CONNECT_TIMEOUT).</summary>
    public TimeSpan VmciConnectTimeout
    {
        get => GetMilliseconds(LibZmq.ZMQ_VMCI_CONNECT_TIMEOUT, nameof(LibZmq.ZMQ_VMCI_CONNECT_TIMEOUT));
        set => SetMilliseconds(LibZmq.ZMQ_VMCI_CONNECT_TIMEOUT, nameof(LibZmq.ZMQ_VMCI_CONNECT_TIMEOUT), value);
    }

    /// <summary>Gets or sets a pre-bound file descriptor the next Bind uses (-1: none) (ZMQ_USE_FD).</summary>
    public int UseFd
    {
        get => GetInt32(LibZmq.ZMQ_USE_FD, nameof(LibZmq.ZMQ_USE_FD));
        set => SetInt32(LibZmq.ZMQ_USE_FD, nameof(LibZmq.ZMQ_USE_FD), value);
    }

    /// <summary>Gets or sets the name type of GssApiPrincipal (ZMQ_GSSAPI_PRINCIPAL_NAMETYPE).</summary>
    public int GssApiPrincipalNameType
    {
        get => GetInt32(LibZmq.ZMQ_GSSAPI_PRINCIPAL_NAMETYPE, nameof(LibZmq.ZMQ_GSSAPI_PRINCIPAL_NAMETYPE));
        set => SetInt32(LibZmq.ZMQ_GSSAPI_PRINCIPAL_NAMETYPE, nameof(LibZmq.ZMQ_GSSAPI_PRINCIPAL_NAMETYPE), value);
    }

    /// <summary>Gets or sets the name type of GssApiServicePrincipal (ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE).</summary>
    public int GssApiServicePrincipalNameType
    {
        get => GetInt32(LibZmq.ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE, nameof(LibZmq.ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE));
        set => SetInt32(LibZmq.ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE, nameof(LibZmq.ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE), value);
    }

    /// <summary>Gets or sets SO_BINDTODEVICE: the network interface to use (ZMQ_BINDTODEVICE).</summary>
    public string BindToDevice
    {
        get => GetString(LibZmq.ZMQ_BINDTODEVICE, nameof(LibZmq.ZMQ_BINDTODEVICE));
        set => SetString(LibZmq.ZMQ_BINDTODEVICE, nameof(LibZmq.ZMQ_BINDTODEVICE), value);
    }

    /// <summary>Gets or sets (draft) require the ZAP domain to be set for ZAP to be used (ZMQ_ZAP_ENFORCE_DOMAIN).</summary>
    public bool ZapEnforceDomain
    {
        get => GetBoolean(LibZmq.ZMQ_ZAP_ENFORCE_DOMAIN, nameof(LibZmq.ZMQ_ZAP_ENFORCE_DOMAIN));
        set => SetBoolean(LibZmq.ZMQ_ZAP_ENFORCE_DOMAIN, nameof(LibZmq.ZMQ_ZAP_ENFORCE_DOMAIN), value);
    }

    /// <summary>Gets or sets (draft) Windows loopback fast path (ZMQ_LOOPBACK_FASTPATH).</summary>
    public bool LoopbackFastPath
    {
        get => GetBoolean(LibZmq.ZMQ_LOOPBACK_FASTPATH, nameof(LibZmq.ZMQ_LOOPBACK_FASTPATH));
        set => SetBoolean(LibZmq.ZMQ_LOOPBACK_FASTPATH, nameof(LibZmq.ZMQ_LOOPBACK_FASTPATH), value);
    }

    /// <summary>Sets (draft) one "X-Name:value" metadata property sent in the handshake; set it once per property (ZMQ_METADATA).</summary>
    public string Metadata
    {
        set => SetString(LibZmq.ZMQ_METADATA, nameof(LibZmq.ZMQ_METADATA), value);
    }

    /// <summary>Gets or sets (draft) deliver UDP multicast to this host too (ZMQ_MULTICAST_LOOP).</summary>
    public bool MulticastLoop
    {
        get => GetBoolean(LibZmq.ZMQ_MULTICAST_LOOP, nameof(LibZmq.ZMQ_MULTICAST_LOOP));
        set => SetBoolean(LibZmq.ZMQ_MULTICAST_LOOP, nameof(LibZmq.ZMQ_MULTICAST_LOOP), value);
    }

    /// <summary>Gets or sets (draft) ROUTER: ZMQ_NOTIFY_CONNECT | ZMQ_NOTIFY_DISCONNECT, an empty message on peer connect/disconnect (ZMQ_ROUTER_NOTIFY).</summary>
    public int RouterNotify
    {
        get => GetInt32(LibZmq.ZMQ_ROUTER_NOTIFY, nameof(LibZmq.ZMQ_ROUTER_NOTIFY));
        set => SetInt32(LibZmq.ZMQ_ROUTER_NOTIFY, nameof(LibZmq.ZMQ_ROUTER_NOTIFY), value);
    }

    /// <summary>Sets (draft) XPUB: manual subscriptions with last-value caching (ZMQ_XPUB_MANUAL_LAST_VALUE).</summary>
    public bool XPubManualLastValue
    {
        set => SetBoolean(LibZmq.ZMQ_XPUB_MANUAL_LAST_VALUE, nameof(LibZmq.ZMQ_XPUB_MANUAL_LAST_VALUE), value);
    }

    /// <summary>Gets or sets (draft) the SOCKS5 user name (ZMQ_SOCKS_USERNAME).</summary>
    public string SocksUserName
    {
        get => GetString(LibZmq.ZMQ_SOCKS_USERNAME, nameof(LibZmq.ZMQ_SOCKS_USERNAME));
        set => SetString(LibZmq.ZMQ_SOCKS_USERNAME, nameof(LibZmq.ZMQ_SOCKS_USERNAME), value);
    }

    /// <summary>Gets or sets (draft) the SOCKS5 password (ZMQ_SOCKS_PASSWORD).</summary>
    public string SocksPassword
    {
        get => GetString(LibZmq.ZMQ_SOCKS_PASSWORD, nameof(LibZmq.ZMQ_SOCKS_PASSWORD));
        set => SetString(LibZmq.ZMQ_SOCKS_PASSWORD, nameof(LibZmq.ZMQ_SOCKS_PASSWORD), value);
    }

    /// <summary>Gets or sets (draft) bytes read from the kernel in one go (ZMQ_IN_BATCH_SIZE).</summary>
    public int InBatchSize
    {
        get => GetInt32(LibZmq.ZMQ_IN_BATCH_SIZE, nameof(LibZmq.ZMQ_IN_BATCH_SIZE));
        set => SetInt32(LibZmq.ZMQ_IN_BATCH_SIZE, nameof(LibZmq.ZMQ_IN_BATCH_SIZE), value);
    }

    /// <summary>Gets or sets (draft) bytes written to the kernel in one go (ZMQ_OUT_BATCH_SIZE).</summary>
    public int OutBatchSize
    {
        get => GetInt32(LibZmq.ZMQ_OUT_BATCH_SIZE, nameof(LibZmq.ZMQ_OUT_BATCH_SIZE));
        set => SetInt32(LibZmq.ZMQ_OUT_BATCH_SIZE, nameof(LibZmq.ZMQ_OUT_BATCH_SIZE), value);
    }

    /// <summary>Sets (draft) XPUB/XSUB: only the first frame of a multipart message can be a subscription (ZMQ_ONLY_FIRST_SUBSCRIBE).</summary>
    public bool OnlyFirstSubscribe
    {
        set => SetBoolean(LibZmq.ZMQ_ONLY_FIRST_SUBSCRIBE, nameof(LibZmq.ZMQ_ONLY_FIRST_SUBSCRIBE), value);
    }

    /// <summary>Gets or sets (draft) when to stop reconnecting: ZMQ_RECONNECT_STOP_* flags (ZMQ_RECONNECT_STOP).</summary>
    public int ReconnectStop
    {
        get => GetInt32(LibZmq.ZMQ_RECONNECT_STOP, nameof(LibZmq.ZMQ_RECONNECT_STOP));
        set => SetInt32(LibZmq.ZMQ_RECONNECT_STOP, nameof(LibZmq.ZMQ_RECONNECT_STOP), value);
    }

    /// <summary>Sets (draft) a message the peer receives when it connects (ZMQ_HELLO_MSG).</summary>
    public byte[] HelloMessage
    {
        set => SetBytes(LibZmq.ZMQ_HELLO_MSG, nameof(LibZmq.ZMQ_HELLO_MSG), value);
    }

    /// <summary>Sets (draft) a message this socket receives when a peer disconnects (ZMQ_DISCONNECT_MSG).</summary>
    public byte[] DisconnectMessage
    {
        set => SetBytes(LibZmq.ZMQ_DISCONNECT_MSG, nameof(LibZmq.ZMQ_DISCONNECT_MSG), value);
    }
}
