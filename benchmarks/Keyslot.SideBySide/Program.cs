// The side-by-side load run: Keyslot and StackExchange.Redis in one process, on the same cluster, in the same run.
//   dotnet run -c Release --project benchmarks/Keyslot.SideBySide                      local 3×1 cluster, full size
//   dotnet run -c Release --project benchmarks/Keyslot.SideBySide -- --quick           a smaller smoke run
//   dotnet run -c Release --project benchmarks/Keyslot.SideBySide -- --scenarios      failover/resharding scenarios (local clusters)
//   dotnet run -c Release --project benchmarks/Keyslot.SideBySide -- --datatypes [--rounds N]   sorted sets and streams
//   dotnet run -c Release --project benchmarks/Keyslot.SideBySide -- --pubsub [--rounds N]      publish/receive through the cluster
//   dotnet run -c Release --project benchmarks/Keyslot.SideBySide -- --cache [--rounds N] [--ops N] [--keys N] [--zipf s] [--writes %] [--uniform-writes] [--concurrency N]
//       client-side cache (issue 15): 90/10 GET/SET over Zipf keys, Keyslot cached vs uncached vs StackExchange.Redis; --only "Keyslot cached" runs one client (for a profiler)
//   dotnet run -c Release --project benchmarks/Keyslot.SideBySide -- --soak [--minutes 30]   the bounded soak (Keyslot only)
//   dotnet run -c Release --project benchmarks/Keyslot.SideBySide -- --scale [--primaries 90] [--ops 1000000]   90 × 1 local cluster (180 processes), ~10 min
//   options: --ops N --concurrency N --rounds N --endpoint "<config string>" --listen --only Keyslot (one client, for a profiler); --scenarios [name,name…] --workers N --timeout ms
//   --listen attaches an ActivityListener (all data, every span) and a MeterListener (every Keyslot instrument) for
//   the whole run: the cost of Keyslot's telemetry when something listens (StackExchange.Redis has no spans to listen to)
using System.Globalization;
using System.Runtime.InteropServices;
using Keyslot.SideBySide;
using Keyslot.SideBySide.Scenarios;
using Keyslot.Testing;

if (args.Length > 0 && args[0] == "--soak")
{
    double minutes = Array.IndexOf(args, "--minutes") is int m and >= 0 ? double.Parse(args[m + 1], CultureInfo.InvariantCulture) : 30;
    return await Keyslot.SideBySide.Soak.SoakRunner.RunAsync(minutes);
}

if (args.Length > 0 && args[0] == "--scale")
{
    return await Keyslot.SideBySide.Scale.ScaleRun.RunAsync(args);
}

if (args.Length > 0 && args[0] == "--scenarios")
{
    string[] names = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1].Split(',') : ScenarioRunner.All;
    int workers = Array.IndexOf(args, "--workers") is int w and >= 0 ? int.Parse(args[w + 1], CultureInfo.InvariantCulture) : 200;
    // Both clients read syncTimeout/asyncTimeout from the same string; default: each client's own default (5 s for both).
    string timeouts = Array.IndexOf(args, "--timeout") is int t and >= 0 ? $",syncTimeout={args[t + 1]},asyncTimeout={args[t + 1]}" : "";
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RedisVersion()}");
    Console.WriteLine($"scenarios: {string.Join(", ", names)}; {workers} commands in flight, 50/50 GET/SET with versioned values; fresh 3×1 cluster per run (4×1 for remove-shard), node timeout 2 s; command timeout {(timeouts.Length == 0 ? "default (5 s)" : timeouts)}");
    List<ScenarioResult> scenarioResults = await ScenarioRunner.RunAsync(names, workers, timeouts,
    [
        ("Keyslot", async config => await KeyslotClient.ConnectAsync(config)),
        ("StackExchange.Redis", async config => await StackExchangeClient.ConnectAsync(config)),
    ]);
    Console.WriteLine();
    Console.WriteLine(ScenarioRunner.Table(scenarioResults));
    return 0;
}

