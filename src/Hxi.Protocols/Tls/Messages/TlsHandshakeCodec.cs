namespace Hxi.Protocols.Tls;

/// <summary>Turns one reassembled handshake message body into its record.</summary>
internal static class TlsHandshakeCodec
{
    public static TlsHandshakeMessage Decode(TlsHandshakeType type, ReadOnlySpan<byte> body) => type switch
    {
        TlsHandshakeType.ClientHello => ClientHello.Read(body),
        TlsHandshakeType.ServerHello => ServerHello.ReadEither(body),
        TlsHandshakeType.EncryptedExtensions => EncryptedExtensions.Read(body),
        TlsHandshakeType.CertificateRequest => CertificateRequestMessage.Read(body),
        TlsHandshakeType.Certificate => CertificateMessage.Read(body),
        TlsHandshakeType.CertificateVerify => CertificateVerify.Read(body),
        TlsHandshakeType.Finished => Finished.Read(body),
        TlsHandshakeType.NewSessionTicket => NewSessionTicket.Read(body),

        // EndOfEarlyData and KeyUpdate are forbidden in QUIC (RFC 9001 Sections 6 and 8.3).
        _ => throw TlsAlertException.Unexpected($"handshake message type {(byte)type} is not allowed here"),
    };
}
