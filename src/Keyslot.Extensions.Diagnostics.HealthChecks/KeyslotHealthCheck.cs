using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Keyslot.Extensions.Diagnostics.HealthChecks;

/// <summary>
/// Checks one <see cref="IClusterClient"/>'s cluster: the client has a slot map, every slot has a primary, and each
/// primary that owns slots answers <c>CLUSTER INFO</c> with <c>cluster_state:ok</c>, all asked in parallel.
/// <list type="bullet">
/// <item><description>Healthy: all of that holds.</description></item>
/// <item><description>Degraded (with the reasons): some slots have no primary, or some primary is unreachable, does
/// not answer in time, or reports <c>cluster_state:fail</c>; but at least one node answered.</description></item>
/// <item><description>The registration's failure status (Unhealthy by default): no slot map, or no primary answered.</description></item>
/// </list>
/// It never runs past its timeout nor the registration's (whichever is shorter, less a little to build the result),
/// whatever the nodes do: a frozen node's probe is abandoned at the deadline. The result's data has one entry per
/// node of the map (role, slots, the client's connection, what the probe found) and <c>slots_assigned</c>.
/// </summary>
internal sealed class KeyslotHealthCheck : IHealthCheck
{
    private static readonly RedisArgument[] InfoArgs = ["INFO"];
    private readonly IClusterClient _client;
    private readonly TimeSpan _timeout;

    public KeyslotHealthCheck(IClusterClient client, TimeSpan timeout)
    {
        _client = client;
        _timeout = timeout;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        long started = Stopwatch.GetTimestamp();
        TimeSpan budget = ProbeBudget(_timeout, context.Registration?.Timeout ?? Timeout.InfiniteTimeSpan);
        HealthStatus failureStatus = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);

        ClusterHealth health = _client.GetHealth();
        if (!health.HasSlotMap)
        {
            // A client made by DI connects in the background: give its first map the check's time, no more.
            try
            {
                // Its own bound a little inside the deadline, so that its error (with the cause) is what is reported;
                // the deadline stays the hard bound.
                TimeSpan wait = budget - TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(50).Ticks, budget.Ticks / 20));
                await _client.WhenConnectedAsync(wait, cancellationToken).WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ClusterHealth now = _client.GetHealth();
                return new HealthCheckResult(failureStatus,
                    $"No slot map: {(ex is OperationCanceledException ? $"none within {budget.TotalMilliseconds:0} ms" : ex.Message)}",
                    ex is OperationCanceledException ? now.LastError : ex, DataOf(now, probes: null));
            }
            health = _client.GetHealth();
        }

        List<NodeHealth> primaries = [.. health.Nodes.Where(n => n.IsPrimary && n.Slots > 0)];
        Probe[] probes = await Task.WhenAll(primaries.Select(p => ProbeAsync(p.Endpoint, deadline.Token, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var reasons = new List<string>();
        if (!health.AllSlotsHavePrimary)
        {
            reasons.Add($"{Slots - health.AssignedSlots} of {Slots} slots have no primary");
        }
        int answered = 0;
        foreach (Probe probe in probes)
        {
            if (probe.Answered) answered++;
            if (probe.Problem is { } problem) reasons.Add(problem);
        }
        Dictionary<string, object> data = DataOf(health, probes);
        data["elapsed_ms"] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (answered == 0)
        {
            return new HealthCheckResult(failureStatus, "No primary answered: " + string.Join("; ", reasons), health.LastError, data);
        }
        if (reasons.Count > 0)
        {
            return HealthCheckResult.Degraded(string.Join("; ", reasons), exception: null, data);
        }
        return HealthCheckResult.Healthy($"{probes.Length} primaries answered with cluster_state:ok; every slot has a primary", data);
    }

    private const int Slots = 16_384;

    /// <summary>The shorter of the two timeouts, less a little (up to 100 ms) to build and return the result within it.</summary>
    internal static TimeSpan ProbeBudget(TimeSpan own, TimeSpan registration)
    {
        TimeSpan budget = registration > TimeSpan.Zero && registration != Timeout.InfiniteTimeSpan && registration < own ? registration : own;
        TimeSpan margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(100).Ticks, budget.Ticks / 10));
        return budget - margin;
    }

    private async Task<Probe> ProbeAsync(NodeEndpoint node, CancellationToken deadline, CancellationToken caller)
    {
        long started = Stopwatch.GetTimestamp();
        Task<RespValue> asking;
        try
        {
            asking = _client.ExecuteOnNodeAsync(node, "CLUSTER", InfoArgs, deadline);
        }
        catch (Exception ex)
        {
            return new Probe(node, false, $"{node} is unreachable: {ex.Message}", "unreachable: " + ex.Message);
        }
        try
        {
            // The deadline holds even if the node never answers and the command ignores its token.
            RespValue reply = await asking.WaitAsync(deadline).ConfigureAwait(false);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            string info = reply.AsString() ?? "";
            string? state = ClusterState(info);
            string took = ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
            return state == "ok"
                ? new Probe(node, true, null, $"cluster_state:ok in {took}")
                : new Probe(node, true, $"{node} reports cluster_state:{state ?? "unknown"}", $"cluster_state:{state ?? "unknown"} in {took}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !caller.IsCancellationRequested)
        {
            Observe(asking);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new Probe(node, false, $"{node} did not answer CLUSTER INFO within {ms:0} ms", "no answer in time");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Probe(node, false, $"{node} is unreachable: {ex.Message}", "unreachable: " + ex.Message);
        }
    }

    /// <summary>A probe abandoned at the deadline may still fail later; its error is seen here, not left unobserved.</summary>
    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static string? ClusterState(string info)
    {
        foreach (string line in info.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("cluster_state:", StringComparison.Ordinal)) return trimmed["cluster_state:".Length..];
        }
        return null;
    }

    private static Dictionary<string, object> DataOf(ClusterHealth health, Probe[]? probes)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["slots_assigned"] = health.AssignedSlots };
        foreach (NodeHealth node in health.Nodes)
        {
            string text = node.IsPrimary ? $"primary, {node.Slots} slots" : "replica";
            text += ", " + node.State.ToString().ToLowerInvariant();
            if (node.FlaggedFailed) text += ", flagged failed";
            if (probes?.FirstOrDefault(p => p.Node == node.Endpoint) is { } probe) text += ", " + probe.Summary;
            else if (node.State == NodeConnectionState.Disconnected && node.LastError is { } error) text += ": " + error.Message;
            data[node.Endpoint.ToString()] = text;
        }
        return data;
    }

    private sealed record Probe(NodeEndpoint Node, bool Answered, string? Problem, string Summary);
}
