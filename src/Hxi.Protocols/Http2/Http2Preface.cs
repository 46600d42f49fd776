namespace Hxi.Protocols.Http2;

/// <summary>The client connection preface of RFC 9113 Section 3.4; recorded on the tap as itself.</summary>
public sealed record Http2Preface
{
    public static readonly Http2Preface Instance = new();

    /// <summary>"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"</summary>
    public static ReadOnlySpan<byte> Bytes => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;
}

/// <summary>A whole field block, decoded or encoded, recorded on the tap after the frames that carried it.</summary>
public sealed record Http2HeaderBlock(
    int StreamId,
    IReadOnlyList<Primitives.HeaderField> Fields,
    IReadOnlyList<Hpack.HpackFieldTrace>? Representations,
    int DynamicTableSize,
    int DynamicTableCount,
    int? PromisedStreamId = null);

/// <summary>A frame that could not be decoded; recorded with its raw bytes before the error is handled.</summary>
public sealed record Http2MalformedFrame(Http2FrameHeader Header, string Reason);
