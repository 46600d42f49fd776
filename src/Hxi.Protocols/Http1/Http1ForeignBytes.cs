using Hxi.Protocols.Http2;

namespace Hxi.Protocols.Http1;

/// <summary>
/// Names the protocol of bytes that arrived where an HTTP/1.1 status line belonged: an HTTP/2 frame or preface
/// (a server that speaks only h2c), or a TLS record (a TLS port reached with http://).
/// </summary>
public static class Http1ForeignBytes
{
    /// <summary>Enough to tell: an HTTP/2 frame header is nine bytes.</summary>
    public const int BytesNeeded = Http2FrameHeader.Size;

    public static (Http1ForeignProtocol Protocol, string Description) Identify(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 5 && bytes.StartsWith(Http2Preface.Bytes[..Math.Min(bytes.Length, Http2Preface.Bytes.Length)]))
        {
            return (Http1ForeignProtocol.Http2, "the HTTP/2 connection preface");
        }

        // RFC 9113 Section 3.4: a server's first frame is SETTINGS on stream 0; one that gives up at once sends GOAWAY.
        if (Http2FrameHeader.TryRead(bytes, out var header) && header.StreamId == 0 && IsOpeningFrame(header))
        {
            return (Http1ForeignProtocol.Http2, $"an HTTP/2 {Http2FrameNames.Name(header.Type)} frame");
        }

        // RFC 8446 Section 5.1: content type 21 (alert) or 22 (handshake), then version 3.x.
        if (bytes.Length >= 3 && bytes[0] is 0x15 or 0x16 && bytes[1] == 0x03)
        {
            return (Http1ForeignProtocol.Tls, bytes[0] == 0x15 ? "a TLS alert" : "a TLS handshake record");
        }

        return (Http1ForeignProtocol.None, "");
    }

    private static bool IsOpeningFrame(Http2FrameHeader header) => header.Type switch
    {
        (byte)Http2FrameType.Settings => header.Length % 6 == 0 && header.Length <= 16_384,
        (byte)Http2FrameType.GoAway => header.Length >= 8,
        _ => false,
    };
}
