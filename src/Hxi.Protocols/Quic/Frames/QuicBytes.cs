namespace Hxi.Protocols.Quic.Frames;

/// <summary>Content equality and display for the byte fields of frames and packets.</summary>
internal static class QuicBytes
{
    public static bool Equal(ReadOnlyMemory<byte> left, ReadOnlyMemory<byte> right) =>
        left.Span.SequenceEqual(right.Span);

    public static int Hash(ReadOnlyMemory<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes.Span);
        return hash.ToHashCode();
    }

    public static string Hex(ReadOnlyMemory<byte> bytes) =>
        bytes.IsEmpty ? "(empty)" : Convert.ToHexStringLower(bytes.Span);

    /// <summary>Reason phrases are UTF-8 by RFC 9000 Section 19.19, but a hostile peer may send anything.</summary>
    public static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);
}
