using System.Text;

namespace ZmqNative;

/// <summary>
/// A message as a ROUTER socket sees it (the Guide, chapter 3, "The Request-Reply Mechanisms"):
/// the <see cref="Envelope"/>, i.e. the routing ids each ROUTER on the way pushed in front of it,
/// then the empty delimiter frame when it came from a REQ; and the <see cref="Body"/> after that.
/// To answer, send <see cref="Reply(IEnumerable{byte[]})"/>'s result back through the ROUTER: the
/// same envelope in front of the new body takes it back along the same path.
/// </summary>
/// <remarks>
/// Without an empty frame (a DEALER talking to a ROUTER) the envelope is the first frame alone,
/// the routing id the ROUTER added. With one, the envelope runs up to and including the first
/// empty frame, so several hops (REQ → ROUTER|DEALER proxy → ROUTER) keep every routing id.
/// </remarks>
public sealed class ZmqRoutedMessage
{
    /// <summary>Creates a message from its envelope and body frames.</summary>
    /// <param name="envelope">The routing frames, at least one (the routing id of the peer to send to).</param>
    /// <param name="body">The body frames; none is allowed.</param>
    /// <exception cref="ArgumentException">The envelope is empty, or a frame is null.</exception>
    public ZmqRoutedMessage(IEnumerable<byte[]> envelope, IEnumerable<byte[]> body)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(body);
        Envelope = Checked(envelope, nameof(envelope));
        Body = Checked(body, nameof(body));
        if (Envelope.Count == 0)
        {
            throw new ArgumentException("an envelope has at least the routing id of the peer", nameof(envelope));
        }
    }

    /// <summary>The routing frames, the empty delimiter included when there is one.</summary>
    public IReadOnlyList<byte[]> Envelope { get; }

    /// <summary>The frames after the envelope.</summary>
    public IReadOnlyList<byte[]> Body { get; }

    /// <summary>The routing id of the peer the ROUTER received this from (the envelope's first frame).</summary>
    public byte[] RoutingId => Envelope[0];

    /// <summary>Whether the envelope ends with the empty delimiter frame a REQ (or REQ-like DEALER) adds.</summary>
    public bool HasDelimiter => Envelope[^1].Length == 0;

    /// <summary>Splits the frames a ROUTER received into envelope and body (see the remarks on the class).</summary>
    /// <param name="frames">All frames of one message, as received from a ROUTER.</param>
    /// <returns>The routed message.</returns>
    /// <exception cref="ArgumentException">There are no frames, or the first is empty (no routing id).</exception>
    public static ZmqRoutedMessage Split(IReadOnlyList<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0 || frames[0] is null || frames[0].Length == 0)
        {
            throw new ArgumentException("a message from a ROUTER starts with a non-empty routing id", nameof(frames));
        }

        int envelopeLength = 1;
        for (int i = 1; i < frames.Count; i++)
        {
            if (frames[i] is { Length: 0 })
            {
                envelopeLength = i + 1;
                break;
            }
        }

        return new ZmqRoutedMessage(frames.Take(envelopeLength), frames.Skip(envelopeLength));
    }

    /// <summary>The same envelope around a new body: send it through the ROUTER to answer this message.</summary>
    /// <param name="body">The reply's body frames.</param>
    /// <returns>The reply.</returns>
    public ZmqRoutedMessage Reply(IEnumerable<byte[]> body) => new(Envelope, body);

    /// <summary>The same envelope around one UTF-8 text frame.</summary>
    /// <param name="text">The reply's text.</param>
    /// <returns>The reply.</returns>
    public ZmqRoutedMessage Reply(string text) => Reply([Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text)))]);

    /// <summary>Envelope then body, as one list of frames.</summary>
    /// <returns>The frames.</returns>
    public List<byte[]> ToFrames()
    {
        var frames = new List<byte[]>(Envelope.Count + Body.Count);
        frames.AddRange(Envelope);
        frames.AddRange(Body);
        return frames;
    }

    private static byte[][] Checked(IEnumerable<byte[]> frames, string parameter)
    {
        var array = frames.ToArray();
        if (Array.FindIndex(array, f => f is null) is var i and >= 0)
        {
            throw new ArgumentException($"frame {i} is null", parameter);
        }

        return array;
    }
}
