namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Settings of the host's one <see cref="ZmqContext"/>, bound from the <c>"ZmqNative"</c> configuration
/// section by <see cref="ZmqNativeServiceCollectionExtensions.AddZmqNative(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{ZmqNativeOptions}?)"/>.
/// </summary>
public sealed class ZmqNativeOptions
{
    /// <summary>The configuration section the options are bound from: <c>"ZmqNative"</c>.</summary>
    public const string SectionName = "ZmqNative";

    /// <summary>libzmq's I/O threads (ZMQ_IO_THREADS, zmq_ctx_set(3)): 1, enough for about a gigabyte a second of traffic. At least 0.</summary>
    public int IoThreads { get; set; } = 1;

    /// <summary>
    /// The linger of new sockets (<see cref="ZmqContext.DefaultLinger"/>): 1 s. It bounds how long disposing
    /// the context waits for unsent messages, so it bounds the host's shutdown too.
    /// </summary>
    public TimeSpan DefaultLinger { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most sockets the context may open (ZMQ_MAX_SOCKETS); null leaves libzmq's default (1023).</summary>
    public int? MaxSockets { get; set; }

    /// <summary>
    /// How long after the host starts stopping the context is shut down (zmq_ctx_shutdown(3)), ending
    /// every call still blocked on one of its sockets with <see cref="ContextTerminatedException"/>: 5 s.
    /// The hosted services of this package stop on their own well before; this bounds application code
    /// that blocks in a receive and ignores its token, which would otherwise hold the host for its whole
    /// shutdown timeout (30 s by default). Zero shuts the context down as soon as the host stops.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(IoThreads, nameof(IoThreads));
        // Finite only: an infinite linger (libzmq's own default) would let one unsent message hold the host's shutdown forever.
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultLinger, TimeSpan.Zero, nameof(DefaultLinger));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownGrace, TimeSpan.Zero, nameof(ShutdownGrace));
        if (MaxSockets is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(MaxSockets));
        }
    }
}
