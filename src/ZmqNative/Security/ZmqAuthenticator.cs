using System.Text;

namespace ZmqNative;

/// <summary>
/// A ZAP handler (RFC 27/ZAP) for one context: it binds <c>inproc://zeromq.zap.01</c> in the
/// context and answers libzmq's authentication requests on a thread of its own (a
/// <see cref="ZmqActor"/>), following rules set from any thread: allow or deny IP addresses, check
/// PLAIN user names and passwords, accept CURVE clients by key, per ZAP domain.
/// </summary>
/// <remarks>
/// <para><b>Which connections it sees.</b> libzmq asks the handler about every connection a
/// PLAIN or CURVE server socket of this context accepts, and about NULL connections of sockets
/// that set a <see cref="ZmqSocket.ZapDomain"/>. Use <see cref="ZmqSocket.ConfigurePlainServer"/>,
/// <see cref="ZmqSocket.ConfigureCurveServer"/> or <see cref="ZmqSocket.ConfigureZapDomain"/> on the
/// servers: they set a domain and ZMQ_ZAP_ENFORCE_DOMAIN, so that without a handler (before this
/// one starts, or after it is disposed) connections are refused instead of let in (see
/// <see cref="ZmqSocket.ConfigureZapDomain"/>).</para>
/// <para><b>Rules</b> are kept per ZAP domain (<see cref="Domain"/>); the methods on the
/// authenticator itself set the default rules (<see cref="AnyDomain"/>), which apply to every
/// domain that has not set that kind of rule itself. A configuration call takes effect for every
/// request the handler reads after the call returns.</para>
/// <para><b>Decisions</b> follow czmq's zauth: first the address: with an allow list, an address
/// not on it is denied (400), and one on it passes; otherwise an address on the deny list is
/// denied. Then the mechanism: NULL is let in; PLAIN needs a known user with the right password;
/// CURVE needs "any key" or a key in the certificate store; anything else is denied. A handler set
/// with <see cref="ZmqAuthPolicy.UseHandler"/> replaces the mechanism checks. When passwords or
/// certificates cannot be read just now the reply is 300 (temporary); when a handler throws, 500.</para>
/// <para><b>User id.</b> The reply names the user: the PLAIN user name, or the CURVE client key in Z85;
/// the server's application reads it as <c>message.GetProperty("User-Id")</c>. A CURVE client
/// found in a certificate store also brings its certificate's metadata as message properties.</para>
/// <para><b>Logging.</b> Set <see cref="Log"/> (or pass one to the constructor) for a line per decision
/// and configuration change. It never contains a password or a secret key. It is called on the
/// handler's thread for decisions and on the configuring thread for configuration changes, so it
/// must be thread-safe (Console.WriteLine is); an exception it throws is ignored.</para>
/// <para>One handler per context (RFC 27: one per process; libzmq looks it up in the server's
/// context): a second one in the same context throws. Dispose stops it and unbinds the endpoint.</para>
/// </remarks>
public sealed class ZmqAuthenticator : IDisposable
{
    /// <summary>The endpoint a ZAP handler binds (RFC 27).</summary>
    public const string ZapEndpoint = "inproc://zeromq.zap.01";

    /// <summary>The name of the default rules, which apply to every domain without rules of its own (as pyzmq's <c>'*'</c>).</summary>
    public const string AnyDomain = "*";

    /// <summary>The ZAP domain the socket helpers use when given none (the name the Guide-era examples use).</summary>
    public const string DefaultZapDomain = "global";

