namespace Hxi.Protocols.Quic;

/// <summary>Transport error codes of RFC 9000 Section 20.1, carried by CONNECTION_CLOSE of type 0x1c.</summary>
/// <remarks>
/// CRYPTO_ERROR is a range (0x0100-0x01ff): the low byte is the TLS alert. Use
/// <see cref="QuicTransportErrorCodes.CryptoError"/> to build one and
/// <see cref="QuicTransportErrorCodes.Name"/> to show it.
/// </remarks>
public enum QuicTransportErrorCode : ulong
{
    NoError = 0x00,
    InternalError = 0x01,
    ConnectionRefused = 0x02,
    FlowControlError = 0x03,
    StreamLimitError = 0x04,
    StreamStateError = 0x05,
    FinalSizeError = 0x06,
    FrameEncodingError = 0x07,
    TransportParameterError = 0x08,
    ConnectionIdLimitError = 0x09,
    ProtocolViolation = 0x0a,
    InvalidToken = 0x0b,
    ApplicationError = 0x0c,
    CryptoBufferExceeded = 0x0d,
    KeyUpdateError = 0x0e,
    AeadLimitReached = 0x0f,
    NoViablePath = 0x10,

    /// <summary>Version Information failed validation, or a downgrade was detected (RFC 9368 Section 10.2).</summary>
    VersionNegotiationError = 0x11,

    /// <summary>The first CRYPTO_ERROR code; add the TLS alert number.</summary>
    CryptoErrorBase = 0x100,
}
