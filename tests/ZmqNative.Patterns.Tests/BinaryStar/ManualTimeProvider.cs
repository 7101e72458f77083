namespace ZmqNative.Patterns.Tests.BinaryStar;

/// <summary>A clock the test moves by hand, so the state machine's two-heartbeat rule is tested without sleeping.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = TimeSpan.FromHours(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;

    public void Advance(int milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));
}
