// The Keyslot demo: a session store on a Redis Cluster, with latency percentiles.
//   dotnet run --project samples/Keyslot.Demo                       starts a local 3×1 cluster and runs against it
//   dotnet run --project samples/Keyslot.Demo -- "<config string>"  runs against that cluster (only keyslot-demo:* keys are touched)
//   dotnet run --project samples/Keyslot.Demo -- --standalone      the same against a local primary + 2 replicas without cluster mode
//   dotnet run --project samples/Keyslot.Demo -- --shards 90      a local 90×1 cluster instead (--replicas N for N per primary)
//   add --seconds N to change how long the load runs (default 5)
using System.Diagnostics;
using Keyslot;
using Keyslot.Demo;
using Keyslot.Testing;

DemoArguments arguments = DemoArguments.Parse(args);
IAsyncDisposable? local = null;
string configuration;
if (arguments.Standalone)
{
    Console.WriteLine("Starting a local redis-server without cluster mode (1 primary + 2 replicas) on 127.0.0.1 …");
    var started = Stopwatch.StartNew();
    LocalRedisServer server = await LocalRedisServer.StartAsync(replicas: 2);
    local = server;
    configuration = server.ConfigurationString;
    Console.WriteLine($"  up in {started.Elapsed.TotalSeconds:0.0} s");
}
else if (arguments.Configuration is null)
{
    Console.WriteLine($"Starting a local Redis Cluster ({arguments.Shards} primaries × {arguments.Replicas} replica(s)) on 127.0.0.1 …");
    var started = Stopwatch.StartNew();
    LocalRedisCluster cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = arguments.Shards, ReplicasPerPrimary = arguments.Replicas });
    local = cluster;
    configuration = cluster.ConfigurationString;
    Console.WriteLine($"  up in {started.Elapsed.TotalSeconds:0.0} s");
}
else
{
    configuration = arguments.Configuration;
}

try
{
    await using ClusterClient cluster = await ClusterClient.ConnectAsync(configuration);
    Console.WriteLine($"Connected with \"{cluster.Options}\"");
    Console.WriteLine();
    Console.WriteLine(cluster.Topology.IsClusterMode ? "Slot map (as CLUSTER SLOTS shows it):" : "No cluster mode: one shard holds every slot (primary and replicas from ROLE):");
    foreach (SlotRange range in cluster.Topology.SlotRanges)
    {
        Console.WriteLine($"  {range.Start,5}-{range.End,-5}  primary {range.Primary}  replicas {string.Join(", ", range.Replicas)}");
    }
    Console.WriteLine();
    Console.WriteLine($"ClusterClient.GetSlot(\"foo\") = {ClusterClient.GetSlot("foo")}  (owner {cluster.Topology.GetPrimary(ClusterClient.GetSlot("foo"))})");
    await cluster.StringSetAsync("keyslot-demo:foo", "bar", expiry: TimeSpan.FromMinutes(20));
    Console.WriteLine($"GET keyslot-demo:foo = {await cluster.StringGetAsync("keyslot-demo:foo")}");
    Console.WriteLine();

    Console.WriteLine($"Session-store load for {arguments.Duration.TotalSeconds:0} s ({SessionWorkload.Workers} workers, each: HSET+EXPIRE a session, then HGETALL it) …");
    SessionWorkload.Result result = await SessionWorkload.RunAsync(cluster, arguments.Duration);
    Console.WriteLine($"  {result.Operations:N0} operations, {result.Operations / arguments.Duration.TotalSeconds:N0} ops/s, {result.Errors} errors");
    Console.WriteLine($"  writes  p50 {result.Writes.P(50),7:0.000} ms  p90 {result.Writes.P(90),7:0.000} ms  p95 {result.Writes.P(95),7:0.000} ms  p99 {result.Writes.P(99),7:0.000} ms");
    Console.WriteLine($"  reads   p50 {result.Reads.P(50),7:0.000} ms  p90 {result.Reads.P(90),7:0.000} ms  p95 {result.Reads.P(95),7:0.000} ms  p99 {result.Reads.P(99),7:0.000} ms");
    long removed = await SessionWorkload.CleanUpAsync(cluster);
    Console.WriteLine($"  removed {removed:N0} demo keys");
    return result.Errors == 0 ? 0 : 1;
}
finally
{
    if (local is not null)
    {
        await local.DisposeAsync();
        Console.WriteLine("Local servers stopped.");
    }
}
