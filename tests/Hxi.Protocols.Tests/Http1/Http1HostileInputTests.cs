using Hxi.Protocols.Http1;

namespace Hxi.Protocols.Tests.Http1;

/// <summary>Random and mutated input: the parser may only answer with events or Http1ProtocolException.</summary>
public class Http1HostileInputTests
{
    private static readonly string[] Seeds =
    [
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: v\r\n\r\n",
        "HTTP/1.0 200 OK\r\nX: a\r\n b\r\n\r\nbody until close",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\nPRI",
    ];

    [Fact]
    public void MutatedResponses_NeverThrowAnythingElse()
    {
        var random = new Random(9112);
        for (int round = 0; round < 5000; round++)
        {
            var input = Http1ParserHarness.Latin1(Seeds[round % Seeds.Length]);
            int mutations = random.Next(1, 4);
            for (int m = 0; m < mutations; m++)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            Exercise(input, random.Next(1, 8), random.Next(2) == 0 ? "GET" : "HEAD");
        }
    }

    [Fact]
    public void RandomBytes_NeverThrowAnythingElse()
    {
        var random = new Random(7230);
        for (int round = 0; round < 2000; round++)
        {
            var input = new byte[random.Next(10, 300)];
            random.NextBytes(input);
            if (round % 2 == 0)
            {
                "HTTP/1.1 "u8.CopyTo(input);
            }

            Exercise(input, random.Next(1, 16), "GET");
        }
    }

    private static void Exercise(byte[] input, int pieceSize, string method)
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse(method);
        try
        {
            Http1ParserHarness.Feed(parser, input, pieceSize);
            parser.ReceiveEof();
            Http1ParserHarness.Drain(parser);
        }
        catch (Http1ProtocolException)
        {
            // The expected answer to garbage.
        }
    }
}
