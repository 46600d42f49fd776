namespace Hxi.Protocols.Http2;

/// <summary>A connection error (RFC 9113 Section 5.4.1): the connection ends with GOAWAY and this code.</summary>
public sealed class Http2ConnectionException(Http2ErrorCode code, string reason)
    : Exception($"{Http2ErrorCodes.Name(code)}: {reason}")
{
    public Http2ErrorCode Code { get; } = code;

    public string Reason { get; } = reason;
}

/// <summary>A stream error (RFC 9113 Section 5.4.2): the stream ends with RST_STREAM and this code.</summary>
public sealed class Http2StreamException(int streamId, Http2ErrorCode code, string reason)
    : Exception($"stream {streamId}: {Http2ErrorCodes.Name(code)}: {reason}")
{
    public int StreamId { get; } = streamId;

    public Http2ErrorCode Code { get; } = code;

    public string Reason { get; } = reason;
}
