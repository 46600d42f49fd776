using System.Buffers;
using System.Globalization;
using System.Text;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http1;

/// <summary>Writes HTTP/1.1 request heads and chunked bodies (RFC 9112) as Latin-1 bytes.</summary>
/// <remarks>
/// <code>
/// request-line = method SP request-target SP "HTTP/1.1" CRLF
/// field-line   = field-name ":" SP field-value CRLF
/// chunk        = chunk-size CRLF chunk-data CRLF        last-chunk = "0" CRLF trailer-section CRLF
/// </code>
/// Everything is validated before the first byte is written, so a rejected call writes nothing.
/// To send deliberately broken framing, put the raw bytes on the wire instead.
/// </remarks>
public static class Http1RequestWriter
{
    /// <summary>Writes the request line and header section, ending with the empty line.</summary>
    /// <param name="contentLength">
    /// When set, a Content-Length field is added; when null the headers alone decide the framing
    /// (no body, or Transfer-Encoding: chunked followed by <see cref="WriteChunk"/> calls).
    /// </param>
    /// <exception cref="ArgumentException">A method, target, field name or value that would break the framing.</exception>
    public static void Write(
        IBufferWriter<byte> output,
        string method,
        string target,
        IReadOnlyList<HeaderField> headers,
        long? contentLength)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(headers);
        CheckToken(method, "method", nameof(method));
        CheckTarget(target);
        CheckFields(headers, nameof(headers));
        if (contentLength is { } length)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(length, nameof(contentLength));
            foreach (var field in headers)
            {
                if (field.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                    || field.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException(
                        $"headers already contain {field.Name}; with contentLength set the writer adds Content-Length itself",
                        nameof(headers));
                }
            }
        }

        WriteLatin1(output, method);
        output.Write(" "u8);
        WriteLatin1(output, target);
        output.Write(" HTTP/1.1\r\n"u8);
        WriteFields(output, headers);
        if (contentLength is { } value)
        {
            output.Write("Content-Length: "u8);
            WriteNumber(output, value, "D");
            output.Write("\r\n"u8);
        }

        output.Write("\r\n"u8);
    }

    /// <summary>Writes one chunk: its size in hex, CRLF, the data, CRLF.</summary>
    /// <exception cref="ArgumentException">Empty data, which would be read as the last chunk.</exception>
    public static void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (data.IsEmpty)
        {
            throw new ArgumentException("an empty chunk ends the body; use WriteLastChunk", nameof(data));
        }

        WriteNumber(output, data.Length, "x");
        output.Write("\r\n"u8);
        output.Write(data);
        output.Write("\r\n"u8);
    }

    /// <summary>Writes the last chunk "0", the trailer fields if any, and the empty line that ends the body.</summary>
    public static void WriteLastChunk(IBufferWriter<byte> output, IReadOnlyList<HeaderField>? trailers)
    {
        ArgumentNullException.ThrowIfNull(output);
        trailers ??= [];
        CheckFields(trailers, nameof(trailers));
        output.Write("0\r\n"u8);
        WriteFields(output, trailers);
        output.Write("\r\n"u8);
    }

    private static void WriteFields(IBufferWriter<byte> output, IReadOnlyList<HeaderField> fields)
    {
        foreach (var field in fields)
        {
            WriteLatin1(output, field.Name);
            output.Write(": "u8);
            WriteLatin1(output, field.Value);
            output.Write("\r\n"u8);
        }
    }

    private static void WriteLatin1(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        output.Advance(Encoding.Latin1.GetBytes(text, span));
    }

    private static void WriteNumber(IBufferWriter<byte> output, long value, string format)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out int written, format, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private static void CheckFields(IReadOnlyList<HeaderField> fields, string parameter)
    {
        foreach (var field in fields)
        {
            CheckToken(field.Name, "field name", parameter);
            ArgumentNullException.ThrowIfNull(field.Value, parameter);
            for (int i = 0; i < field.Value.Length; i++)
            {
                char c = field.Value[i];
                if (c is '\r' or '\n' or '\0' or > '\xFF')
                {
                    throw new ArgumentException(
                        $"value of field '{field.Name}' contains {Describe(c)} at index {i}; CR, LF, NUL and non-Latin-1 characters are not allowed",
                        parameter);
                }
            }
        }
    }

    private static void CheckToken(string? token, string what, string parameter)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new ArgumentException($"the {what} is empty", parameter);
        }

        int bad = token.AsSpan().IndexOfAnyExcept(Http1Syntax.TokenChars);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"the {what} '{token}' contains {Describe(token[bad])} at index {bad}; only token characters (RFC 9110 5.6.2) are allowed",
                parameter);
        }
    }

    // request-target: any visible character or obs-text; SP, controls and non-Latin-1 would break the request line.
    private static void CheckTarget(string target)
    {
        if (target.Length == 0)
        {
            throw new ArgumentException("the request target is empty", nameof(target));
        }

        for (int i = 0; i < target.Length; i++)
        {
            char c = target[i];
            if (c is <= ' ' or '\x7F' or > '\xFF')
            {
                throw new ArgumentException(
                    $"the request target contains {Describe(c)} at index {i}", nameof(target));
            }
        }
    }

    private static string Describe(char c) => $"U+{(int)c:X4}";
}
