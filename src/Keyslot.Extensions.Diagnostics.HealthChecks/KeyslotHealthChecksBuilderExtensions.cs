using Keyslot;
using Keyslot.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds health checks of the application's Keyslot clients:
/// <c>builder.Services.AddHealthChecks().AddKeyslot()</c> for the default <see cref="IClusterClient"/>,
/// <c>.AddKeyedKeyslot("orders")</c> for one registered with <c>AddKeyedKeyslot("orders")</c>. See
/// <c>KeyslotHealthCheck</c> for what Healthy, Degraded and Unhealthy mean: every slot has a primary that answers
/// <c>CLUSTER INFO</c> with <c>cluster_state:ok</c>; some do not; none does (or no slot map).
/// </summary>
public static class KeyslotHealthChecksBuilderExtensions
{
    /// <summary>The timeout when none is given: the check returns within it whatever the nodes do.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Adds a check of the application's <see cref="IClusterClient"/>.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name (default <c>keyslot</c>).</param>
    /// <param name="failureStatus">The status reported when no slot map is known or no primary answers (default <see cref="HealthStatus.Unhealthy"/>); partial failures report <see cref="HealthStatus.Degraded"/>.</param>
    /// <param name="tags">Tags to filter checks by (e.g. <c>ready</c>).</param>
    /// <param name="timeout">The longest the check takes (default 5 s); also set as the registration's timeout.</param>
    public static IHealthChecksBuilder AddKeyslot(this IHealthChecksBuilder builder, string name = "keyslot", HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        TimeSpan bound = Checked(timeout);
        return builder.Add(new HealthCheckRegistration(name, sp => new KeyslotHealthCheck(sp.GetRequiredService<IClusterClient>(), bound), failureStatus, tags, bound));
    }

    /// <summary>Adds a check of the keyed <see cref="IClusterClient"/> registered under <paramref name="serviceKey"/> (<c>AddKeyedKeyslot("orders")</c>).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="serviceKey">The client's service key.</param>
    /// <param name="name">The check's name (default <c>keyslot-&lt;key&gt;</c>).</param>
    /// <param name="failureStatus">The status reported when no slot map is known or no primary answers (default <see cref="HealthStatus.Unhealthy"/>).</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <param name="timeout">The longest the check takes (default 5 s); also set as the registration's timeout.</param>
    public static IHealthChecksBuilder AddKeyedKeyslot(this IHealthChecksBuilder builder, object serviceKey, string? name = null, HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(serviceKey);
        TimeSpan bound = Checked(timeout);
        return builder.Add(new HealthCheckRegistration(name ?? $"keyslot-{serviceKey}",
            sp => new KeyslotHealthCheck(sp.GetRequiredKeyedService<IClusterClient>(serviceKey), bound), failureStatus, tags, bound));
    }

    private static TimeSpan Checked(TimeSpan? timeout)
    {
        TimeSpan bound = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bound, TimeSpan.Zero, nameof(timeout));
        return bound;
    }
}
