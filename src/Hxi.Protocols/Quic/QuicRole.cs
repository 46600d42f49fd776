namespace Hxi.Protocols.Quic;

/// <summary>Which end of a connection an endpoint (or the sender of something) is.</summary>
public enum QuicRole
{
    Client,
    Server,
}
