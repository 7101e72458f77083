using System.Text;

namespace ZmqNative.Examples.Chapter5;

/// <summary>The snapshot side of Clone models 2 to 4: answer ICANHAZ? with the map (filtered by subtree) and a KTHXBAI.</summary>
internal static class CloneSnapshot
{
    /// <summary>
    /// Reads one request from the snapshot ROUTER: [identity]["ICANHAZ?"] (models 2-3) or with a [subtree] (model 4).
    /// Returns false for anything else: the Guide aborts there; we report it and keep serving.
    /// </summary>
    public static bool TryRead(List<byte[]> frames, out byte[] identity, out string subtree)
    {
        identity = frames.Count > 0 ? frames[0] : [];
        subtree = frames.Count == 3 ? Encoding.UTF8.GetString(frames[2]) : string.Empty;
        return frames.Count is 2 or 3 && Encoding.UTF8.GetString(frames[1]) == "ICANHAZ?";
    }

    /// <summary>Sends every entry under <paramref name="subtree"/>, then KTHXBAI with <paramref name="sequence"/> (and the subtree as its body).</summary>
    public static void Send(ZmqSocket snapshot, byte[] identity, IEnumerable<KvSimple> entries, long sequence, string subtree)
    {
        foreach (var entry in entries.Where(e => e.Key.StartsWith(subtree, StringComparison.Ordinal)))
        {
            snapshot.SendMultipart([identity, .. entry.ToFrames()]);
        }

        snapshot.SendMultipart([identity, .. KvSimple.Of("KTHXBAI", sequence, subtree).ToFrames()]);
    }

    /// <summary>The client side: asks for the snapshot and reads it into <paramref name="map"/>; returns the KTHXBAI's sequence.</summary>
    public static long Fetch(ZmqSocket snapshot, Dictionary<string, KvSimple> map, string? subtree, CancellationToken cancel)
    {
        if (subtree is null)
        {
            snapshot.Send("ICANHAZ?");
        }
        else
        {
            snapshot.SendMultipart(["ICANHAZ?", subtree]);
        }

        while (!cancel.IsCancellationRequested)
        {
            if (!snapshot.TryReceiveMultipart(TimeSpan.FromMilliseconds(100), out var frames) || !KvSimple.TryParse(frames, out var kvmsg))
            {
                continue;
            }

            if (kvmsg.Key == "KTHXBAI")
            {
                return kvmsg.Sequence;
            }

            kvmsg.Store(map);
        }

        return -1;
    }
}
