using StackExchange.Redis;

namespace Keyslot.SideBySide;

/// <summary>StackExchange.Redis under test, with its usual cluster setup (one multiplexer, IDatabase).</summary>
internal sealed partial class StackExchangeClient : IClientUnderTest, IDataTypeClient
{
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly IDatabase _db;

    private long _topologyReads;

    private StackExchangeClient(ConnectionMultiplexer multiplexer)
    {
        _multiplexer = multiplexer;
        _db = multiplexer.GetDatabase();
        _multiplexer.ConfigurationChanged += (_, _) => Interlocked.Increment(ref _topologyReads);
    }

    public long TopologyReads => Interlocked.Read(ref _topologyReads);

    public string Name => "StackExchange.Redis";

    public static async Task<StackExchangeClient> ConnectAsync(string configuration)
    {
        ConfigurationOptions options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        return new StackExchangeClient(await ConnectionMultiplexer.ConnectAsync(options));
    }

    public async Task PopulateAsync(Workload workload)
    {
        var writes = new Task<bool>[workload.Keys.Length];
        for (int i = 0; i < writes.Length; i++) writes[i] = _db.StringSetAsync(workload.Keys[i], workload.Values[i]);
        await Task.WhenAll(writes);
    }

    public Task RunMixAsync(Workload workload, long first, long count, int concurrency, ErrorCounter errors)
    {
        var claims = new OperationClaims(first, count);
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (claims.TryClaim(out long from, out long to))
                {
                    for (long op = from; op < to; op++)
                    {
                        try
                        {
                            if (Workload.IsSet(op)) await _db.StringSetAsync(workload.KeyOf(op), workload.ValueOf(op));
                            else await _db.StringGetAsync(workload.KeyOf(op));
                        }
                        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
                        {
                            errors.Add(ex);
                        }
                    }
                }
            });
        }
        return Task.WhenAll(workers);
    }

    public async Task RunSequentialGetsAsync(Workload workload, long[] ticks, ErrorCounter errors)
    {
        for (int i = 0; i < ticks.Length; i++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await _db.StringGetAsync(workload.KeyOf(i));
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                errors.Add(ex);
            }
            ticks[i] = System.Diagnostics.Stopwatch.GetTimestamp() - start;
        }
    }

    public async Task RunSetBatchAsync(Workload workload, int first, int count)
    {
        IBatch batch = _db.CreateBatch();
        var sets = new Task<bool>[count];
        for (int i = 0; i < count; i++) sets[i] = batch.StringSetAsync(workload.KeyOf(first + i), workload.ValueOf(first + i));
        batch.Execute();
        await Task.WhenAll(sets);
    }

    /// <summary>StackExchange.Redis refuses cross-slot MGET, so this is what a user writes by hand: one MGET per slot.</summary>
    public async Task<int> RunMultiGetAsync(string[] keys)
    {
        var bySlot = new Dictionary<int, List<int>>();
        for (int i = 0; i < keys.Length; i++)
        {
            int slot = _multiplexer.HashSlot(keys[i]);
            if (!bySlot.TryGetValue(slot, out List<int>? positions)) bySlot[slot] = positions = [];
            positions.Add(i);
        }
        var parts = new List<(List<int> Positions, Task<RedisValue[]> Values)>(bySlot.Count);
        foreach (List<int> positions in bySlot.Values)
        {
            var slotKeys = new StackExchange.Redis.RedisKey[positions.Count];
            for (int i = 0; i < slotKeys.Length; i++) slotKeys[i] = keys[positions[i]];
            parts.Add((positions, _db.StringGetAsync(slotKeys)));
        }
        var result = new RedisValue[keys.Length];
        foreach ((List<int> positions, Task<RedisValue[]> values) in parts)
        {
            RedisValue[] partValues = await values;
            for (int i = 0; i < positions.Count; i++) result[positions[i]] = partValues[i];
        }
        return result.Length;
    }

    public Task SetAsync(string key, string value) => _db.StringSetAsync(key, value);

    public async Task<string?> GetAsync(string key) => await _db.StringGetAsync(key);

    public bool IsCommandError(Exception error) => error is StackExchange.Redis.RedisException or TimeoutException;

    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync();
}
