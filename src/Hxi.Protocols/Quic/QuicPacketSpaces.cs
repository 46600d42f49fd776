namespace Hxi.Protocols.Quic;

/// <summary>The kinds of packet that carry frames, as flags for the legal-frames table (RFC 9000 Section 12.4).</summary>
/// <remarks>0-RTT and 1-RTT share a packet number space but not their rules, so they are separate here.</remarks>
[Flags]
public enum QuicPacketSpaces
{
    None = 0,
    Initial = 1,
    Handshake = 2,
    ZeroRtt = 4,
    OneRtt = 8,
    All = Initial | Handshake | ZeroRtt | OneRtt,
}
