using Hxi.Protocols.Quic.Connection;

namespace Hxi.Net.Conformance.Quic;

/// <summary>A QUIC packet a case sent or received, as the wire view shows it (frames decoded, or why it was dropped).</summary>
public sealed record QuicPacketEvidence(bool Sent, QuicPacketTrace Packet) : EvidenceItem;

/// <summary>A datagram sent or received outside any connection: a hand-made Initial, a Version Negotiation packet.</summary>
public sealed record QuicDatagramEvidence(bool Sent, string Description, int Length) : EvidenceItem;
