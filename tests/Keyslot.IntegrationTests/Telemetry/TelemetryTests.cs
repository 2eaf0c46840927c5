using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Keyslot.IntegrationTests.Telemetry;

/// <summary>
/// Keyslot's spans and metrics on a real cluster, seen through plain System.Diagnostics listeners and through the
/// OpenTelemetry SDK with Keyslot.OpenTelemetry: database semantic conventions, no arguments or values anywhere, the
/// caller's current span untouched, errors typed, and the counters and gauges moving with what happens. Listeners are
/// process-wide and other test classes run in parallel, so every assertion picks this cluster's nodes (by port) or
/// counts deltas at least as large as what this test did.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly LocalRedisCluster _cluster;
    private ClusterClient _client = null!;
    private HashSet<int> _ports = null!;

    public TelemetryTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    public async Task InitializeAsync()
    {
        _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        _ports = [.. _client.Topology.SlotRanges.Select(r => r.Primary.Port)];
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    /// <summary>Collects the Keyslot spans that ended on this cluster's nodes while it is alive.</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;
        public ConcurrentQueue<Activity> Spans { get; } = new();

        public SpanCollector()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == KeyslotTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity => Spans.Enqueue(activity),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public void Dispose() => _listener.Dispose();
    }

    private Activity SpanOn(SpanCollector spans, string operation) =>
        spans.Spans.Last(a => a.OperationName == operation && a.GetTagItem("server.port") is int port && _ports.Contains(port));

    [Fact]
    public async Task A_command_is_one_client_span_with_the_database_conventions_and_no_arguments()
    {
        using var spans = new SpanCollector();
        const string key = "{otel}secret-key", value = "secret-value";
        await _client.StringSetAsync(key, value);
        Assert.Equal(value, await _client.StringGetAsync(key));

        Activity get = SpanOn(spans, "GET");
        NodeEndpoint owner = _client.Topology.GetPrimary(ClusterClient.GetSlot(key))!.Value;
        Assert.Equal(ActivityKind.Client, get.Kind);
        Assert.Equal("redis", get.GetTagItem("db.system.name"));
        Assert.Equal("GET", get.GetTagItem("db.operation.name"));
        Assert.Equal(owner.Host, get.GetTagItem("server.address"));
        Assert.Equal(owner.Port, get.GetTagItem("server.port"));
        Assert.Equal(ActivityStatusCode.Unset, get.Status);
        foreach (Activity span in spans.Spans)
        {
            foreach (KeyValuePair<string, object?> tag in span.TagObjects)
            {
                string text = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                Assert.DoesNotContain("secret", text); // neither the key nor the value is ever recorded
            }
        }
    }

    [Fact]
    public async Task The_callers_current_span_is_the_parent_and_stays_current()
    {
        using var spans = new SpanCollector();
        using var source = new ActivitySource("Keyslot.Tests.Caller");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Keyslot.Tests.Caller",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using Activity request = source.StartActivity("request")!;
        await _client.StringSetAsync("{otel}parent", "v");
        Assert.Same(request, Activity.Current); // the command's span did not stay current in the caller's flow
        Activity set = SpanOn(spans, "SET");
        Assert.Equal(request.TraceId, set.TraceId);
        Assert.Equal(request.SpanId, set.ParentSpanId);
    }

    [Fact]
    public async Task A_failed_command_carries_its_error_type()
    {
        using var spans = new SpanCollector();
        await _client.StringSetAsync("{otel}string", "x");
        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.HashGetAsync("{otel}string", "f"));
        Activity failed = SpanOn(spans, "HGET");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(nameof(RedisErrorKind.WrongType), failed.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Blocking_commands_and_transactions_have_spans_too()
    {
        using var spans = new SpanCollector();
        Assert.Null(await _client.ListBlockingLeftPopAsync("{otel}empty", TimeSpan.FromMilliseconds(20)));
        ClusterTransaction tx = _client.CreateTransaction();
        _ = tx.StringSetAsync("{otel}tx", "v");
        Assert.True(await tx.CommitAsync());
        Assert.Equal("redis", SpanOn(spans, "BLPOP").GetTagItem("db.system.name"));
        Assert.Equal("MULTI/EXEC", SpanOn(spans, "MULTI/EXEC").GetTagItem("db.operation.name"));
    }

    [Fact]
    public async Task The_duration_histogram_and_the_gauges_are_recorded()
    {
        var durations = new ConcurrentQueue<(double Seconds, Dictionary<string, object?> Tags)>();
        var inFlight = new ConcurrentQueue<int>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == KeyslotTelemetry.Name) listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "db.client.operation.duration") durations.Enqueue((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        });
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name != "keyslot.commands.in_flight") return;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "server.port" && tag.Value is int port && _ports.Contains(port)) inFlight.Enqueue(port);
            }
        });
        meters.Start();
        await _client.StringSetAsync("{otel}timed", "v");
        await using var second = await ClusterClient.ConnectAsync(_cluster.ConfigurationString); // a second client on the same nodes
        await second.StringSetAsync("{otel}timed", "w");
        meters.RecordObservableInstruments();

        (double seconds, Dictionary<string, object?> tags) = durations.Last(d => d.Tags.TryGetValue("server.port", out object? p) && p is int port && _ports.Contains(port));
        Assert.InRange(seconds, 0, 10);
        Assert.Equal("redis", tags["db.system.name"]);
        Assert.Equal("SET", tags["db.operation.name"]);
        Assert.False(tags.ContainsKey("error.type"));
        Assert.NotEmpty(inFlight);
        Assert.Equal(inFlight.Count, inFlight.Distinct().Count()); // one measurement per node, however many clients use it
    }

    [Fact]
    public async Task A_listener_that_throws_never_fails_or_hangs_a_command_nor_moves_the_current_span()
    {
        using var throwing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KeyslotTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => throw new InvalidOperationException("a listener's bug"),
        };
        ActivitySource.AddActivityListener(throwing);
        await _client.StringSetAsync("{otel}robust", "v");
        Assert.Equal("v", await _client.StringGetAsync("{otel}robust").AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(Activity.Current);

        // Cancelled by another thread's token: the cancelling thread's current span stays its own.
        using var source = new ActivitySource("Keyslot.Tests.Canceller");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Keyslot.Tests.Canceller",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var cancel = new CancellationTokenSource();
        ValueTask<string?> waiting;
        using (source.StartActivity("caller"))
        {
            waiting = _client.ListBlockingLeftPopAsync("{otel}never", null, cancel.Token);
        }
        await Task.Delay(50);
        using Activity canceller = source.StartActivity("canceller")!;
        cancel.Cancel();
        Assert.Same(canceller, Activity.Current);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
    }

    [Fact]
    public async Task Keyslot_OpenTelemetry_wires_both_into_the_sdk()
    {
        var exported = new List<Activity>();
        var metrics = new List<Metric>();
        using (TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddKeyslotInstrumentation().AddInMemoryExporter(exported).Build())
        using (MeterProvider metering = Sdk.CreateMeterProviderBuilder().AddKeyslotInstrumentation().AddInMemoryExporter(metrics).Build())
        {
            await _client.StringSetAsync("{otel}sdk", "v");
            await _client.StringGetAsync("{otel}sdk");
            metering.ForceFlush();
            tracing.ForceFlush();
        }
        Assert.Contains(exported, a => a.OperationName == "GET" && a.GetTagItem("server.port") is int port && _ports.Contains(port));
        Assert.Contains(metrics, m => m.Name == "db.client.operation.duration");
        Assert.Contains(metrics, m => m.Name == "keyslot.connections.opened" || m.Name == "keyslot.commands.in_flight");
    }
}

