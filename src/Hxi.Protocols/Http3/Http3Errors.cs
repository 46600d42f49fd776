namespace Hxi.Protocols.Http3;

/// <summary>A connection error (RFC 9114 Section 8): the whole connection closes with this code.</summary>
public sealed class Http3ConnectionException(Http3ErrorCode code, string reason)
    : Exception($"{Http3ErrorCodes.Name(code)}: {reason}")
{
    public Http3ErrorCode Code { get; } = code;

    public string Reason { get; } = reason;
}

/// <summary>A stream error (RFC 9114 Section 8): the stream is reset (and reading stopped) with this code.</summary>
public sealed class Http3StreamException(long streamId, Http3ErrorCode code, string reason)
    : Exception($"stream {streamId}: {Http3ErrorCodes.Name(code)}: {reason}")
{
    public long StreamId { get; } = streamId;

    public Http3ErrorCode Code { get; } = code;

    public string Reason { get; } = reason;
}
