using Keyslot;

namespace OpenTelemetry.Trace
{
    /// <summary>Keyslot's spans for OpenTelemetry tracing.</summary>
    public static class KeyslotTracerProviderBuilderExtensions
    {
        /// <summary>
        /// Subscribes to Keyslot's <see cref="KeyslotTelemetry.Source"/>: one client span per command, named after it,
        /// with <c>db.system.name</c>, <c>db.operation.name</c>, <c>server.address</c>, <c>server.port</c> and, on
        /// failure, <c>error.type</c>. Arguments and values are never recorded.
        /// </summary>
        public static TracerProviderBuilder AddKeyslotInstrumentation(this TracerProviderBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            return builder.AddSource(KeyslotTelemetry.Name);
        }
    }
}

namespace OpenTelemetry.Metrics
{
    /// <summary>Keyslot's instruments for OpenTelemetry metrics.</summary>
    public static class KeyslotMeterProviderBuilderExtensions
    {
        /// <summary>
        /// Subscribes to Keyslot's <see cref="KeyslotTelemetry.Meter"/>: <c>db.client.operation.duration</c> and the
        /// <c>keyslot.*</c> counters and gauges.
        /// </summary>
        public static MeterProviderBuilder AddKeyslotInstrumentation(this MeterProviderBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            return builder.AddMeter(KeyslotTelemetry.Name);
        }
    }
}
