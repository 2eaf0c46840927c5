using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Keyslot;

/// <summary>
/// Keyslot's traces and metrics, with System.Diagnostics only (no OpenTelemetry dependency here; the
/// Keyslot.OpenTelemetry package wires them into OpenTelemetry's providers). Both are named
/// <see cref="Name"/> (<c>"Keyslot"</c>) and follow the OpenTelemetry database semantic conventions: one client span
/// per command (<c>db.system.name</c> = <c>redis</c>, <c>db.operation.name</c>, <c>server.address</c>,
/// <c>server.port</c>, <c>error.type</c>; never arguments or values), the <c>db.client.operation.duration</c>
/// histogram, and counters of redirects, retries, timeouts, topology refreshes and connections, plus the commands in
/// flight per node. With nothing listening, a command pays one check of each.
/// </summary>
public static class KeyslotTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and of the <see cref="Meter"/>.</summary>
    public const string Name = "Keyslot";

    private static readonly string? Version = typeof(KeyslotTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    /// <summary>The source of one client span per command.</summary>
    public static ActivitySource Source { get; } = new(Name, Version);

    /// <summary>The meter of Keyslot's instruments.</summary>
    public static Meter Meter { get; } = new(Name, Version);

    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "db.client.operation.duration", unit: "s", description: "Duration of database client operations.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });

    internal static readonly Counter<long> Redirects = Meter.CreateCounter<long>("keyslot.redirects", "{redirect}", "MOVED and ASK replies followed (tag keyslot.redirect.kind).");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("keyslot.retries", "{retry}", "Commands waiting out a busy cluster (TRYAGAIN, CLUSTERDOWN, LOADING…) or sent again after a lost connection.");

    internal static readonly Counter<long> Timeouts = Meter.CreateCounter<long>("keyslot.timeouts", "{timeout}", "Commands that failed with a timeout.");

    internal static readonly Counter<long> TopologyRefreshes = Meter.CreateCounter<long>("keyslot.topology.refreshes", "{refresh}", "Slot-map refreshes (tag keyslot.refresh.outcome: changed, unchanged, failed).");

    internal static readonly Counter<long> ConnectionsOpened = Meter.CreateCounter<long>("keyslot.connections.opened", "{connection}", "Connections made to nodes (tag keyslot.connection.role).");

    internal static readonly Counter<long> ConnectionsLost = Meter.CreateCounter<long>("keyslot.connections.lost", "{connection}", "Established connections lost (tag keyslot.connection.role).");

    internal static readonly Counter<long> ConnectionsRenewed = Meter.CreateCounter<long>("keyslot.connections.renewed", "{connection}", "Connections replaced because they reached the maximum connection age (tag keyslot.connection.role).");

    internal static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("keyslot.client_cache.hits", "{read}", "Reads answered by the client-side cache.");

    internal static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("keyslot.client_cache.misses", "{read}", "Cacheable reads the client-side cache could not answer (sent to the server).");

    internal static readonly Counter<long> CacheEvictions = Meter.CreateCounter<long>("keyslot.client_cache.evictions", "{entry}", "Client-side cache entries evicted for room (entries found dead are dropped without counting).");

    internal static readonly Counter<long> CacheInvalidations = Meter.CreateCounter<long>("keyslot.client_cache.invalidations", "{invalidation}", "Keys invalidated by the server's tracking pushes (a flush counts once).");

    private static readonly ConcurrentDictionary<Routing.Router, byte> Routers = new();

    static KeyslotTelemetry()
    {
        Meter.CreateObservableUpDownCounter("keyslot.commands.in_flight", ObserveInFlight, "{command}", "Commands written to a node's connection and awaiting their reply, per node.");
        Meter.CreateObservableGauge("keyslot.client_cache.entries", () => SumOverCaches(static c => c.Count), "{entry}", "Entries in the client-side caches of the process.");
        Meter.CreateObservableGauge("keyslot.client_cache.bytes", () => SumOverCaches(static c => c.Bytes), "By", "Bytes held by the client-side caches of the process (keys, values and overhead).");
    }

    /// <summary>A client's router, for the in-flight gauge (removed when the client is disposed).</summary>
    internal static void Track(Routing.Router router) => Routers.TryAdd(router, 0);

    internal static void Untrack(Routing.Router router) => Routers.TryRemove(router, out _);

    private static long SumOverCaches(Func<ClientSideCache.ClientCache, long> measure)
    {
        long total = 0;
        foreach (Routing.Router router in Routers.Keys)
        {
            if (router.Cache is { } cache) total += measure(cache);
        }
        return total;
    }

    /// <summary>
    /// One measurement per node, summed over the process's clients: two clients on one node (a default and a keyed
    /// one) would otherwise give two values for the same tags, and an OpenTelemetry exporter keeps only one of them.
    /// </summary>
    private static IEnumerable<Measurement<long>> ObserveInFlight()
    {
        var byNode = new Dictionary<NodeEndpoint, long>();
        foreach (Routing.Router router in Routers.Keys)
        {
            foreach ((NodeEndpoint node, int inFlight) in router.InFlightByNode())
            {
                byNode[node] = byNode.GetValueOrDefault(node) + inFlight;
            }
        }
        foreach ((NodeEndpoint node, long inFlight) in byNode)
        {
            yield return new Measurement<long>(inFlight, new KeyValuePair<string, object?>("server.address", node.Host), new KeyValuePair<string, object?>("server.port", node.Port));
        }
    }

    /// <summary>Starts a command's span when something listens; the caller's <see cref="Activity.Current"/> is left as it was.</summary>
    internal static Activity? StartCommand(string command)
    {
        if (!Source.HasListeners()) return null;
        Activity? previous = Activity.Current;
        try
        {
            Activity? activity = Source.StartActivity(command, ActivityKind.Client);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("db.system.name", "redis");
                activity.SetTag("db.operation.name", command);
            }
            return activity;
        }
        catch (Exception)
        {
            return null; // a listener's own failure never fails a command
        }
        finally
        {
            Activity.Current = previous; // the span belongs to the command, not to what the caller does next
        }
    }

    /// <summary>Ends a command's span and records its duration: the one place every routed command passes when it ends.</summary>
    internal static void EndCommand(Activity? activity, string command, NodeEndpoint node, long startedAt, Exception? error)
    {
        try
        {
            Record(activity, command, node, startedAt, error);
        }
        catch (Exception)
        {
            // A listener's own failure never fails a command (nor leaves it uncompleted: this runs before its result is set).
        }
    }

    private static void Record(Activity? activity, string command, NodeEndpoint node, long startedAt, Exception? error)
    {
        if (activity is not null)
        {
            if (activity.IsAllDataRequested)
            {
                if (!string.IsNullOrEmpty(node.Host))
                {
                    activity.SetTag("server.address", node.Host);
                    activity.SetTag("server.port", node.Port);
                }
                if (error is not null)
                {
                    activity.SetTag("error.type", ErrorType(error));
                    activity.SetStatus(ActivityStatusCode.Error, error.Message);
                }
            }
            // Stop makes the span's parent current on the stopping thread (a read loop, a cancelling caller): put back
            // what was current there.
            Activity? current = Activity.Current;
            activity.Stop();
            if (!ReferenceEquals(Activity.Current, current)) Activity.Current = current;
        }
        if (error is RedisTimeoutException) Timeouts.Add(1);
        if (!OperationDuration.Enabled) return;
        var tags = new TagList
        {
            { "db.system.name", "redis" },
            { "db.operation.name", command },
        };
        if (!string.IsNullOrEmpty(node.Host))
        {
            tags.Add("server.address", node.Host);
            tags.Add("server.port", node.Port);
        }
        if (error is not null) tags.Add("error.type", ErrorType(error));
        OperationDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, tags);
    }

    /// <summary>The server's error kind for a server error (WRONGTYPE, NOPERM…), else the exception's type name.</summary>
    private static string ErrorType(Exception error) => error switch
    {
        RedisServerException server => server.Kind.ToString(),
        OperationCanceledException => "cancelled",
        _ => error.GetType().Name,
    };
}
