using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Ecn;

/// <summary>
/// The ECN counts of one packet number space (RFC 9000 Section 13.4.1): every processed packet adds its datagram's
/// codepoint, so coalesced packets each count once in their own space; duplicates are never processed, never counted.
/// </summary>
public sealed class EcnReceiveCounts
{
    public ulong Ect0 { get; private set; }

    public ulong Ect1 { get; private set; }

    public ulong Ce { get; private set; }

    /// <summary>Whether any marked packet arrived: from then on, ACK frames of this space are ACK_ECN (type 0x03).</summary>
    public bool Any => (Ect0 | Ect1 | Ce) != 0;

    public void Add(EcnCodepoint codepoint)
    {
        switch (codepoint)
        {
            case EcnCodepoint.Ect0:
                Ect0++;
                break;
            case EcnCodepoint.Ect1:
                Ect1++;
                break;
            case EcnCodepoint.Ce:
                Ce++;
                break;
        }
    }

    /// <summary>The counts for an ACK frame; null (a plain ACK, type 0x02) until a marked packet arrived.</summary>
    public QuicEcnCounts? ForAck() => Any ? new QuicEcnCounts(Ect0, Ect1, Ce) : null;
}
