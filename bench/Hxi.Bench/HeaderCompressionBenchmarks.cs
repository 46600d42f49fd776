using System.Buffers;
using BenchmarkDotNet.Attributes;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Bench;

/// <summary>
/// HPACK (RFC 7541) and QPACK (RFC 9204) on a typical request head and response head: what hxi sends for a GET
/// and what a file server such as Caddy answers. HPACK runs with its dynamic table warmed by a first block, as on
/// any connection after its first request; QPACK with the default (no dynamic table) most peers announce.
/// </summary>
[MemoryDiagnoser]
public class HeaderCompressionBenchmarks
{
    private static readonly HeaderField[] Request =
    [
        new(":method", "GET"),
        new(":scheme", "https"),
        new(":authority", "localhost:8443"),
        new(":path", "/files/100mb.bin"),
        new("user-agent", "hxi/0.1.0"),
        new("accept", "*/*"),
    ];

    private static readonly HeaderField[] Response =
    [
        new(":status", "200"),
        new("accept-ranges", "bytes"),
        new("alt-svc", "h3=\":8443\"; ma=2592000"),
        new("content-length", "104857600"),
        new("content-type", "application/octet-stream"),
        new("etag", "\"s3k9xq1q4hn4\""),
        new("last-modified", "Thu, 03 Dec 2026 09:12:44 GMT"),
        new("server", "Caddy"),
        new("date", "Thu, 03 Dec 2026 11:46:25 GMT"),
    ];

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private HpackEncoder _hpackEncoder = null!;
    private HpackDecoder _hpackDecoder = null!;
    private byte[] _hpackRequest = null!;
    private byte[] _hpackResponse = null!;
    private QpackEncoder _qpackEncoder = null!;
    private QpackDecoder _qpackDecoder = null!;
    private byte[] _qpackRequest = null!;
    private byte[] _qpackResponse = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hpackEncoder = new HpackEncoder();
        _hpackDecoder = new HpackDecoder();
        // The first blocks fill both dynamic tables; the second ones are the steady state that is measured.
        foreach (var head in new[] { Request, Response })
        {
            _output.ResetWrittenCount();
            _hpackEncoder.Encode(head, _output);
            _hpackDecoder.Decode(_output.WrittenSpan);
        }

        _hpackRequest = HpackEncode(Request);
        _hpackResponse = HpackEncode(Response);
        _qpackEncoder = new QpackEncoder();
        _qpackDecoder = new QpackDecoder();
        _qpackRequest = QpackEncode(Request);
        _qpackResponse = QpackEncode(Response);
    }

    [Benchmark]
    public int HpackEncodeRequest() => HpackEncodeInPlace(Request);

    [Benchmark]
    public int HpackDecodeRequest() => _hpackDecoder.Decode(_hpackRequest).Count;

    [Benchmark]
    public int HpackEncodeResponse() => HpackEncodeInPlace(Response);

    [Benchmark]
    public int HpackDecodeResponse() => _hpackDecoder.Decode(_hpackResponse).Count;

    [Benchmark]
    public int QpackEncodeRequest() => QpackEncodeInPlace(Request);

    [Benchmark]
    public int QpackDecodeRequest() => QpackDecode(_qpackRequest);

    [Benchmark]
    public int QpackEncodeResponse() => QpackEncodeInPlace(Response);

    [Benchmark]
    public int QpackDecodeResponse() => QpackDecode(_qpackResponse);

    private byte[] HpackEncode(HeaderField[] head)
    {
        HpackEncodeInPlace(head);
        return _output.WrittenSpan.ToArray();
    }

    private byte[] QpackEncode(HeaderField[] head)
    {
        QpackEncodeInPlace(head);
        return _output.WrittenSpan.ToArray();
    }

    // Into the reused writer: what is measured is the encoder, not a copy of its output.
    private int HpackEncodeInPlace(HeaderField[] head)
    {
        _output.ResetWrittenCount();
        _hpackEncoder.Encode(head, _output);
        return _output.WrittenCount;
    }

    private int QpackEncodeInPlace(HeaderField[] head)
    {
        _output.ResetWrittenCount();
        _qpackEncoder.EncodeFieldSection(0, head, _output);
        return _output.WrittenCount;
    }

    private int QpackDecode(byte[] section) =>
        _qpackDecoder.TryDecode(0, section, out var result) ? result!.Fields.Count : throw new InvalidOperationException("blocked");
}
