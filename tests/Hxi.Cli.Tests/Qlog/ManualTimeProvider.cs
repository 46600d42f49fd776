namespace Hxi.Cli.Tests.Qlog;

/// <summary>A clock the test moves by hand: timestamps in ticks of 100 ns and a fixed wall-clock start.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private TimeSpan _elapsed;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _elapsed.Ticks;

    public override DateTimeOffset GetUtcNow() => start + _elapsed;

    public void Advance(TimeSpan by) => _elapsed += by;
}
