using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http1;

/// <summary>The status line, the header section and the framing decision they lead to.</summary>
public sealed partial class Http1ResponseParser
{
    // The response being parsed.
    private string _requestMethod = "";
    private string _version = "";
    private bool _isHttp10;
    private int _statusCode;
    private string _reason = "";
    private List<HeaderField> _fields = [];
    private int _sectionBytes;
    private bool _keepAlive;

    private bool ReadStatusLine()
    {
        var unread = _input.Unread;

        // Empty lines before a status line are skipped for robustness (RFC 9112 Section 2.2 grants
        // servers the same); servers that count a body's trailing CRLF wrongly produce them.
        if (unread.Length > 0 && unread[0] == (byte)'\n')
        {
            ConsumeUndecoded(1);
            return true;
        }

        if (unread.Length > 0 && unread[0] == (byte)'\r')
        {
            if (unread.Length == 1)
            {
                return false;
            }

            if (unread[1] == (byte)'\n')
            {
                ConsumeUndecoded(2);
                return true;
            }
        }

        // Fail on five bytes that are not "HTTP/" (a TLS alert, an HTTP/2 preface) rather than
        // wait for a line end that may never come. Five, not fewer, so the message is always the same.
        var prefix = "HTTP/"u8;
        var window = unread[..Math.Min(unread.Length, prefix.Length)];
        int lf = window.IndexOf((byte)'\n');
        var first = lf < 0 ? window : window[..lf];
        if ((first.Length == prefix.Length || lf >= 0) && !first.SequenceEqual(prefix))
        {
            // An HTTP/2 frame header starts with a zero byte (its length is under 2^16): wait for all nine to name it.
            if (unread.Length < Http1ForeignBytes.BytesNeeded && unread[0] == 0 && !_eof)
            {
                return false;
            }

            var (foreign, description) = Http1ForeignBytes.Identify(unread);
            throw foreign == Http1ForeignProtocol.None
                ? new Http1ProtocolException($"invalid status line: starts with '{Http1Syntax.Show(first)}', not 'HTTP/'")
                : new Http1ProtocolException($"the server answered with {description} where an HTTP/1.1 status line belonged", foreign);
        }

        _input.SetMark();
        switch (_input.TryTakeLine(_limits.MaxStatusLineLength, out var line, out _))
        {
            case Http1InputBuffer.LineStatus.Incomplete:
                return false;
            case Http1InputBuffer.LineStatus.TooLong:
                throw new Http1ProtocolException($"status line longer than {_limits.MaxStatusLineLength} bytes");
        }

        ParseStatusLine(line);
        _fields = [];
        _sectionBytes = 0;
        _state = State.HeaderSection;
        return true;
    }