    // Connection properties libzmq gives a meaning of its own (mechanism.cpp, zmq_msg_gets(3)):
    // certificate metadata under these names is not passed on.
    private static readonly HashSet<string> ReservedProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "Identity", "Routing-Id", "Socket-Type", "User-Id", "Peer-Address",
    };

    private readonly object _gate = new();
    private readonly ZmqActor _actor;
    private readonly ZmqAuthPolicy _default;
    private volatile Dictionary<string, ZapRules> _rules = new(StringComparer.Ordinal) { [AnyDomain] = ZapRules.Empty };
    private volatile Action<string>? _log;
    private int _disposed;

    /// <summary>Starts a ZAP handler for <paramref name="context"/>, with no rules yet.</summary>
    /// <param name="context">The context whose servers it authenticates.</param>
    /// <param name="log">Where to write a line per decision (verbose logging); null for none.</param>
    /// <exception cref="InvalidOperationException">Another ZAP handler is bound in this context.</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    public ZmqAuthenticator(ZmqContext context, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        _log = log;
        _default = new ZmqAuthPolicy(this, AnyDomain);
        try
        {
            _actor = new ZmqActor(context, Run);
        }
        catch (AggregateException e) when (e.InnerException is ZmqException { Error: ZmqErrorCode.EADDRINUSE } inner)
        {
            throw new InvalidOperationException(
                $"another ZAP handler is already bound to {ZapEndpoint} in this context; RFC 27 allows one", inner);
        }
    }

    /// <summary>The context whose servers it authenticates.</summary>
    public ZmqContext Context { get; }

    /// <summary>Where to write a line per decision and configuration change; null for none. Never given secrets.</summary>
    public Action<string>? Log
    {
        get => _log;
        set => _log = value;
    }

    /// <summary>Whether the handler is running (not disposed, its thread not ended by the context's shutdown).</summary>
    public bool IsRunning => Volatile.Read(ref _disposed) == 0 && !_actor.IsCompleted;

    /// <summary>The rules of one ZAP domain, to configure them. Settings a domain does not make come from <see cref="AnyDomain"/>.</summary>
    /// <param name="domain">The domain, as servers set it with <see cref="ZmqSocket.ZapDomain"/>; <see cref="AnyDomain"/> for the default rules.</param>
    /// <returns>The domain's rules.</returns>
    public ZmqAuthPolicy Domain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (Encoding.UTF8.GetByteCount(domain) > 255)
        {
            throw new ArgumentException("a ZAP domain is at most 255 bytes (RFC 27)", nameof(domain));
        }

        return domain == AnyDomain ? _default : new ZmqAuthPolicy(this, domain);
    }

    /// <inheritdoc cref="ZmqAuthPolicy.Allow(string[])"/>
    public void Allow(params string[] addresses) => _default.Allow(addresses);

    /// <inheritdoc cref="ZmqAuthPolicy.Deny(string[])"/>
    public void Deny(params string[] addresses) => _default.Deny(addresses);

    /// <inheritdoc cref="ZmqAuthPolicy.UsePlain(IEnumerable{KeyValuePair{string, string}})"/>
    public void UsePlain(IEnumerable<KeyValuePair<string, string>> passwords) => _default.UsePlain(passwords);

    /// <inheritdoc cref="ZmqAuthPolicy.UsePlainPasswordsFile(string)"/>
    public void UsePlainPasswordsFile(string path) => _default.UsePlainPasswordsFile(path);

    /// <inheritdoc cref="ZmqAuthPolicy.UseCurveAnyKey"/>
    public void UseCurveAnyKey() => _default.UseCurveAnyKey();

    /// <inheritdoc cref="ZmqAuthPolicy.UseCurve(ZmqCertificateStore)"/>
    public void UseCurve(ZmqCertificateStore store) => _default.UseCurve(store);

    /// <inheritdoc cref="ZmqAuthPolicy.UseCurveCertificates(string)"/>
    public void UseCurveCertificates(string directory) => _default.UseCurveCertificates(directory);

    /// <inheritdoc cref="ZmqAuthPolicy.UseHandler(Func{ZmqZapRequest, ZmqZapReply})"/>
    public void UseHandler(Func<ZmqZapRequest, ZmqZapReply> handler) => _default.UseHandler(handler);

    /// <summary>
    /// Stops the handler: its thread unbinds <see cref="ZapEndpoint"/> and ends. Connections that
    /// were let in stay; new ones to servers set up with the <c>Configure*</c> socket helpers are
    /// refused until another handler starts. Harmless when called again.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _actor.Dispose();
        }
    }

    /// <summary>Applies a change to one domain's rules (copy on write: the handler thread reads a whole snapshot).</summary>
    internal void Change(string domain, Func<ZapRules, ZapRules> change, string description)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_actor.IsCompleted)
            {
                throw new InvalidOperationException("the ZAP handler has stopped (its context was shut down)", _actor.Fault);
            }

            var rules = new Dictionary<string, ZapRules>(_rules, StringComparer.Ordinal);
            rules[domain] = change(rules.TryGetValue(domain, out var current) ? current : ZapRules.Empty);
            _rules = rules;
        }

        Write($"configure domain '{domain}': {description}");
    }

    /// <summary>Decides one request with the current rules (the handler thread's work; tests call it directly too).</summary>
    internal ZmqZapReply Decide(ZmqZapRequest request)
    {
        var rules = _rules;
        var own = rules.TryGetValue(request.Domain, out var found) ? found : ZapRules.Empty;
        var fallback = rules[AnyDomain];
        var addresses = own.HasAddressRules ? own : fallback;

        string? address = ZapRules.NormalizeAddress(request.Address) ?? request.Address;
        if (addresses.Allowed.Count > 0)
        {
            if (!addresses.Allowed.Contains(address))
            {
                return Refuse(ZmqZapReply.Deny(), $"address {Show(request.Address)} is not on the allow list");
            }

            Write($"passed: address {request.Address} is on the allow list");
        }
        else if (addresses.Denied.Contains(address))
        {
            return Refuse(ZmqZapReply.Deny(), $"address {Show(request.Address)} is on the deny list");
        }

        if ((own.Handler ?? fallback.Handler) is { } handler)
        {
            try
            {
                var reply = handler(request) ?? throw new InvalidOperationException("the handler returned null");
                Write($"handler answered {reply}");
                return reply;
            }
            catch (Exception e)
            {
                return Refuse(ZmqZapReply.InternalError(), $"the handler threw {e.GetType().Name}: {e.Message}");
            }
        }

        switch (request.Mechanism)
        {
            case "NULL":
                Write("allowed: NULL");
                return ZmqZapReply.Allow();
            case "PLAIN":
                return CheckPlain(request, own.Plain ?? fallback.Plain);
            case "CURVE":
                return CheckCurve(request, own.Curve ?? fallback.Curve);
            default:
                return Refuse(ZmqZapReply.Deny(), $"mechanism {request.Mechanism} is not supported");
        }
    }

    private ZmqZapReply CheckPlain(ZmqZapRequest request, PasswordSource? passwords)
    {
        if (request.UserName is null || request.Password is null)
        {
            return Refuse(ZmqZapReply.InternalError("Malformed PLAIN request"), "a PLAIN request without a user name and password");
        }

        if (passwords is null)
        {
            return Refuse(ZmqZapReply.Deny(), "PLAIN is not configured for this domain");
        }

        PasswordCheck check;
        try
        {
            check = passwords.Check(request.UserName, request.Password);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refuse(ZmqZapReply.TemporaryFailure(), $"the passwords could not be read: {e.Message}");
        }

        return check switch
        {
            PasswordCheck.Valid => Accept(ZmqZapReply.Allow(request.UserName), $"PLAIN user '{request.UserName}'"),
            PasswordCheck.UnknownUser => Refuse(ZmqZapReply.Deny(), $"PLAIN user '{request.UserName}' is unknown"),
            _ => Refuse(ZmqZapReply.Deny(), $"wrong password for PLAIN user '{request.UserName}'"),
        };
    }

    private ZmqZapReply CheckCurve(ZmqZapRequest request, CurveRule? curve)
    {
        if (request.ClientKeyZ85 is not { } key)
        {
            return Refuse(ZmqZapReply.InternalError("Malformed CURVE request"), "a CURVE request without a 32-byte client key");
        }

        if (curve is null)
        {
            return Refuse(ZmqZapReply.Deny(), "CURVE is not configured for this domain");
        }

        if (curve.AnyKey)
        {
            return Accept(ZmqZapReply.Allow(key), $"CURVE (any key) client key {key}");
        }

        ZmqCertificate? certificate;
        try
        {
            certificate = curve.Store!.Lookup(key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refuse(ZmqZapReply.TemporaryFailure(), $"the certificate store could not be read: {e.Message}");
        }

        if (certificate is null)
        {
            return Refuse(ZmqZapReply.Deny(), $"CURVE client key {key} is not in {curve.Store}");
        }

        // The certificate's metadata becomes connection properties (as czmq's zauth does), except
        // names ZMTP cannot carry and reserved ones ("Identity" would replace the peer's routing id).
        var metadata = certificate.Metadata
            .Where(p => ZmqCertificate.IsZmtpPropertyName(p.Key) && !ReservedProperties.Contains(p.Key))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return Accept(ZmqZapReply.Allow(key, metadata), $"CURVE client key {key} is in the store");
    }

    private static string Show(string address) => address.Length == 0 ? "(none)" : address;

    private ZmqZapReply Accept(ZmqZapReply reply, string why)
    {
        Write("allowed: " + why);
        return reply;
    }

    private ZmqZapReply Refuse(ZmqZapReply reply, string why)
    {
        Write($"refused ({(int)reply.Status}): {why}");
        return reply;
    }

    private void Write(string line)
    {
        if (_log is { } log)
        {
            try
            {
                log("zap: " + line);
            }
            catch (Exception)
            {
                // A failing logger must not stop authentication (documented on Log).
            }
        }
    }

    /// <summary>The handler thread: binds the ZAP endpoint, then answers requests until "$TERM".</summary>
    private void Run(ZmqActorPipe pipe)
    {
        using var handler = Context.CreateSocket(ZmqSocketType.Rep);
        handler.Linger = TimeSpan.Zero;
        // zmq_bind(3): EADDRINUSE when another handler holds the endpoint; the constructor reports it.
        handler.Bind(ZapEndpoint);
        try
        {
            using var poller = new ZmqPoller();
            poller.Add(pipe.Socket, ZmqPollEvents.In);
            poller.Add(handler, ZmqPollEvents.In);
            pipe.SignalReady();
            Write("handler started on " + ZapEndpoint);
            while (true)
            {
                poller.Wait(Timeout.InfiniteTimeSpan);
                if (poller.IsReady(pipe.Socket))
                {
                    var command = pipe.Socket.ReceiveMultipart();
                    if (ZmqActorPipe.IsTerminateCommand(command[0]))
                    {
                        Write("handler stopped");
                        return;
                    }
                }

                if (poller.IsReady(handler))
                {
                    Answer(handler);
                }
            }
        }
        finally
        {
            // Unbind before close, so that when Dispose returns no new connection can find the
            // endpoint (session_base.cpp zap_connect: ECONNREFUSED, and the handshake fails).
            try
            {
                handler.Unbind(ZapEndpoint);
            }
            catch (ZmqException)
            {
                // ETERM: the context is shutting down, which unregisters every endpoint anyway.
            }
            catch (ObjectDisposedException)
            {
                // The context was disposed and closed the socket.
            }
        }
    }

    /// <summary>Reads one request from the REP socket and sends its reply (a REP socket must answer each request).</summary>
    private void Answer(ZmqSocket handler)
    {
        var frames = handler.ReceiveMultipart();
        // RFC 27 request (after the envelope REP removes): version, request id, domain, address,
        // identity, mechanism, credentials...
        byte[] requestId = frames.Count > 1 ? frames[1] : [];
        ZmqZapReply reply;
        if (frames.Count < 6 || !frames[0].AsSpan().SequenceEqual("1.0"u8))
        {
            reply = Refuse(ZmqZapReply.InternalError("Malformed ZAP request"), $"a malformed ZAP request ({frames.Count} frames)");
        }
        else
        {
            try
            {
                var request = new ZmqZapRequest(
                    Text(frames[2]), Text(frames[3]), frames[4], Text(frames[5]), [.. frames.Skip(6)]);
                Write("request: " + request);
                reply = Decide(request);
            }
            catch (Exception e)
            {
                reply = Refuse(ZmqZapReply.InternalError(), $"the request could not be handled: {e.GetType().Name}: {e.Message}");
            }
        }

        // RFC 27 reply: version, request id (echoed), status code, status text, user id, metadata.
        handler.SendMultipart(
        [
            "1.0"u8.ToArray(),
            requestId,
            Encoding.ASCII.GetBytes(((int)reply.Status).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Encoding.UTF8.GetBytes(reply.StatusText),
            reply.Status == ZmqZapStatus.Success ? Encoding.UTF8.GetBytes(reply.UserId) : [],
            reply.Status == ZmqZapStatus.Success ? reply.EncodeMetadata() : [],
        ]);
    }

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);
}

