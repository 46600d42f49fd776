namespace Hxi.Protocols.Quic;

/// <summary>Connection ID limits of QUIC v1 (RFC 9000 Section 17.2) and their display.</summary>
public static class QuicConnectionId
{
    /// <summary>Version 1 connection IDs are 0..20 bytes; longer ones only appear for other versions.</summary>
    public const int MaxLength = 20;

    /// <summary>The client's first Destination Connection ID must be at least this long (RFC 9000 Section 7.2).</summary>
    public const int MinInitialLength = 8;

    public static string Format(ReadOnlySpan<byte> connectionId) =>
        connectionId.IsEmpty ? "(empty)" : Convert.ToHexStringLower(connectionId);
}
