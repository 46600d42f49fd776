namespace Hxi.Protocols.Tls;

/// <summary>The QUIC encryption level a handshake message travels at (RFC 9001 Section 4); 0-RTT carries no CRYPTO data.</summary>
public enum TlsEncryptionLevel
{
    Initial,
    Handshake,
    OneRtt,
}

/// <summary>Which way a secret protects data, from this endpoint's point of view.</summary>
public enum TlsSecretDirection
{
    Read,
    Write,
}

/// <summary>Which side of the handshake an endpoint plays.</summary>
public enum TlsRole
{
    Client,
    Server,
}