/// <summary>
/// The rules of one ZAP domain of a <see cref="ZmqAuthenticator"/> (from <see cref="ZmqAuthenticator.Domain"/>).
/// Each call changes the rules at once, for the requests that follow; a kind of rule the domain
/// does not set (addresses, PLAIN, CURVE, handler) comes from the default rules
/// (<see cref="ZmqAuthenticator.AnyDomain"/>). Callable from any thread.
/// </summary>
public sealed class ZmqAuthPolicy
{
    private readonly ZmqAuthenticator _owner;

    internal ZmqAuthPolicy(ZmqAuthenticator owner, string domain)
    {
        _owner = owner;
        DomainName = domain;
    }

    /// <summary>The domain these rules are for (<see cref="ZmqAuthenticator.AnyDomain"/> for the default rules).</summary>
    public string DomainName { get; }

    /// <summary>
    /// Adds IP addresses to the allow list: once it has any, only clients from these addresses pass
    /// the address check (and the deny list is not consulted). For NULL that lets them in; PLAIN and
    /// CURVE clients must still authenticate.
    /// </summary>
    /// <param name="addresses">IPv4 or IPv6 addresses ("127.0.0.1", "::1").</param>
    /// <exception cref="ArgumentException">A value is not an IP address.</exception>
    public void Allow(params string[] addresses)
    {
        var normalized = Normalize(addresses);
        _owner.Change(DomainName, r => r with { Allowed = new HashSet<string>(r.Allowed.Concat(normalized), StringComparer.Ordinal) },
            "allow " + string.Join(", ", normalized));
    }

