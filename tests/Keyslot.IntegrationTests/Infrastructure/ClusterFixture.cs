using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Infrastructure;

/// <summary>
/// Starts one default 3×1 <see cref="LocalRedisCluster"/> for a test collection and stops it afterwards.
/// Tests sharing it must leave it healthy (converged, every node alive and thawed).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private LocalRedisCluster? _cluster;

    /// <summary>The shared cluster.</summary>
    public LocalRedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster fixture has not started.");

    /// <summary>How long the cluster took to start.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        _cluster = await LocalRedisCluster.StartAsync();
        StartDuration = started.Elapsed;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>Tests in this collection share one <see cref="ClusterFixture"/> (and run one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster";
}
