namespace ZmqNative.Patterns.Tests.Titanic;

/// <summary>A wall clock the test moves by hand, for Titanic's retention (which counts from when a file was stored).</summary>
internal sealed class WallClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