    /// <summary>Adds IP addresses to the deny list: clients from them are refused (400), unless the domain has an allow list.</summary>
    /// <param name="addresses">IPv4 or IPv6 addresses.</param>
    /// <exception cref="ArgumentException">A value is not an IP address.</exception>
    public void Deny(params string[] addresses)
    {
        var normalized = Normalize(addresses);
        _owner.Change(DomainName, r => r with { Denied = new HashSet<string>(r.Denied.Concat(normalized), StringComparer.Ordinal) },
            "deny " + string.Join(", ", normalized));
    }

    /// <summary>Checks PLAIN clients against a table of user names and passwords (copied; replaces earlier PLAIN settings).</summary>
    /// <param name="passwords">User name to password; names and passwords of at most 255 bytes (RFC 24/PLAIN).</param>
    /// <exception cref="ArgumentException">A name or password is empty, null or too long.</exception>
    public void UsePlain(IEnumerable<KeyValuePair<string, string>> passwords)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        var copy = passwords.ToList();
        foreach (var (user, password) in copy)
        {
            if (string.IsNullOrEmpty(user) || Encoding.UTF8.GetByteCount(user) > 255)
            {
                throw new ArgumentException("a PLAIN user name is 1 to 255 bytes (RFC 24)", nameof(passwords));
            }

            if (password is null || Encoding.UTF8.GetByteCount(password) > 255)
            {
                throw new ArgumentException($"the password of '{user}' must be at most 255 bytes (RFC 24)", nameof(passwords));
            }
        }

