using System.Text;

namespace ZmqNative.Patterns.Titanic;

/// <summary>The status of a TSP answer (RFC 9 "Status Frames"), plus <see cref="NoAnswer"/> for silence.</summary>
public enum TitanicStatus
{
    /// <summary>Not a TSP code: Titanic (or the broker) did not answer within the client's timeout and retries; try again later.</summary>
    NoAnswer = 0,

    /// <summary>"200" OK: stored (titanic.request), the reply is here (titanic.reply), closed (titanic.close).</summary>
    Ok = 200,

    /// <summary>"300" PENDING: no reply yet; ask again later (titanic.reply).</summary>
    Pending = 300,

    /// <summary>"400" UNKNOWN: an invalid or unknown UUID (or, here, a request without a usable service name); do not retry.</summary>
    Unknown = 400,

    /// <summary>"500" ERROR: Titanic could not do it (e.g. its disk failed); try again later.</summary>
    Error = 500,
}

/// <summary>
/// Names and codes of the Titanic Service Protocol (RFC 9/TSP), as the RFC and the Guide's titanic.c use
/// them, and the Guide's defaults.
/// </summary>
public static class TitanicProtocol
{
    /// <summary>The service that stores a request: [service][body...] in, [200][UUID] out.</summary>
    public const string RequestService = "titanic.request";

    /// <summary>The service that returns a reply: [UUID] in, [200][reply...], [300] or [400] out.</summary>
    public const string ReplyService = "titanic.reply";

    /// <summary>The service that forgets a request and its reply: [UUID] in, [200] out.</summary>
    public const string CloseService = "titanic.close";

    /// <summary>Service names with this prefix are Titanic's own; requests for them are refused (they would loop through Titanic).</summary>
    public const string Prefix = "titanic.";

    /// <summary>The Guide's storage directory (TITANIC_DIR in titanic.c).</summary>
    public const string DefaultDirectory = ".titanic";

    /// <summary>How long the dispatcher waits for a service's reply before trying the request again later: 1000 ms (titanic.c's mdcli_set_timeout).</summary>
    public static readonly TimeSpan DefaultDispatchTimeout = TimeSpan.FromMilliseconds(1000);

    /// <summary>How often the dispatcher goes through the pending requests when nothing new arrives: once per second (titanic.c).</summary>
    public static readonly TimeSpan DefaultDispatchInterval = TimeSpan.FromSeconds(1);

    /// <summary>The status frame's text: "200", "300", "400" or "500".</summary>
    /// <param name="status">A TSP status (not <see cref="TitanicStatus.NoAnswer"/>).</param>
    /// <returns>The three digits as a frame.</returns>
    public static byte[] StatusFrame(TitanicStatus status) => status == TitanicStatus.NoAnswer
        ? throw new ArgumentOutOfRangeException(nameof(status), "NoAnswer is not a TSP status code.")
        : Encoding.ASCII.GetBytes(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Reads a status frame: three digits, optionally followed by a space and text the client must not
    /// rely on (RFC 9). Any other frame, or a code RFC 9 does not define, is <see cref="TitanicStatus.Error"/>.
    /// </summary>
    /// <param name="frame">The first frame of a TSP answer.</param>
    /// <returns>The status it carries.</returns>
    public static TitanicStatus ParseStatus(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 3 || (frame.Length > 3 && frame[3] != (byte)' '))
        {
            return TitanicStatus.Error;
        }

        return Encoding.ASCII.GetString(frame[..3]) switch
        {
            "200" => TitanicStatus.Ok,
            "300" => TitanicStatus.Pending,
            "400" => TitanicStatus.Unknown,
            _ => TitanicStatus.Error,
        };
    }
}
