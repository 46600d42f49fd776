namespace Hxi.Protocols.Quic.Frames;

/// <summary>A run of PADDING frames (RFC 9000 Section 19.1), kept as one record with its byte count.</summary>
/// <remarks>
/// <code>
/// PADDING Frame {
///   Type (i) = 0x00,
/// }
/// </code>
/// Padding often fills a thousand bytes; one record per byte would drown the wire view.
/// </remarks>
public sealed record PaddingFrame : QuicFrame
{
    public PaddingFrame(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
    }

    /// <summary>How many consecutive PADDING bytes the run covers.</summary>
    public int Length { get; }

    public override QuicFrameType Type => QuicFrameType.Padding;

    public override string ToString() => $"PADDING length={Length}";

    internal static PaddingFrame Read(ref QuicFrameReader reader) => new(1 + reader.SkipZeros());

    private protected override int GetFieldsByteCount() => Length - 1;

    private protected override void WriteFields(ref QuicFrameWriter writer) => writer.WriteZeros(Length - 1);
}