/// <summary>Redirect and refresh counters move when a slot moves under a client (its own cluster: the test moves slots).</summary>
public sealed class TelemetryCounterTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { ReplicasPerPrimary = 0 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_moved_slot_counts_a_redirect_and_a_changed_refresh()
    {
        long moved = 0, changed = 0;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == KeyslotTelemetry.Name) listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (instrument.Name == "keyslot.redirects" && tag.Key == "keyslot.redirect.kind" && (string?)tag.Value == "moved") Interlocked.Add(ref moved, value);
                if (instrument.Name == "keyslot.topology.refreshes" && tag.Key == "keyslot.refresh.outcome" && (string?)tag.Value == "changed") Interlocked.Add(ref changed, value);
            }
        });
        meters.Start();
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string key = "{otel-move}k";
        await client.StringSetAsync(key, "v");
        int slot = ClusterClient.GetSlot(key);
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode other = (await _cluster.GetPrimariesAsync()).First(n => n.Endpoint != owner.Endpoint);
        long movedBefore = Interlocked.Read(ref moved), changedBefore = Interlocked.Read(ref changed);
        await _cluster.MoveSlotAsync(slot, other);
        Assert.Equal("v", await client.StringGetAsync(key)); // answered MOVED by the old owner, then served by the new one
        var waited = Stopwatch.StartNew();
        while (Interlocked.Read(ref changed) == changedBefore && waited.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(20);
        Assert.True(Interlocked.Read(ref moved) > movedBefore);
        Assert.True(Interlocked.Read(ref changed) > changedBefore);
    }
}
