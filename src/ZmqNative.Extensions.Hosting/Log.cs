using Microsoft.Extensions.Logging;
using ZmqNative.Patterns.BinaryStar;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Every log event of the package, with its stable event id (docs/hosting.md lists them): 1000s the
/// context and the hosted services, 2000s Majordomo, 3000s Titanic, 4000s Paranoid Pirate, 5000s Binary
/// Star, 6000s Freelance, 7000s the ZAP authenticator. Fields are structured; no message body and no
/// secret is ever logged.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "ZeroMQ context created: {IoThreads} I/O thread(s), default linger {DefaultLinger}")]
    public static partial void ContextCreated(ILogger logger, int ioThreads, TimeSpan defaultLinger);

    [LoggerMessage(1001, LogLevel.Information, "ZeroMQ context shut down: {Reason}")]
    public static partial void ContextShutdown(ILogger logger, string reason);

    [LoggerMessage(1002, LogLevel.Information, "{Component} started on {Endpoints}")]
    public static partial void ServiceStarted(ILogger logger, string component, string endpoints);

    [LoggerMessage(1003, LogLevel.Information, "{Component} stopped: {Reason}")]
    public static partial void ServiceStopped(ILogger logger, string component, string reason);

    [LoggerMessage(1004, LogLevel.Critical, "{Component} failed and stopped; the host is stopped too")]
    public static partial void ServiceFailed(ILogger logger, string component, Exception exception);

    [LoggerMessage(1005, LogLevel.Warning, "{Component} did not stop within {Waited}; its thread ends when the context shuts down")]
    public static partial void ServiceStopSlow(ILogger logger, string component, TimeSpan waited);

    [LoggerMessage(1006, LogLevel.Error, "{Component}: the request handler failed; the request gets no reply")]
    public static partial void HandlerFailed(ILogger logger, string component, Exception exception);

    [LoggerMessage(2000, LogLevel.Information, "Majordomo worker {Worker} registered for {Service}")]
    public static partial void WorkerRegistered(ILogger logger, string? service, string? worker);

    [LoggerMessage(2001, LogLevel.Warning, "Majordomo worker {Worker} of {Service} expired (no heartbeat)")]
    public static partial void WorkerExpired(ILogger logger, string? service, string? worker);

    [LoggerMessage(2002, LogLevel.Information, "Majordomo worker {Worker} of {Service} removed: {Reason}")]
    public static partial void WorkerRemoved(ILogger logger, string? service, string? worker, string? reason);

    [LoggerMessage(2003, LogLevel.Warning, "Majordomo request for {Service} ({Bytes} bytes) dropped: {Reason}")]
    public static partial void RequestDropped(ILogger logger, string? service, long bytes, string? reason);

    [LoggerMessage(2004, LogLevel.Debug, "{Component}: invalid message dropped: {Reason}")]
    public static partial void InvalidMessage(ILogger logger, string component, string? reason);

    [LoggerMessage(2010, LogLevel.Debug, "Majordomo worker for {Service} connecting to {Broker} (connection {Connections})")]
    public static partial void WorkerConnecting(ILogger logger, string? service, string? broker, int connections);

    [LoggerMessage(2011, LogLevel.Warning, "Majordomo worker for {Service} lost its broker; reconnecting")]
    public static partial void BrokerLost(ILogger logger, string? service);

    [LoggerMessage(2012, LogLevel.Information, "Majordomo worker for {Service} got DISCONNECT; registering again")]
    public static partial void DisconnectReceived(ILogger logger, string? service);

    [LoggerMessage(3000, LogLevel.Information, "Titanic: {Text}")]
    public static partial void TitanicInformation(ILogger logger, string text);

    [LoggerMessage(3001, LogLevel.Warning, "Titanic: {Text}")]
    public static partial void TitanicWarning(ILogger logger, string text);

    [LoggerMessage(3002, LogLevel.Error, "Titanic: {Text}")]
    public static partial void TitanicError(ILogger logger, string text);

    [LoggerMessage(4000, LogLevel.Debug, "Paranoid Pirate worker {Peer} ready")]
    public static partial void PirateWorkerReady(ILogger logger, string? peer);

    [LoggerMessage(4001, LogLevel.Information, "Paranoid Pirate idle worker {Peer} expired")]
    public static partial void PirateIdleWorkerExpired(ILogger logger, string? peer);

    [LoggerMessage(4002, LogLevel.Warning, "Paranoid Pirate busy worker {Peer} expired; its request is lost (the client retries)")]
    public static partial void PirateBusyWorkerExpired(ILogger logger, string? peer);

    [LoggerMessage(4003, LogLevel.Warning, "Paranoid Pirate worker {Peer} unreachable; dropped")]
    public static partial void PirateWorkerUnreachable(ILogger logger, string? peer);

    [LoggerMessage(4004, LogLevel.Warning, "Paranoid Pirate worker {Peer} lost its queue")]
    public static partial void PirateQueueLost(ILogger logger, string? peer);

    [LoggerMessage(4005, LogLevel.Information, "Paranoid Pirate worker {Peer} reconnecting in {Delay}")]
    public static partial void PirateReconnecting(ILogger logger, string? peer, TimeSpan delay);

    [LoggerMessage(5000, LogLevel.Information, "Binary Star {From} -> {To} on {Event}: {Description}")]
    public static partial void BinaryStarChanged(ILogger logger, BinaryStarState from, BinaryStarState to, BinaryStarEvent @event, string? description);

    [LoggerMessage(5001, LogLevel.Critical, "Binary Star conflict {Conflict}: both servers claim the same role; this one stops serving")]
    public static partial void BinaryStarConflicted(ILogger logger, BinaryStarConflict conflict);

    [LoggerMessage(5002, LogLevel.Debug, "Binary Star request refused in state {State}")]
    public static partial void BinaryStarRefused(ILogger logger, BinaryStarState state);

    [LoggerMessage(7000, LogLevel.Information, "ZAP {Decision}: {Detail}")]
    public static partial void ZapDecision(ILogger logger, string decision, string detail);

    [LoggerMessage(7001, LogLevel.Warning, "ZAP {Decision}: {Detail}")]
    public static partial void ZapRefused(ILogger logger, string decision, string detail);

    [LoggerMessage(7002, LogLevel.Information, "ZAP: {Detail}")]
    public static partial void ZapConfiguration(ILogger logger, string detail);
}