        var table = new PasswordTable(copy);
        _owner.Change(DomainName, r => r with { Plain = table }, "PLAIN with " + table.Describe());
    }

    /// <summary>
    /// Checks PLAIN clients against a passwords file in czmq's format: one <c>user=password</c> per line,
    /// lines starting with <c>#</c> ignored. The file is re-read when it changes (checked on each request,
    /// as <see cref="ZmqCertificateStore"/> does); a missing file lets no one in.
    /// </summary>
    /// <param name="path">The file's path.</param>
    /// <exception cref="IOException">The file exists but could not be read.</exception>
    public void UsePlainPasswordsFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new PasswordFile(path);
        _owner.Change(DomainName, r => r with { Plain = file }, "PLAIN with " + file.Describe());
    }

    /// <summary>Lets in every CURVE client, whatever its key (the Stonehouse pattern: encryption, and the server proves who it is).</summary>
    public void UseCurveAnyKey() =>
        _owner.Change(DomainName, r => r with { Curve = new CurveRule(true, null) }, "CURVE with any client key");

    /// <summary>Lets in the CURVE clients whose public key is in <paramref name="store"/> (the Ironhouse pattern).</summary>
    /// <param name="store">The certificates; the store may keep changing (inserts, files in its directory).</param>
    public void UseCurve(ZmqCertificateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _owner.Change(DomainName, r => r with { Curve = new CurveRule(false, store) }, "CURVE with the keys in " + store);
    }

    /// <summary>Lets in the CURVE clients whose public certificate is in <paramref name="directory"/>, following its changes (see <see cref="ZmqCertificateStore"/>).</summary>
    /// <param name="directory">A directory of public certificate files (it need not exist yet).</param>
    public void UseCurveCertificates(string directory) => UseCurve(new ZmqCertificateStore(directory));

    /// <summary>
    /// Decides requests with a function of your own, instead of the PLAIN and CURVE checks (the
    /// address lists still apply first). It runs on the handler's thread, one request at a time;
    /// an exception it throws is answered with 500.
    /// </summary>
    /// <param name="handler">Takes a request and returns a reply (<see cref="ZmqZapReply.Allow"/>, <see cref="ZmqZapReply.Deny"/>, ...).</param>
    public void UseHandler(Func<ZmqZapRequest, ZmqZapReply> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _owner.Change(DomainName, r => r with { Handler = handler }, "a handler of the application's");
    }

    private static List<string> Normalize(string[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var normalized = new List<string>();
        foreach (string address in addresses)
        {
            ArgumentNullException.ThrowIfNull(address, nameof(addresses));
            normalized.Add(ZapRules.NormalizeAddress(address)
                ?? throw new ArgumentException($"'{address}' is not an IP address", nameof(addresses)));
        }

        return normalized;
    }
}