    // status-line  = HTTP-version SP status-code SP [ reason-phrase ]     (RFC 9112 Section 4)
    // HTTP-version = "HTTP/" DIGIT "." DIGIT
    // A missing SP before an empty reason ("HTTP/1.1 200") is accepted: common and unambiguous.
    private void ParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12
            || !line.StartsWith("HTTP/"u8)
            || !Http1Syntax.IsDigit(line[5])
            || line[6] != (byte)'.'
            || !Http1Syntax.IsDigit(line[7])
            || line[8] != (byte)' '
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw new Http1ProtocolException($"invalid status line '{Http1Syntax.Show(line)}'");
        }

        if (line[5] != (byte)'1')
        {
            throw new Http1ProtocolException($"unsupported HTTP version '{Http1Syntax.Show(line[..8])}'");
        }

        var code = line[9..12];
        if (!Http1Syntax.IsDigit(code[0]) || !Http1Syntax.IsDigit(code[1]) || !Http1Syntax.IsDigit(code[2])
            || code[0] == (byte)'0')
        {
            throw new Http1ProtocolException($"invalid status code '{Http1Syntax.Show(code)}'");
        }

        // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
        var reason = line.Length > 12 ? line[13..] : [];
        foreach (byte b in reason)
        {
            if (b is < 0x20 and not (byte)'\t' or 0x7F)
            {
                throw new Http1ProtocolException($"invalid character 0x{b:X2} in reason phrase '{Http1Syntax.Show(reason)}'");
            }
        }

        _version = Http1Syntax.Latin1(line[..8]);
        _isHttp10 = line[7] == (byte)'0';
        _statusCode = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        _reason = Http1Syntax.Latin1(reason);
    }

    private bool ReadHeaderLine()
    {
        if (!TryReadFieldLine(_limits.MaxHeaderBytes, "header", out bool sectionEnded))
        {
            return false;
        }

        if (sectionEnded)
        {
            EndHead();
        }

        return true;
    }

    // Reads one line of a header or trailer section into _fields; false when more input is needed.
    private bool TryReadFieldLine(int maxSectionBytes, string section, out bool sectionEnded)
    {
        sectionEnded = false;
        switch (_input.TryTakeLine(maxSectionBytes - _sectionBytes, out var line, out int lineBytes))
        {
            case Http1InputBuffer.LineStatus.Incomplete:
                return false;
            case Http1InputBuffer.LineStatus.TooLong:
                throw new Http1ProtocolException($"{section} section longer than {maxSectionBytes} bytes");
        }

        _sectionBytes += lineBytes;
        if (_sectionBytes > maxSectionBytes)
        {
            throw new Http1ProtocolException($"{section} section longer than {maxSectionBytes} bytes");
        }

        if (line.IsEmpty)
        {
            sectionEnded = true;
        }
        else if (Http1Syntax.IsOws(line[0]))
        {
            AppendObsFold(line, section);
        }
        else
        {
            AddField(line, section);
        }

        return true;
    }

    // field-line = field-name ":" OWS field-value OWS     (RFC 9112 Section 5)
    private void AddField(ReadOnlySpan<byte> line, string section)
    {
        int colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            throw new Http1ProtocolException($"{section} line without a colon: '{Http1Syntax.Show(line)}'");
        }

        var name = line[..colon];
        if (name.IsEmpty)
        {
            throw new Http1ProtocolException($"empty {section} field name in '{Http1Syntax.Show(line)}'");
        }

        // Section 5.1: whitespace here has been used for request smuggling; no lenient reading.
        if (Http1Syntax.IsOws(name[^1]))
        {
            throw new Http1ProtocolException(
                $"whitespace between {section} field name '{Http1Syntax.Show(Http1Syntax.TrimOws(name))}' and colon");
        }

        int bad = name.IndexOfAnyExcept(Http1Syntax.TokenBytes);
        if (bad >= 0)
        {
            throw new Http1ProtocolException(
                $"invalid character 0x{name[bad]:X2} in {section} field name '{Http1Syntax.Show(name)}'");
        }

        string fieldName = Http1Syntax.Latin1(name);
        var value = Http1Syntax.TrimOws(line[(colon + 1)..]);
        CheckFieldValue(value, fieldName, section);
        if (_fields.Count >= _limits.MaxHeaderCount)
        {
            throw new Http1ProtocolException($"more than {_limits.MaxHeaderCount} {section} fields");
        }

        _fields.Add(new HeaderField(fieldName, Http1Syntax.Latin1(value)));
    }

    // obs-fold = OWS CRLF RWS. RFC 9112 Section 5.2 lets a user agent replace it with SP instead of
    // rejecting the message, and a client is one, so the line continues the previous field's value.
    private void AppendObsFold(ReadOnlySpan<byte> line, string section)
    {
        if (_fields.Count == 0)
        {
            // Section 2.2: whitespace before the first field could hide a field from some parsers.
            throw new Http1ProtocolException($"whitespace before the first {section} field");
        }

        var previous = _fields[^1];
        var continuation = Http1Syntax.TrimOws(line);
        CheckFieldValue(continuation, previous.Name, section);
        if (!continuation.IsEmpty)
        {
            _fields[^1] = previous with { Value = $"{previous.Value} {Http1Syntax.Latin1(continuation)}" };
        }
    }

    // RFC 9110 Section 5.5: CR, LF and NUL are dangerous in a value; other controls are kept for robustness.
    private static void CheckFieldValue(ReadOnlySpan<byte> value, string name, string section)
    {
        int bad = value.IndexOfAny((byte)'\0', (byte)'\r');
        if (bad >= 0)
        {
            string what = value[bad] == 0 ? "NUL" : "bare CR";
            throw new Http1ProtocolException($"{what} in value of {section} field '{Http1Syntax.Show(name)}'");
        }
    }

    private void EndHead()
    {
        var wire = _input.TakeMarked();
        var headers = _fields;
        if (_statusCode == 101)
        {
            HandOver(new Http1SwitchingProtocols(headers), wire);
            return;
        }

        if (_statusCode < 200)
        {
            // An interim response; the final one follows for the same request (RFC 9110 Section 15.2).
            Emit(new Http1InterimResponseReceived(_statusCode, _reason, headers), wire);
            _state = State.StatusLine;
            return;
        }

        // RFC 9112 Section 6.3 rule 2: after a 2xx to CONNECT the bytes are the tunnel's.
        if (_requestMethod == "CONNECT" && _statusCode < 300)
        {
            HandOver(new Http1TunnelEstablished(_statusCode, _reason, headers), wire);
            return;
        }

        var (bodyKind, contentLength) = Http1Framing.DecideBody(_requestMethod, _statusCode, headers);
        _keepAlive = Http1Framing.IsKeepAlive(_isHttp10, headers, bodyKind);
        Emit(new Http1ResponseHeadReceived(_version, _statusCode, _reason, headers, bodyKind, contentLength), wire);
        switch (bodyKind)
        {
            case Http1BodyKind.None:
            case Http1BodyKind.ContentLength when contentLength == 0:
                Complete([], ReadOnlyMemory<byte>.Empty);
                break;
            case Http1BodyKind.ContentLength:
                _bodyLength = _bodyRemaining = contentLength!.Value;
                _state = State.ContentLengthBody;
                break;
            case Http1BodyKind.Chunked:
                _state = State.ChunkSizeLine;
                break;
            default:
                _state = State.UntilCloseBody;
                break;
        }
    }

    private void HandOver(Http1Event e, ReadOnlyMemory<byte> wire)
    {
        Emit(e, wire);
        _state = State.HandedOver;
    }
}
