using Microsoft.Extensions.Logging;

namespace ZmqNative.Extensions.Hosting;

/// <summary>Connects a <see cref="ZmqAuthenticator"/>'s decisions to <see cref="ILogger"/> (events 7000-7002) and to the <c>zmqnative.zap.decisions</c> counter.</summary>
public static class ZmqAuthenticatorLogging
{
    /// <summary>
    /// Sends the authenticator's lines to <paramref name="logger"/>: allowed connections as information (7000), refused ones as
    /// warnings (7001, with the ZAP status), the rest (configuration, handler start and stop) as 7002; and counts allowed and
    /// refused decisions. The authenticator never writes a password or a secret key in these lines. Decisions of a custom
    /// <see cref="ZmqAuthPolicy.UseHandler"/> are logged but not counted (the authenticator does not say which way they went).
    /// </summary>
    /// <param name="authenticator">The authenticator.</param>
    /// <param name="logger">Where the lines go.</param>
    /// <param name="metrics">Where decisions are counted; null to only log.</param>
    /// <returns><paramref name="authenticator"/>.</returns>
    public static ZmqAuthenticator UseLogging(this ZmqAuthenticator authenticator, ILogger logger, ZmqNativeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentNullException.ThrowIfNull(logger);
        authenticator.Log = line => Write(line, logger, metrics);
        return authenticator;
    }

    internal static void Write(string line, ILogger logger, ZmqNativeMetrics? metrics)
    {
        // The authenticator's lines: "zap: allowed: <why>", "zap: refused (<status>): <why>", "zap: <anything else>".
        string text = line.StartsWith("zap: ", StringComparison.Ordinal) ? line[5..] : line;
        if (text.StartsWith("allowed: ", StringComparison.Ordinal))
        {
            metrics?.RecordZap(allowed: true);
            Log.ZapDecision(logger, "allowed", text[9..]);
        }
        else if (text.StartsWith("refused ", StringComparison.Ordinal))
        {
            metrics?.RecordZap(allowed: false);
            int colon = text.IndexOf(": ", StringComparison.Ordinal);
            Log.ZapRefused(logger, colon > 0 ? text[..colon] : "refused", colon > 0 ? text[(colon + 2)..] : text);
        }
        else
        {
            Log.ZapConfiguration(logger, text);
        }
    }
}