if (args.Length > 0 && args[0] == "--pubsub")
{
    int rounds = Array.IndexOf(args, "--rounds") is int r and >= 0 ? int.Parse(args[r + 1], CultureInfo.InvariantCulture) : 3;
    const int messages = 200_000, inFlight = 100;
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RedisVersion()}");
    Console.WriteLine($"pubsub: {messages:N0} messages of 16 bytes per round to one classic channel, {inFlight} publishes in flight, a counting handler; " +
        $"{rounds} round(s), order alternating; local 3×1 cluster");
    await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync();
    await using KeyslotClient ks = await KeyslotClient.ConnectAsync(cluster.ConfigurationString);
    await using StackExchangeClient se = await StackExchangeClient.ConnectAsync(cluster.ConfigurationString);
    List<PubSubRun.Result> pubSubResults = await PubSubRun.RunAsync([ks, se], rounds, messages, inFlight);
    Console.WriteLine();
    Console.WriteLine(PubSubRun.Table(pubSubResults));
    return 0;
}

if (args.Length > 0 && args[0] == "--cache")
{
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RedisVersion()}; " +
        (File.Exists("/proc/loadavg") ? $"load average {File.ReadAllText("/proc/loadavg").Trim()}" : ""));
    return await CacheRun.RunAsync(args);
}

if (args.Length > 0 && args[0] == "--datatypes")
{
    int rounds = Array.IndexOf(args, "--rounds") is int r and >= 0 ? int.Parse(args[r + 1], CultureInfo.InvariantCulture) : 3;
    const long sortedSetOps = 200_000, streamCycles = 50_000;
    const int inFlight = 100;
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RedisVersion()}");
    Console.WriteLine($"datatypes: {sortedSetOps:N0} sorted-set ops (50/50 ZADD / ZRANGE 0 9 WITHSCORES over 100 sets), {streamCycles:N0} stream cycles " +
        $"(XADD, XREADGROUP COUNT 1, XACK; one stream per worker); {inFlight} in flight; {rounds} round(s), order alternating; local 3×1 cluster");
    await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync();
    await using KeyslotClient ks = await KeyslotClient.ConnectAsync(cluster.ConfigurationString);
    await using StackExchangeClient se = await StackExchangeClient.ConnectAsync(cluster.ConfigurationString);
    List<DataTypeRun.Result> dataTypeResults = await DataTypeRun.RunAsync([ks, se], rounds, sortedSetOps, streamCycles, inFlight);
    Console.WriteLine();
    Console.WriteLine(DataTypeRun.Table(dataTypeResults));
    return 0;
}

RunSettings settings = Arguments.Parse(args, out string? endpoint, out string? only);
using TelemetryListeners? listening = Array.IndexOf(args, "--listen") >= 0 ? new TelemetryListeners() : null;
if (listening is not null) Console.WriteLine("telemetry: an ActivityListener and a MeterListener are attached to Keyslot's source and meter");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RedisVersion()}");
Console.WriteLine($"workload: {settings.Operations:N0} ops 50/50 GET/SET, 16-byte values over {settings.KeyCount:N0} keys, {settings.Concurrency:N0} in flight; " +
    $"{settings.LatencySamples:N0} sequential GETs; {settings.Rounds} round(s), order alternating");

