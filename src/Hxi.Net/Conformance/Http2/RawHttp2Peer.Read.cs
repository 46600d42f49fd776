using System.Buffers;
using System.Net.Sockets;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Conformance.Http2;

public sealed partial class RawHttp2Peer
{
    /// <summary>Reads frames until the server closes; each goes to the evidence and to the inbox the case reads.</summary>
    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        string closed;
        try
        {
            while (true)
            {
                while (TryTakeFrame(buffer, ref start, end))
                {
                }

                if (start == end)
                {
                    start = end = 0;
                }
                else if (end == buffer.Length)
                {
                    var live = end - start;
                    var grown = live * 2 > buffer.Length ? new byte[buffer.Length * 2] : buffer;
                    Array.Copy(buffer, start, grown, 0, live);
                    buffer = grown;
                    start = 0;
                    end = live;
                }

                var read = await _connection.Stream.ReadAsync(buffer.AsMemory(end), _stop.Token);
                if (read == 0)
                {
                    closed = end > start ? $"the server closed the connection (in the middle of a frame, {end - start} bytes)" : "the server closed the connection";
                    break;
                }

                end += read;
            }
        }
        catch (OperationCanceledException)
        {
            _inbox.Writer.TryComplete();
            return;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            closed = ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset }
                ? "the server reset the connection (TCP RST)"
                : $"the connection failed: {ex.Message}";
        }

        _context.Record(new NoteEvidence(closed));
        _inbox.Writer.TryWrite(new Http2Observation(null, null, closed));
        _inbox.Writer.TryComplete();
    }

    private bool TryTakeFrame(byte[] buffer, ref int start, int end)
    {
        var available = buffer.AsSpan(start, end - start);
        if (!Http2FrameHeader.TryRead(available, out var header) || available.Length < Http2FrameHeader.Size + header.Length)
        {
            return false;
        }

        var payload = available.Slice(Http2FrameHeader.Size, header.Length);
        start += Http2FrameHeader.Size + header.Length;
        Http2Frame frame;
        try
        {
            frame = Http2FrameDecoder.Decode(header, payload);
        }
        catch (Exception ex) when (ex is Http2ConnectionException or Http2StreamException)
        {
            // A broken frame from the server is evidence too; cases judge it by type and stream like any other.
            frame = new UnknownFrame(header.Type, header.Flags, header.StreamId, payload.ToArray());
            _context.Record(new NoteEvidence($"the server's {Http2FrameNames.Name(header.Type)} frame is malformed: {ex.Message}"));
        }

        var fields = CollectFieldBlock(frame);
        _context.Record(new Http2FrameEvidence(false, frame, header.Length, fields));
        _inbox.Writer.TryWrite(new Http2Observation(frame, fields, null));
        return true;
    }

    /// <summary>Decodes the server's field blocks so that evidence shows :status; null until a block is complete.</summary>
    private List<HeaderField>? CollectFieldBlock(Http2Frame frame)
    {
        ReadOnlyMemory<byte> fragment;
        bool endHeaders;
        switch (frame)
        {
            case HeadersFrame headers:
                _block.ResetWrittenCount();
                (fragment, endHeaders, _inBlock) = (headers.BlockFragment, headers.EndHeaders, true);
                break;
            case PushPromiseFrame push:
                _block.ResetWrittenCount();
                (fragment, endHeaders, _inBlock) = (push.BlockFragment, push.EndHeaders, true);
                break;
            case ContinuationFrame continuation when _inBlock:
                (fragment, endHeaders) = (continuation.BlockFragment, continuation.EndHeaders);
                break;
            default:
                return null;
        }

        _block.Write(fragment.Span);
        if (!endHeaders)
        {
            return null;
        }

        _inBlock = false;
        try
        {
            return _decoder.Decode(_block.WrittenSpan);
        }
        catch (HpackDecodingException ex)
        {
            _context.Record(new NoteEvidence($"the server's field block does not decode: {ex.Message}"));
            return null;
        }
    }
}
