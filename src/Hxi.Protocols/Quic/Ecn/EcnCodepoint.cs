namespace Hxi.Protocols.Quic.Ecn;

/// <summary>
/// The two ECN bits of an IP header (RFC 3168 Section 5): the low bits of the IPv4 TOS byte and the IPv6 Traffic Class.
/// The values are the bits, so a driver converts with a mask.
/// </summary>
public enum EcnCodepoint : byte
{
    /// <summary>Not ECN-Capable Transport (00); also what a datagram carries when the platform cannot read the bits.</summary>
    NotEct = 0b00,

    /// <summary>ECN-Capable Transport (1) (01).</summary>
    Ect1 = 0b01,

    /// <summary>ECN-Capable Transport (0) (10): what QUIC marks with (RFC 9000 Section 13.4.2).</summary>
    Ect0 = 0b10,

    /// <summary>Congestion Experienced (11): set by a router instead of dropping the packet.</summary>
    Ce = 0b11,
}

/// <summary>Names and conversions of <see cref="EcnCodepoint"/>.</summary>
public static class EcnCodepoints
{
    /// <summary>The codepoint in a TOS or Traffic Class byte.</summary>
    public static EcnCodepoint FromTrafficClass(int trafficClass) => (EcnCodepoint)(trafficClass & 0b11);

    /// <summary>qlog's ECN names (draft-ietf-quic-qlog-quic-events, ECN): "Not-ECT", "ECT(1)", "ECT(0)", "CE".</summary>
    public static string Name(EcnCodepoint codepoint) => codepoint switch
    {
        EcnCodepoint.Ect1 => "ECT(1)",
        EcnCodepoint.Ect0 => "ECT(0)",
        EcnCodepoint.Ce => "CE",
        _ => "Not-ECT",
    };
}
