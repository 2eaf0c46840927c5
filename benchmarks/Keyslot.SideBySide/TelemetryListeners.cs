using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Keyslot.SideBySide;

/// <summary>
/// Listens to everything Keyslot emits, as an OpenTelemetry SDK would (every span sampled with all data, every
/// instrument enabled), and throws it away: what is measured is the cost of producing it.
/// </summary>
internal sealed class TelemetryListeners : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters;
    private long _stopped;
    private long _measurements;

    public TelemetryListeners()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KeyslotTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _stopped),
        };
        ActivitySource.AddActivityListener(_spans);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == KeyslotTelemetry.Name) listener.EnableMeasurementEvents(instrument);
            },
        };
        _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.Start();
    }

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
        Console.WriteLine($"telemetry: {_stopped:N0} spans and {_measurements:N0} measurements observed");
    }
}
