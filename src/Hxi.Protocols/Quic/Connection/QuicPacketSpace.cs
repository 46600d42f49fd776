using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Quic.Streams;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>Per packet number space: keys, packet numbers, ACK state and the CRYPTO stream.</summary>
internal sealed class QuicPacketSpace(QuicPacketNumberSpace space)
{
    /// <summary>CRYPTO data beyond what is readable is capped (RFC 9000 Section 7.5).</summary>
    public const long MaxCryptoBuffer = 256 * 1024;

    public QuicPacketNumberSpace Space { get; } = space;

    public QuicPacketKeys? SendKeys { get; set; }

    public QuicPacketKeys? ReceiveKeys { get; set; }

    public long NextPacketNumber { get; set; }

    public AckTracker Acks { get; } = new(space);

    public SendBuffer CryptoOut { get; set; } = new();

    public ReceiveBuffer CryptoIn { get; } = new();

    public bool Discarded { get; set; }

    /// <summary>Send one ack-eliciting probe in this space (PTO).</summary>
    public int ProbesWanted { get; set; }

    public QuicPacketSpaces Flag => Space switch
    {
        QuicPacketNumberSpace.Initial => QuicPacketSpaces.Initial,
        QuicPacketNumberSpace.Handshake => QuicPacketSpaces.Handshake,
        _ => QuicPacketSpaces.OneRtt,
    };
}
