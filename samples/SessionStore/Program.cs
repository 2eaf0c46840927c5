// The session-store sample: ASP.NET Core sessions kept in a Redis Cluster through Keyslot's IDistributedCache.
//   dotnet run --project samples/SessionStore -- --local-cluster   starts a local 3×1 cluster in the process and
//                                                                    serves http://127.0.0.1:5080 against it
//   ConnectionStrings__redis="host:6379,ssl=true" dotnet run --project samples/SessionStore   uses that cluster
// Pages: / (sign in, products), /cart (the cart kept in the session), /where (the session's Redis key, hash slot
// and owning shard), /health (the Keyslot health check). Set Telemetry:ConsoleExporter=true to print spans and
// metrics on the console.
using Keyslot.Testing;
using SessionStore;

const string LocalClusterFlag = "--local-cluster";
bool startLocalCluster = args.Contains(LocalClusterFlag);
string[] hostArgs = args.Where(a => a != LocalClusterFlag).ToArray();

LocalRedisCluster? cluster = null;
try
{
    if (startLocalCluster)
    {
        Console.WriteLine("Starting a local Redis Cluster (3 primaries × 1 replica) on 127.0.0.1 …");
        cluster = await LocalRedisCluster.StartAsync();
        Console.WriteLine($"  nodes: {string.Join(", ", cluster.Nodes.Select(n => $"{n.Endpoint} (pid {n.ProcessId})"))}");
    }

    WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = hostArgs,
        // appsettings.json sits next to the assembly; the sample is started from the repository root as well.
        ContentRootPath = AppContext.BaseDirectory,
    });
    if (cluster is not null)
    {
        builder.Configuration["ConnectionStrings:redis"] = cluster.ConfigurationString;
    }

    builder.AddSessionStore();
    WebApplication app = builder.Build();
    app.MapSessionStore();
    app.Lifetime.ApplicationStarted.Register(() =>
    {
        foreach (string address in app.Urls)
        {
            Console.WriteLine($"SessionStore listening on {address}");
        }

        Console.WriteLine("Press Ctrl+C to stop.");
    });
    await app.RunAsync();
}
finally
{
    if (cluster is not null)
    {
        await cluster.DisposeAsync();
        Console.WriteLine("Local cluster stopped.");
    }
}
