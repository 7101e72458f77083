using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ZmqNative.Extensions.Hosting.Tests.Support;

/// <summary>A MeterListener on the two ZmqNative meters of one host (its IMeterFactory), summing counters and keeping the last gauge values per tag set.</summary>
public sealed class MetricCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();
    private readonly ConcurrentDictionary<string, long> _gauges = new();

    public MetricCapture(object? meterScope, ZmqNativeMetrics? only = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is ZmqNativeMetrics.PatternsMeterName or ZmqNativeMetrics.CoreMeterName
                && (meterScope is null || ReferenceEquals(instrument.Meter.Scope, meterScope))
                && (only is null || ReferenceEquals(instrument.Meter, only.CoreMeter) || ReferenceEquals(instrument.Meter, only.PatternsMeter)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _counters.AddOrUpdate(Key(instrument.Name, tags), value, (_, old) => old + value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => _gauges[Key(instrument.Name, tags)] = value);
        _listener.Start();
    }

    /// <summary>The sum of a counter for one tag set, e.g. Counter("zmqnative.majordomo.replies", "service=echo").</summary>
    public long Counter(string name, string tags = "") => _counters.TryGetValue(name + "|" + tags, out long v) ? v : 0;

    /// <summary>Collects the observable gauges now and returns one value (null when it was not reported).</summary>
    public long? Gauge(string name, string tags = "")
    {
        _listener.RecordObservableInstruments();
        return _gauges.TryGetValue(name + "|" + tags, out long v) ? v : null;
    }

    /// <summary>Waits until a counter reaches <paramref name="atLeast"/> (they move on other threads); returns its value then, or at the deadline.</summary>
    public long WaitForCounter(string name, string tags, long atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Counter(name, tags) < atLeast && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        return Counter(name, tags);
    }

    public void Dispose() => _listener.Dispose();

    private static string Key(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        parts.Sort(StringComparer.Ordinal);
        return name + "|" + string.Join(",", parts);
    }
}
