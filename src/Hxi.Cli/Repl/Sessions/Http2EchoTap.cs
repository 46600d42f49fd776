using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// Sits in front of the wire view so frames written by hand echo like frames received: a raw frame of a
/// known type is shown decoded (or as malformed, with the reason), and a header block encoded for a
/// hand-built HEADERS or CONTINUATION is shown under that frame rather than above it.
/// </summary>
public sealed class Http2EchoTap(IWireTap view) : IWireTap
{
    private const byte LastKnownType = (byte)Http2FrameType.Continuation;

    private WireRecord? _heldBlock;

    /// <summary>Set by the session just before it encodes a block for frames it writes itself (under the connection's lock).</summary>
    public bool HoldNextHeaderBlock { get; set; }

    public void Record(in WireRecord record)
    {
        if (HoldNextHeaderBlock && record is { Direction: WireDirection.Sent, Layer: WireLayer.Hpack })
        {
            HoldNextHeaderBlock = false;
            _heldBlock = record with { Bytes = record.Bytes.ToArray() };
            return;
        }

        if (record is { Direction: WireDirection.Sent, Layer: WireLayer.Http2, Decoded: UnknownFrame { RawType: <= LastKnownType } raw })
        {
            view.Record(record with { Decoded = Decode(raw, record.Bytes.Span) });
        }
        else
        {
            view.Record(record);
        }

        if (_heldBlock is { } block && record is { Direction: WireDirection.Sent, Decoded: HeadersFrame or ContinuationFrame })
        {
            _heldBlock = null;
            view.Record(block);
        }
    }

    private static object Decode(UnknownFrame raw, ReadOnlySpan<byte> bytes)
    {
        Http2FrameHeader.TryRead(bytes, out var header);
        try
        {
            return Http2FrameDecoder.Decode(header, raw.Payload.Span);
        }
        catch (Exception ex) when (ex is Http2ConnectionException or Http2StreamException)
        {
            return new Http2MalformedFrame(header, $"a receiver must reject this frame: {ex.Message}");
        }
    }
}
