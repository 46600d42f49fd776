namespace Hxi.Protocols.Trace;

/// <summary>Receives every unit that crosses a protocol layer boundary, in both directions.</summary>
/// <remarks>
/// One mechanism feeds the frame view, the hexdump, the JSON trace, qlog and the key log.
/// A core calls <see cref="Record"/> synchronously; the tap must not call back into the core.
/// The bytes are only valid for the duration of the call: copy them to keep them.
/// </remarks>
public interface IWireTap
{
    void Record(in WireRecord record);
}

/// <summary>A tap that drops everything; the default when nobody is watching.</summary>
public sealed class NullWireTap : IWireTap
{
    public static readonly NullWireTap Instance = new();

    public void Record(in WireRecord record)
    {
    }
}

/// <summary>Fans one record out to several taps.</summary>
public sealed class CompositeWireTap(params IWireTap[] taps) : IWireTap
{
    public void Record(in WireRecord record)
    {
        foreach (var tap in taps)
        {
            tap.Record(record);
        }
    }
}
