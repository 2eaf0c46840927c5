using System.Diagnostics.Metrics;

namespace Keyslot.SideBySide;

/// <summary>Keyslot under test.</summary>
internal sealed partial class KeyslotClient : IClientUnderTest, IDataTypeClient
{
    private readonly ClusterClient _client;
    private readonly MeterListener _refreshes = new();
    private long _topologyReads;

    private KeyslotClient(ClusterClient client)
    {
        _client = client;
        // The refresh counter is process-wide: the harness runs one Keyslot client at a time.
        _refreshes.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KeyslotTelemetry.Name && instrument.Name == "keyslot.topology.refreshes") listener.EnableMeasurementEvents(instrument);
        };
        _refreshes.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _topologyReads, value));
        _refreshes.Start();
    }

    public long TopologyReads => Interlocked.Read(ref _topologyReads);

    public string Name => "Keyslot";

    public static async Task<KeyslotClient> ConnectAsync(string configuration) => new(await ClusterClient.ConnectAsync(configuration));

    public async Task PopulateAsync(Workload workload)
    {
        var writes = new Task<bool>[workload.Keys.Length];
        for (int i = 0; i < writes.Length; i++) writes[i] = _client.StringSetAsync(workload.Keys[i], workload.Values[i]).AsTask();
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
                            if (Workload.IsSet(op)) await _client.StringSetAsync(workload.KeyOf(op), workload.ValueOf(op));
                            else await _client.StringGetAsync(workload.KeyOf(op));
                        }
                        catch (RedisException ex)
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
                await _client.StringGetAsync(workload.KeyOf(i));
            }
            catch (RedisException ex)
            {
                errors.Add(ex);
            }
            ticks[i] = System.Diagnostics.Stopwatch.GetTimestamp() - start;
        }
    }

    public async Task RunSetBatchAsync(Workload workload, int first, int count)
    {
        ClusterBatch batch = _client.CreateBatch();
        var sets = new ValueTask<bool>[count];
        for (int i = 0; i < count; i++) sets[i] = batch.StringSetAsync(workload.KeyOf(first + i), workload.ValueOf(first + i));
        batch.Execute();
        foreach (ValueTask<bool> set in sets) await set;
    }

    public async Task<int> RunMultiGetAsync(string[] keys)
    {
        var redisKeys = new RedisKey[keys.Length];
        for (int i = 0; i < keys.Length; i++) redisKeys[i] = keys[i];
        string?[] values = await _client.StringGetAsync(redisKeys); // split by slot inside the client
        return values.Length;
    }

    public Task SetAsync(string key, string value) => _client.StringSetAsync(key, value).AsTask();

    public Task<string?> GetAsync(string key) => _client.StringGetAsync(key).AsTask();

    public bool IsCommandError(Exception error) => error is RedisException;

    public ValueTask DisposeAsync()
    {
        _refreshes.Dispose();
        return _client.DisposeAsync();
    }
}
