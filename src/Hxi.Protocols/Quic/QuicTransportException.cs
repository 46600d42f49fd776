namespace Hxi.Protocols.Quic;

/// <summary>
/// A connection error (RFC 9000 Section 11.1): the connection closes with CONNECTION_CLOSE of type 0x1c
/// carrying <see cref="Code"/>, <see cref="FrameType"/> and <see cref="Reason"/>.
/// </summary>
public sealed class QuicTransportException(QuicTransportErrorCode code, ulong frameType, string reason)
    : Exception($"{QuicTransportErrorCodes.Name(code)} (frame 0x{frameType:x}): {reason}")
{
    public QuicTransportErrorCode Code { get; } = code;

    /// <summary>The frame type that triggered the error, or 0 when none did (RFC 9000 Section 19.19).</summary>
    public ulong FrameType { get; } = frameType;

    public string Reason { get; } = reason;
}
