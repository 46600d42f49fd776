namespace Hxi.Protocols.Http2.Frames;

/// <summary>A decoded HTTP/2 frame (RFC 9113 Section 4.1). One sealed record per frame type.</summary>
/// <remarks>
/// Records carry what is needed to write the frame again byte for byte, padding included,
/// so the REPL can echo what it sent in the same form as what it received.
/// </remarks>
public abstract record Http2Frame(int StreamId)
{
    public abstract Http2FrameType Type { get; }

    /// <summary>The raw type byte; differs from <see cref="Type"/> only for unknown frames.</summary>
    public virtual byte TypeCode => (byte)Type;

    public abstract Http2FrameFlags Flags { get; }
}

/// <summary>Priority fields of HEADERS and PRIORITY frames (RFC 9113 Section 5.3 / 6.3, deprecated but decoded).</summary>
public readonly record struct Http2PriorityFields(bool Exclusive, int StreamDependency, byte Weight)
{
    /// <summary>The weight as RFC 7540 defines it: the byte plus one (1..256).</summary>
    public int EffectiveWeight => Weight + 1;
}
