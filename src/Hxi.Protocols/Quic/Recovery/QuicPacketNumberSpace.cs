namespace Hxi.Protocols.Quic.Recovery;

/// <summary>The three packet number spaces of RFC 9000 Section 12.3; 0-RTT and 1-RTT share ApplicationData.</summary>
public enum QuicPacketNumberSpace
{
    Initial = 0,
    Handshake = 1,
    ApplicationData = 2,
}
