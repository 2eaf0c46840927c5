// Scaling out under load, as the seed experiment did on ElastiCache: a session store runs against a cluster that
// starts with one shard; mid-run a shard is added and the slots rebalanced. Latency percentiles of reads and writes
// are printed per window and drawn into a self-contained HTML/SVG chart.
//   dotnet run -c Release --project samples/ScalingDemo                          local 1-shard cluster, scales to 2
//   dotnet run -c Release --project samples/ScalingDemo -- "<config string>"     a real cluster; topology untouched
//   … -- "<config string>" --scale-at 15      a real cluster that YOU scale at 15 s (console/CLI); the demo marks it
//   options: --seconds 40 --window 5 --scale-at 15 --out scaling.html
using Keyslot;
using Keyslot.ScalingDemo;
using Keyslot.Testing;

ScalingArguments arguments = ScalingArguments.Parse(args);
LocalRedisCluster? local = null;
string configuration = arguments.Configuration ?? "";
if (arguments.Configuration is null)
{
    Console.WriteLine("Starting a local Redis Cluster with one shard (1 primary + 1 replica) on 127.0.0.1 …");
    local = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 1 });
    configuration = local.ConfigurationString;
}

try
{
    await using ClusterClient cluster = await ClusterClient.ConnectAsync(configuration);
    int shardsAtStart = cluster.Topology.Shards.Count;
    Console.WriteLine($"Connected: {cluster.Topology.Shards.Count} shard(s). Load for {arguments.Duration.TotalSeconds:0} s, windows of {arguments.Window.TotalSeconds:0} s.");
    var recorder = new WindowedRecorder(arguments.Window, arguments.Duration);
    var load = new SessionLoad(cluster, recorder);
    Task running = load.RunAsync(arguments.Duration);

    if (local is not null)
    {
        await Task.Delay(arguments.ScaleAt);
        recorder.Mark("add shard + rebalance: start");
        Console.WriteLine($"[{recorder.Elapsed.TotalSeconds,5:0.0} s] adding a shard (primary + replica) and rebalancing …");
        LocalRedisNode added = await local.AddPrimaryAsync();
        await local.AddReplicaAsync(added);
        await local.RebalanceAsync();
        recorder.Mark("rebalance done");
        Console.WriteLine($"[{recorder.Elapsed.TotalSeconds,5:0.0} s] rebalanced onto {(await local.GetPrimariesAsync()).Count} shards");
    }
    else if (arguments.ScaleRequested)
    {
        // A real cluster is scaled by its operator (e.g. ElastiCache's console or modify-replication-group-shard-
        // configuration); the demo only marks the moment so the chart shows what the application saw around it.
        await Task.Delay(arguments.ScaleAt);
        recorder.Mark("operator scales the cluster");
        Console.WriteLine($"[{recorder.Elapsed.TotalSeconds,5:0.0} s] scale the cluster now with your provider's tools; the load keeps running …");
    }
    await running;
    if (cluster.Topology.Shards.Count != shardsAtStart)
    {
        Console.WriteLine($"The cluster went from {shardsAtStart} to {cluster.Topology.Shards.Count} shard(s) during the run.");
    }

    Console.WriteLine();
    Console.WriteLine(recorder.FormatTable());
    Console.WriteLine($"errors: {recorder.Errors}  (by kind: {recorder.FormatErrors()})");
    await File.WriteAllTextAsync(arguments.OutputPath, HtmlChart.Render(recorder, cluster.Topology.Shards.Count));
    Console.WriteLine($"chart: {Path.GetFullPath(arguments.OutputPath)}");
    await load.CleanUpAsync();
    return recorder.Errors == 0 ? 0 : 1;
}
finally
{
    if (local is not null) await local.DisposeAsync();
}
