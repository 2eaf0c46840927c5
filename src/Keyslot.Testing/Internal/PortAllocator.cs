using System.Net;
using System.Net.Sockets;

namespace Keyslot.Testing.Internal;

/// <summary>
/// Picks free ports on 127.0.0.1 for a node's client port and its cluster bus port. Without a range: a random
/// <c>port</c> in 12000-21999 with the bus on <c>port + 10000</c> (below the Linux ephemeral range, so outgoing
/// connections cannot take them). With a range: both ports come from inside it (the bus port is set with
/// <c>cluster-port</c>), so nothing the cluster binds leaves the range. Reservations are process-wide, so clusters
/// started in parallel by one test process never pick the same port.
/// </summary>
internal static class PortAllocator
{
    private const int Low = 12000;
    private const int High = 22000; // bus ports stay below 32000
    private const int BusOffset = 10000;
    private static readonly HashSet<int> Reserved = [];
    private static readonly Lock Sync = new();

    /// <summary>Reserves a (client, bus) port pair; <paramref name="first"/>/<paramref name="last"/> null means the default scheme.</summary>
    public static (int Port, int BusPort) Allocate(int? first, int? last)
    {
        if (first is { } low && last is { } high)
        {
            return AllocateInRange(low, high);
        }

        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(Low, High);
            lock (Sync)
            {
                if (Reserved.Contains(port) || Reserved.Contains(port + BusOffset))
                {
                    continue;
                }

                if (IsFree(port) && IsFree(port + BusOffset))
                {
                    Reserved.Add(port);
                    Reserved.Add(port + BusOffset);
                    return (port, port + BusOffset);
                }
            }
        }

        throw new LocalRedisClusterException($"Found no free port pair (port, port+10000) in {Low}-{High - 1} on 127.0.0.1.");
    }

    /// <summary>Allows both ports to be chosen again (after their node is gone).</summary>
    public static void Release(int port, int busPort)
    {
        lock (Sync)
        {
            Reserved.Remove(port);
            Reserved.Remove(busPort);
        }
    }

    /// <summary>Scans the whole range once from a random offset (so parallel runs sharing a range rarely collide).</summary>
    private static (int Port, int BusPort) AllocateInRange(int low, int high)
    {
        var size = high - low + 1;
        var offset = Random.Shared.Next(size);
        lock (Sync)
        {
            var found = new List<int>(2);
            for (var i = 0; i < size && found.Count < 2; i++)
            {
                var port = low + ((offset + i) % size);
                if (!Reserved.Contains(port) && IsFree(port))
                {
                    found.Add(port);
                }
            }

            if (found.Count < 2)
            {
                throw new LocalRedisClusterException(
                    $"The port range {low}-{high} has no two free ports left on 127.0.0.1 (each node needs a client port and a cluster bus port, " +
                    $"{Reserved.Count(p => p >= low && p <= high)} of the range's {size} ports are taken by this process's clusters, the rest by other programs); " +
                    "widen FirstPort-LastPort.");
            }

            Reserved.Add(found[0]);
            Reserved.Add(found[1]);
            return (found[0], found[1]);
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
