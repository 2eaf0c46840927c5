namespace Keyslot.SideBySide;

/// <summary>
/// One client in the side-by-side run. Each implementation runs the same loops with its own native API (no adapter
/// layer on the hot path, so neither client pays for the harness): the figures compare the clients, not wrappers.
/// </summary>
internal interface IClientUnderTest : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Writes every key once (untimed), so GETs find values.</summary>
    Task PopulateAsync(Workload workload);

    /// <summary>Runs operations [first, first + count) of the workload with <paramref name="concurrency"/> in flight.</summary>
    Task RunMixAsync(Workload workload, long first, long count, int concurrency, ErrorCounter errors);

    /// <summary>One SET, for the scenario load (not a hot-path measurement: a plain Task is fine here).</summary>
    Task SetAsync(string key, string value);

    /// <summary>One GET, for the scenario load.</summary>
    Task<string?> GetAsync(string key);

    /// <summary>Whether an exception is this client's report of a failed command (and not a bug in the harness).</summary>
    bool IsCommandError(Exception error);

    /// <summary>Sends <paramref name="count"/> SETs (keys across all slots) as one batch and waits for all of them.</summary>
    Task RunSetBatchAsync(Workload workload, int first, int count);

    /// <summary>Reads <paramref name="keys"/> (spread across slots) with MGET and returns how many values came back.</summary>
    Task<int> RunMultiGetAsync(string[] keys);

    /// <summary>Runs sequential GETs and records each one's latency in Stopwatch ticks.</summary>
    Task RunSequentialGetsAsync(Workload workload, long[] ticks, ErrorCounter errors);

    /// <summary>
    /// How often the client has read the cluster's topology since it connected: Keyslot's slot-map refreshes (changed
    /// or not), StackExchange.Redis's configuration changes (its <c>ConfigurationChanged</c> events).
    /// </summary>
    long TopologyReads { get; }
}
