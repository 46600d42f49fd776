namespace Hxi.Protocols.Quic.Packets;

/// <summary>The kinds of QUIC packet (RFC 9000 Section 17), plus long headers of versions hxi does not speak.</summary>
public enum QuicPacketType
{
    Initial,
    ZeroRtt,
    Handshake,
    Retry,
    VersionNegotiation,
    OneRtt,

    /// <summary>A long header with a version other than 1: only the invariant fields (RFC 8999) are known.</summary>
    UnsupportedVersion,
}

/// <summary>Names and spaces of packet types.</summary>
public static class QuicPacketTypes
{
    public static string Name(QuicPacketType type) => type switch
    {
        QuicPacketType.ZeroRtt => "0-RTT",
        QuicPacketType.OneRtt => "1-RTT",
        QuicPacketType.VersionNegotiation => "VersionNegotiation",
        QuicPacketType.UnsupportedVersion => "UnsupportedVersion",
        _ => type.ToString(),
    };

    /// <summary>The row of the legal-frames table for packets of this type; None for packets without frames.</summary>
    public static QuicPacketSpaces Space(QuicPacketType type) => type switch
    {
        QuicPacketType.Initial => QuicPacketSpaces.Initial,
        QuicPacketType.Handshake => QuicPacketSpaces.Handshake,
        QuicPacketType.ZeroRtt => QuicPacketSpaces.ZeroRtt,
        QuicPacketType.OneRtt => QuicPacketSpaces.OneRtt,
        _ => QuicPacketSpaces.None,
    };

    /// <summary>The two-bit Long Packet Type of QUIC v1 (RFC 9000 Table 5).</summary>
    internal static int LongTypeBits(QuicPacketType type) => type switch
    {
        QuicPacketType.Initial => 0,
        QuicPacketType.ZeroRtt => 1,
        QuicPacketType.Handshake => 2,
        QuicPacketType.Retry => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a v1 long header type"),
    };

    /// <summary>
    /// The two-bit Long Packet Type of <paramref name="version"/>: v2 rotates them (RFC 9369 Section 3.2: Initial 0b01,
    /// 0-RTT 0b10, Handshake 0b11, Retry 0b00) so middleboxes cannot ossify on v1's.
    /// </summary>
    public static int LongTypeBits(QuicPacketType type, uint version) =>
        version == QuicVersion.Version2 ? (LongTypeBits(type) + 1) & 0x03 : LongTypeBits(type);

    /// <summary>The packet type that the two-bit Long Packet Type <paramref name="bits"/> means in <paramref name="version"/>.</summary>
    public static QuicPacketType LongType(int bits, uint version) =>
        (QuicPacketType)(version == QuicVersion.Version2 ? (bits + 3) & 0x03 : bits & 0x03);
}