LocalRedisCluster? local = endpoint is null ? await LocalRedisCluster.StartAsync() : null;
string configuration = endpoint ?? local!.ConfigurationString;
int[] serverPids = local is null ? [] : [.. local.Nodes.Select(n => n.ProcessId)];
var results = new List<Measurement>();
try
{
    await using KeyslotClient keyslot = await KeyslotClient.ConnectAsync(configuration);
    await using StackExchangeClient stackExchange = await StackExchangeClient.ConnectAsync(configuration);
    var workloads = new Dictionary<string, Workload>
    {
        [keyslot.Name] = new Workload("ks:", settings.KeyCount),
        [stackExchange.Name] = new Workload("se:", settings.KeyCount),
    };
    await keyslot.PopulateAsync(workloads[keyslot.Name]);
    await stackExchange.PopulateAsync(workloads[stackExchange.Name]);

    // Before the first round, each client runs unmeasured operations twice, resting after each pass: the runtime
    // compiles hot methods again at tier 1 on a background thread, and that CPU must not land in a measured round.
    // The second pass covers methods whose call counting the other client's warm-up postponed. Each round prints
    // the JIT's work during it: after this warm-up, at most a few tens of milliseconds in any round.
    for (int pass = 0; pass < 2; pass++)
    {
        foreach (IClientUnderTest client in new IClientUnderTest[] { keyslot, stackExchange })
        {
            if (only is not null && client.Name != only) continue;
            await client.RunMixAsync(workloads[client.Name], 0, settings.Operations / (pass == 0 ? 2 : 4), settings.Concurrency, new ErrorCounter());
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
    }
    Console.WriteLine($"warm-up: {settings.Operations / 2:N0} and then {settings.Operations / 4:N0} unmeasured ops per client, each pass followed by 2 s for background tier-1 compilation");

    var multiKey = new List<MultiKeyMeasurement>();
    for (int round = 0; round < settings.Rounds; round++)
    {
        IClientUnderTest[] order = round % 2 == 0 ? [keyslot, stackExchange] : [stackExchange, keyslot];
        foreach (IClientUnderTest client in order)
        {
            if (only is not null && client.Name != only) continue;
            Measurement m = await Measurement.TakeAsync(client, workloads[client.Name], settings, serverPids);
            results.Add(m);
            Console.WriteLine($"round {round + 1} {m.Client,-20} {m.OpsPerSecond,10:N0} ops/s  {m.CpuSecondsPerMillion,6:0.00} CPU-s/1M  {m.BytesPerOperation,7:0.0} B/op  " +
                $"GC {m.Gen0}/{m.Gen1}/{m.Gen2}  GET p50 {m.LatencyP50Us,6:0} µs p99 {m.LatencyP99Us,6:0} µs p99.9 {m.LatencyP999Us,6:0} µs  errors {m.Errors}  steal {m.StealPercent:0.0} %  servers {m.ServerCpuSecondsPerMillion:0.00} CPU-s/1M  JIT {m.JitMethods} methods {m.JitMilliseconds:0} ms  pool {m.PoolThreads} threads {m.WorkItemsPerOperation:0.00} items/op  " +
                $"switches {m.SwitchesPerThousand.Voluntary:0.0}+{m.SwitchesPerThousand.Involuntary:0.0} per 1k ops");
            MultiKeyMeasurement k = await MultiKeyMeasurement.TakeAsync(client, workloads[client.Name]);
            multiKey.Add(k);
            Console.WriteLine($"round {round + 1} {k.Client,-20} batch of 10,000 SETs {k.BatchMedianMs,7:0.00} ms ({k.BatchBytes / 10_000,6:0.0} B/SET)  " +
                $"MGET of 100 keys across slots {k.MgetMedianUs,7:0} µs ({k.MgetBytes,8:N0} B)");
        }
    }
    Console.WriteLine();
    foreach (IGrouping<string, MultiKeyMeasurement> client in multiKey.GroupBy(k => k.Client))
    {
        Console.WriteLine($"| {client.Key} | {Median(client.Select(k => k.BatchMedianMs)):0.00} ms | {Median(client.Select(k => k.BatchBytes)) / 10_000:0.0} | " +
            $"{Median(client.Select(k => k.MgetMedianUs)):0} µs | {Median(client.Select(k => k.MgetBytes)):N0} |");
    }
}
finally
{
    if (local is not null) await local.DisposeAsync();
}

Console.WriteLine();
Console.WriteLine(Report.Format(results));
int errors = results.Sum(r => r.Errors);
if (errors > 0)
{
    foreach (Measurement m in results.Where(r => r.Errors > 0)) Console.WriteLine($"{m.Client}: {m.ErrorDetail}");
}
return errors == 0 ? 0 : 1;

static double Median(IEnumerable<double> values)
{
    double[] sorted = [.. values.Order()];
    return sorted[sorted.Length / 2];
}

static string RedisVersion()
{
    try
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("redis-server", "--version") { RedirectStandardOutput = true });
        string text = process!.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text.Split(' ').FirstOrDefault(p => p.StartsWith("v=", StringComparison.Ordinal)) is { } v ? "redis-server " + v[2..] : "redis-server";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "redis-server not on PATH";
    }
}

/// <summary>Command-line options.</summary>
internal static class Arguments
{
    public static RunSettings Parse(string[] args, out string? endpoint, out string? only)
    {
        endpoint = null;
        only = null;
        long ops = 1_000_000;
        int concurrency = 1000, rounds = 1, samples = 50_000, keys = 100_000;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": ops = 100_000; samples = 5_000; break;
                case "--ops": ops = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--endpoint": endpoint = args[++i]; break;
                case "--only": only = args[++i]; break; // one client's rounds only, for a profiler: Keyslot or StackExchange.Redis
                case "--listen": break; // read in Program
                default: throw new ArgumentException($"Unknown option {args[i]}; see the comment at the top of Program.cs.");
            }
        }
        return new RunSettings(ops, concurrency, keys, samples, Math.Min(ops / 5, 100_000), rounds);
    }
}
