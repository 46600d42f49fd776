using System.Buffers.Binary;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http2.Hpack;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// A nonconforming server that is too strict: the conforming peer behind a filter that answers anything beyond the
/// plainest request (unknown types and settings, undefined flags, reserved bits, padding, priority, CONTINUATION,
/// RST_STREAM, stream WINDOW_UPDATE, Huffman or the dynamic table, te, content-length) with GOAWAY PROTOCOL_ERROR.
/// The cases that check what a server must accept fail against it.
/// </summary>
internal sealed class BrittleH2Peer
{
    private static readonly byte[] Refusal = Http2FrameWriterBytes(new GoAwayFrame(0, (uint)Http2ErrorCode.ProtocolError, "brittle"u8.ToArray()));

    private readonly List<byte> _pending = [];
    private readonly HpackDecoder _decoder = new(maxTableSize: 0, maxHeaderListSize: 1 << 20);
    private int _prefaceLeft = Http2Preface.Bytes.Length;

    public static Task RunAsync(Stream stream, CancellationToken ct) => ConformingH2Peer.RunAsync(stream, new BrittleH2Peer().Inspect, ct);

    private byte[]? Inspect(ReadOnlyMemory<byte> chunk)
    {
        var bytes = chunk.Span;
        var skip = Math.Min(_prefaceLeft, bytes.Length);
        _prefaceLeft -= skip;
        _pending.AddRange(bytes[skip..]);
        while (_pending.Count >= Http2FrameHeader.Size)
        {
            var header = _pending.ToArray();
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            if (_pending.Count < Http2FrameHeader.Size + length)
            {
                break;
            }

            var payload = header.AsSpan(Http2FrameHeader.Size, length);
            var unusual = IsUnusual(header[3], header[4], (header[5] & 0x80) != 0, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7fff_ffff, payload);
            _pending.RemoveRange(0, Http2FrameHeader.Size + length);
            if (unusual)
            {
                return Refusal;
            }
        }

        return null;
    }

    private bool IsUnusual(byte type, byte flags, bool reserved, int streamId, ReadOnlySpan<byte> payload)
    {
        if (reserved || type > (byte)Http2FrameType.GoAway && type != (byte)Http2FrameType.WindowUpdate)
        {
            return true;
        }

        return (Http2FrameType)type switch
        {
            Http2FrameType.Data => (flags & ~0x1) != 0,
            Http2FrameType.Headers => (flags & ~0x5) != 0 || !PlainBlock(payload),
            Http2FrameType.Settings => (flags & ~0x1) != 0 || HasUnknownSetting(payload),
            Http2FrameType.Ping => (flags & ~0x1) != 0,
            Http2FrameType.WindowUpdate => streamId != 0 || (payload.Length == 4 && (payload[0] & 0x80) != 0),
            Http2FrameType.GoAway => false,
            _ => true, // PRIORITY, RST_STREAM, PUSH_PROMISE, CONTINUATION
        };
    }

    private static bool HasUnknownSetting(ReadOnlySpan<byte> payload)
    {
        for (var i = 0; i + 6 <= payload.Length; i += 6)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(payload[i..]) is 0 or > 6)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Only literals and static indices, no Huffman, no size updates, no te or content-length.</summary>
    private bool PlainBlock(ReadOnlySpan<byte> block)
    {
        var trace = new List<HpackFieldTrace>();
        try
        {
            var fields = _decoder.Decode(block, trace);
            return !trace.Any(t => t.NameHuffman || t.ValueHuffman || t.Representation == HpackRepresentation.DynamicTableSizeUpdate)
                && !fields.Any(f => f.Name is "te" or "content-length");
        }
        catch (HpackDecodingException)
        {
            return false;
        }
    }

    private static byte[] Http2FrameWriterBytes(Http2Frame frame)
    {
        var bytes = new byte[Http2FrameWriter.GetByteCount(frame)];
        Http2FrameWriter.Write(frame, bytes);
        return bytes;
    }
}
