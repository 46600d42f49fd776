using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>One QUIC packet as the wire view shows it, recorded on the tap after protection is removed (or before it is applied).</summary>
/// <param name="Frames">The decoded frames; empty when the packet could not be decrypted.</param>
/// <param name="Note">Why a packet was dropped, or what it meant (Retry, Version Negotiation).</param>
/// <param name="AckDelayExponent">The ack_delay_exponent of the packet's sender, so a view can show ACK Delay in microseconds.</param>
public sealed record QuicPacketTrace(
    QuicPacketType Type,
    uint Version,
    ReadOnlyMemory<byte> DestinationConnectionId,
    ReadOnlyMemory<byte> SourceConnectionId,
    long PacketNumber,
    int Length,
    bool KeyPhase,
    IReadOnlyList<QuicFrame> Frames,
    string? Note = null,
    int AckDelayExponent = (int)Parameters.QuicTransportParameters.DefaultAckDelayExponent);

/// <summary>A whole UDP datagram, recorded before its packets, with the ECN bits of its IP header (RFC 9000 Section 13.4).</summary>
public sealed record QuicDatagramTrace(int Length, int PacketCount, Ecn.EcnCodepoint Ecn = Quic.Ecn.EcnCodepoint.NotEct);

/// <summary>What a sent packet carried, so that an ACK or a loss can be applied to the right state.</summary>
internal abstract record SentFrame;

internal sealed record SentStreamRange(long StreamId, long Offset, int Length, bool Fin) : SentFrame;

internal sealed record SentCryptoRange(int Space, long Offset, int Length) : SentFrame;

internal sealed record SentAck(long Largest) : SentFrame;

/// <summary>A control frame that is sent again, with fresh values, when lost.</summary>
internal sealed record SentControl(QuicFrame Frame) : SentFrame;
