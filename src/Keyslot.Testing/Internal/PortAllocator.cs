using System.Net;
using System.Net.Sockets;

namespace Keyslot.Testing.Internal;

/// <summary>
/// Picks random ports where both <c>port</c> and <c>port + 10000</c> (cluster bus) are free on 127.0.0.1.
/// Ports stay below the Linux ephemeral range so outgoing connections cannot take them.
/// </summary>
internal static class PortAllocator
{
    private const int Low = 12000;
    private const int High = 22000; // bus ports stay below 32000
    private static readonly HashSet<int> Reserved = [];
    private static readonly Lock Sync = new();

    public static int Allocate()
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(Low, High);
            lock (Sync)
            {
                if (Reserved.Contains(port) || Reserved.Contains(port + 10000) || Reserved.Contains(port - 10000))
                {
                    continue;
                }

                if (IsFree(port) && IsFree(port + 10000))
                {
                    Reserved.Add(port);
                    return port;
                }
            }
        }

        throw new LocalRedisClusterException($"Found no free port pair (port, port+10000) in {Low}-{High} on 127.0.0.1.");
    }

    /// <summary>Allows a port to be chosen again (after its node is gone).</summary>
    public static void Release(int port)
    {
        lock (Sync)
        {
            Reserved.Remove(port);
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Server.ExclusiveAddressUse = true;
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
