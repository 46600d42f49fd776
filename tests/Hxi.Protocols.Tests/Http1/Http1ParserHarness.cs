using System.Reflection;
using System.Text;
using Hxi.Protocols.Http1;
using Xunit.Sdk;

namespace Hxi.Protocols.Tests.Http1;

/// <summary>Runs a parser test with the input fed one byte at a time, three at a time and whole.</summary>
public sealed class PieceSizesAttribute : DataAttribute
{
    public const int Whole = int.MaxValue;

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[1], [3], [Whole]];
}

/// <summary>Feeds a parser and renders its events as a transcript that tests compare line by line.</summary>
internal static class Http1ParserHarness
{
    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Feeds <paramref name="input"/> in pieces, polling after each one.</summary>
    public static List<Http1Event> Feed(Http1ResponseParser parser, string input, int pieceSize) =>
        Feed(parser, Latin1(input), pieceSize);

    public static List<Http1Event> Feed(Http1ResponseParser parser, byte[] input, int pieceSize)
    {
        var events = new List<Http1Event>();
        for (int offset = 0; offset < input.Length; offset += pieceSize)
        {
            parser.Receive(input.AsSpan(offset, Math.Min(pieceSize, input.Length - offset)));
            Drain(parser, events);
        }

        return events;
    }

    public static List<Http1Event> Drain(Http1ResponseParser parser, List<Http1Event>? events = null)
    {
        events ??= [];
        while (parser.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>A parser expecting one response to <paramref name="method"/>, fed and closed if asked.</summary>
    public static List<string> Run(string input, int pieceSize, string method = "GET", bool eof = false,
        Http1ParserLimits? limits = null)
    {
        var parser = new Http1ResponseParser(limits);
        parser.ExpectResponse(method);
        var events = Feed(parser, input, pieceSize);
        if (eof)
        {
            parser.ReceiveEof();
            Drain(parser, events);
        }

        return Transcript(events);
    }

    /// <summary>The message of the protocol error the input causes.</summary>
    public static string Error(string input, int pieceSize, string method = "GET", bool eof = false,
        Http1ParserLimits? limits = null)
    {
        var parser = new Http1ResponseParser(limits);
        parser.ExpectResponse(method);
        var error = Assert.Throws<Http1ProtocolException>(() =>
        {
            Feed(parser, input, pieceSize);
            if (eof)
            {
                parser.ReceiveEof();
            }
        });
        return error.Message;
    }

    /// <summary>One line per event; adjacent body data is joined so that piece size does not show.</summary>
    public static List<string> Transcript(IEnumerable<Http1Event> events)
    {
        var lines = new List<string>();
        var body = new StringBuilder();
        foreach (var e in events)
        {
            if (e is Http1BodyDataReceived data)
            {
                body.Append(Encoding.Latin1.GetString(data.Data.Span));
                continue;
            }

            if (body.Length > 0)
            {
                lines.Add($"data {body}");
                body.Clear();
            }

            lines.Add(e switch
            {
                Http1InterimResponseReceived i => $"interim {i.StatusCode} {i.Reason} {Fields(i.Headers)}",
                Http1ResponseHeadReceived h =>
                    $"head {h.Version} {h.StatusCode} {h.Reason} {Fields(h.Headers)} {h.BodyKind} {h.ContentLength}".TrimEnd(),
                Http1ChunkStarted c => $"chunk {c.Size}{c.Extensions}",
                Http1ResponseCompleted c => $"completed {(c.KeepAlive ? "keep-alive" : "close")} {Fields(c.Trailers)}",
                Http1SwitchingProtocols s => $"switching {Fields(s.Headers)}",
                Http1TunnelEstablished t => $"tunnel {t.StatusCode} {t.Reason} {Fields(t.Headers)}",
                _ => e.ToString(),
            });
        }

        if (body.Length > 0)
        {
            lines.Add($"data {body}");
        }

        return lines;
    }

    private static string Fields(IReadOnlyList<Primitives.HeaderField> fields) =>
        $"[{string.Join(", ", fields)}]";
}
