namespace Hxi.Protocols.Quic.Frames;

/// <summary>A decoded QUIC frame (RFC 9000 Section 19). One sealed record per frame type.</summary>
/// <remarks>
/// Byte fields (stream data, tokens, connection IDs) are slices of the buffer the frame was decoded
/// from, so decoding copies nothing; copy them before reusing that buffer. Equality compares their
/// contents, so an encode/decode round trip compares equal. <c>ToString()</c> is the wire-view line.
/// </remarks>
public abstract record QuicFrame
{
    /// <summary>The frame's type with any flag bits cleared (STREAM is always 0x08).</summary>
    public abstract QuicFrameType Type { get; }

    /// <summary>The Frame Type field as written on the wire, flag bits included.</summary>
    public virtual ulong TypeCode => (ulong)Type;

    /// <summary>Whether receiving this frame obliges the peer to acknowledge (RFC 9000 Section 13.2).</summary>
    public bool IsAckEliciting => QuicFrameRules.IsAckEliciting(TypeCode);

    /// <summary>The encoded size, Frame Type field included.</summary>
    public int GetByteCount() => QuicFrameWriter.VarintLength(TypeCode) + GetFieldsByteCount();

    /// <summary>Encodes the frame; false (nothing written) when <paramref name="destination"/> is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetByteCount();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        var writer = new QuicFrameWriter(destination);
        writer.WriteVarint(TypeCode);
        WriteFields(ref writer);
        written = writer.Position;
        return true;
    }

    /// <summary>Encodes the frame into a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[GetByteCount()];
        TryWrite(bytes, out _);
        return bytes;
    }

    private protected abstract int GetFieldsByteCount();

    private protected abstract void WriteFields(ref QuicFrameWriter writer);
}
