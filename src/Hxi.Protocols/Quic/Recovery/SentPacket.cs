namespace Hxi.Protocols.Quic.Recovery;

/// <summary>What loss detection remembers of a sent packet (RFC 9002 Appendix A.1.1).</summary>
/// <param name="Frames">What the packet carried, handed back when it is acknowledged or declared lost, so
/// the connection can retransmit the information (not the packet).</param>
/// <param name="EcnMarked">Whether the datagram went out ECT(0), for ECN validation (RFC 9000 Section 13.4.2).</param>
public sealed record SentPacket(
    long PacketNumber,
    TimeSpan TimeSent,
    int Size,
    bool AckEliciting,
    bool InFlight,
    object? Frames = null,
    bool EcnMarked = false);
