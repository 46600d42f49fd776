using System.Text;
using Hxi.Protocols.Http1;

namespace Hxi.Fuzz.Targets;

/// <summary>The HTTP/1.1 response parser (RFC 9112): pipelined responses, split anywhere, then the server's close.</summary>
/// <remarks>
/// Input: one option byte (bits 0-3: the methods of up to two pipelined requests; bits 4-7: chunk size, 0 = whole),
/// then the server's bytes.
/// </remarks>
public static class Http1ResponseTarget
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "CONNECT"];

    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        byte options = input.TakeByte();
        var parser = new Http1ResponseParser(new Http1ParserLimits { MaxHeaderBytes = 16 * 1024, MaxTrailerBytes = 4096 });
        try
        {
            parser.ExpectResponse(Methods[options & 3]);
            parser.ExpectResponse(Methods[(options >> 2) & 3]);
            FuzzInput.Feed(input.TakeAll(), options >> 4, bytes =>
            {
                parser.Receive(bytes);
                Drain(parser);
            });
            parser.ReceiveEof();
            Drain(parser);
            if (parser.IsIdle || parser.HasHandedOver)
            {
                _ = parser.TakeRemainingBytes();
            }
        }
        catch (Http1ProtocolException)
        {
        }
    }

    private static void Drain(Http1ResponseParser parser)
    {
        while (parser.TryPollEvent(out var e))
        {
            _ = e.ToString();
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        string[] responses =
        [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhelloHTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer-One: x\r\n\r\nHTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.0 200 OK\r\nConnection: close\r\n\r\nbody until close",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00",
            "HTTP/1.1 301 Moved Permanently\r\nLocation: https://example.com/\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length:  3 \r\nX-Folded: a\r\n\tb\r\n\r\nabc",
        ];
        byte[] methodOptions = [0x00, 0x02, 0x00, 0x00, 0x00];
        for (int i = 0; i < responses.Length; i++)
        {
            var bytes = Encoding.Latin1.GetBytes(responses[i]);
            yield return [methodOptions[i], .. bytes];
            yield return [(byte)(methodOptions[i] | 0x30), .. bytes];
        }

        yield return [0x05, .. Encoding.Latin1.GetBytes("HTTP/1.1 200 Connection established\r\n\r\ntunnel bytes")];
    }
}
