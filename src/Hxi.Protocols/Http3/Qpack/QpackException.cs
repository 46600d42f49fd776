namespace Hxi.Protocols.Http3.Qpack;

/// <summary>
/// QPACK input that cannot be processed; always a connection error (RFC 9204 Section 6) with one of
/// QPACK_DECOMPRESSION_FAILED, QPACK_ENCODER_STREAM_ERROR or QPACK_DECODER_STREAM_ERROR.
/// </summary>
public sealed class QpackException(Http3ErrorCode code, string reason)
    : Exception($"{Http3ErrorCodes.Name(code)}: {reason}")
{
    public Http3ErrorCode Code { get; } = code;

    public string Reason { get; } = reason;
}
