using System.Net;
using System.Net.Sockets;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter5;

/// <summary>Ports for the chapter 5 examples, which use a port P and the next two (P + 1, P + 2) as the Guide lays them out.</summary>
internal static class Chapter5Ports
{
    /// <summary>A port P such that P, P + 1 and P + 2 were all free a moment ago (below the ephemeral range, as <see cref="ZguideProcess.FreePort"/>).</summary>
    public static int FreeTriple()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = ZguideProcess.FreePort();
            if (port + 2 < 32000 && IsFree(port + 1) && IsFree(port + 2))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no three consecutive free ports found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
