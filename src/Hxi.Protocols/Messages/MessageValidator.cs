using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Messages;

/// <summary>
/// Judges one received message as it arrives (RFC 9113 8.1-8.3, RFC 9114 4.1-4.3, RFC 9110 8.6 and 15.2):
/// the field sections in order (any number of 1xx, the final header section, trailers), then the DATA
/// against content-length. One per stream and direction; the core calls it on every HEADERS, DATA and end.
/// </summary>
/// <remarks>
/// Each method returns the first rule the new input breaks, or null. The validator keeps its state either
/// way, so a connection that only reports violations (<see cref="MalformedMessagePolicy.Report"/>) can go on.
/// </remarks>
public sealed class MessageValidator(MessageRuleBook book, MessageKind kind, long streamId)
{
    private Phase _phase = Phase.AwaitingHeaders;
    private long? _contentLength;
    private long _contentReceived;
    private bool _noContent;
    private string? _finalStatus;
    private bool _contentFlagged;

    private enum Phase
    {
        AwaitingHeaders,
        Body,
        AfterTrailers,
        Ended,
    }

    /// <summary>The method of the request a response answers: a response to HEAD has no content.</summary>
    public string? RequestMethod { get; set; }

    /// <summary>A field section arrived; <paramref name="endStream"/> is HTTP/2's END_STREAM on it.</summary>
    public MessageViolation? ReceiveHeaders(IReadOnlyList<HeaderField> fields, bool endStream)
    {
        MessageFinding? finding = _phase switch
        {
            Phase.AwaitingHeaders => ReceiveHeaderSection(fields, endStream),
            Phase.Body => ReceiveTrailers(fields, endStream),
            _ => new(MessageRule.HeadersAfterTrailers, "a field section after the trailers"),
        };

        if (endStream && finding is null)
        {
            return ReceiveEnd();
        }

        if (endStream)
        {
            _phase = Phase.Ended;
        }

        return ToViolation(finding);
    }

    /// <summary>A DATA frame with <paramref name="length"/> bytes of content arrived (HTTP/3: its header, before the payload).</summary>
    public MessageViolation? ReceiveData(long length, bool endStream)
    {
        MessageFinding? finding = null;
        if (_phase == Phase.AwaitingHeaders)
        {
            finding = new(MessageRule.DataBeforeHeaders, $"DATA before the {Noun}'s HEADERS");
        }
        else if (_phase == Phase.Body)
        {
            _contentReceived += length;
            finding = CheckContentSoFar();
        }

        if (endStream && finding is null)
        {
            return ReceiveEnd();
        }

        return ToViolation(finding);
    }

    /// <summary>The message ended (HTTP/2: END_STREAM; HTTP/3: the stream's FIN): the content must be complete.</summary>
    public MessageViolation? ReceiveEnd()
    {
        var ended = _phase;
        _phase = Phase.Ended;
        if (ended is Phase.Body or Phase.AfterTrailers && !_noContent && !_contentFlagged
            && _contentLength is { } expected && expected != _contentReceived)
        {
            _contentFlagged = true;
            return ToViolation(new(MessageRule.ContentLengthMismatch, $"content-length {expected} but {Bytes(_contentReceived)} of DATA"));
        }

        return null;
    }

    /// <summary>
    /// Judges the request a server promises in PUSH_PROMISE (RFC 9113 8.4.1, RFC 9114 4.6): a complete, well-formed
    /// request header section whose method is safe and cacheable, without content, with :authority. A promise has
    /// no body or trailers to wait for, so one call decides.
    /// </summary>
    /// <param name="streamId">The stream the violation is reported on: the promised stream (HTTP/2) or the request stream carrying the promise (HTTP/3).</param>
    /// <param name="promise">Which promise, for the message: "PUSH_PROMISE on stream 1", "PUSH_PROMISE for push ID 0".</param>
    public static MessageViolation? CheckPromisedRequest(MessageRuleBook book, long streamId, string promise, IReadOnlyList<HeaderField> fields)
    {
        var pseudo = new Dictionary<string, string>(4);
        var finding = MessageFieldChecks.Check(fields, MessageKind.Request, trailers: false, pseudo)
            ?? MessageControlChecks.CheckPromise(pseudo, fields)
            ?? MessageControlChecks.CheckRequest(pseudo, fields, book)
            ?? MessageControlChecks.TryReadContentLength(fields, out _);
        return finding is { } found
            ? new MessageViolation(streamId, MessageKind.Request, found.Rule, $"{promise}: {found.Detail}", book.Section(found.Rule, MessageKind.Request))
            : null;
    }

    private static string Bytes(long count) => count == 1 ? "1 byte" : $"{count} bytes";

    private string Noun => kind == MessageKind.Request ? "request" : "response";

    private MessageFinding? ReceiveHeaderSection(IReadOnlyList<HeaderField> fields, bool endStream)
    {
        var pseudo = new Dictionary<string, string>(4);
        var finding = MessageFieldChecks.Check(fields, kind, trailers: false, pseudo)
            ?? (kind == MessageKind.Request ? MessageControlChecks.CheckRequest(pseudo, fields, book) : MessageControlChecks.CheckResponse(pseudo));

        if (kind == MessageKind.Response && pseudo.TryGetValue(":status", out var status) && status.Length == 3 && status[0] == '1')
        {
            // Interim responses (RFC 9110 15.2): any number, each without content, before the final one.
            return finding ?? (endStream ? new(MessageRule.InterimResponseEndsStream, $"interim response {status} ends the stream") : null);
        }

        _phase = Phase.Body;
        finding ??= MessageControlChecks.TryReadContentLength(fields, out _contentLength);
        _finalStatus = pseudo.GetValueOrDefault(":status");
        _noContent = kind == MessageKind.Response && (RequestMethod == "HEAD" || _finalStatus is "204" or "304");
        return finding;
    }

    private MessageFinding? ReceiveTrailers(IReadOnlyList<HeaderField> fields, bool endStream)
    {
        _phase = Phase.AfterTrailers;
        var finding = MessageFieldChecks.Check(fields, kind, trailers: true, new Dictionary<string, string>());
        if (finding is null && book.TrailersEndStream && !endStream)
        {
            finding = new(MessageRule.TrailersDoNotEndStream, $"HEADERS without END_STREAM after the {Noun}'s header section");
        }

        return finding;
    }

    private MessageFinding? CheckContentSoFar()
    {
        if (_contentFlagged)
        {
            return null;
        }

        if (_noContent && _contentReceived > 0)
        {
            _contentFlagged = true;
            var what = RequestMethod == "HEAD" ? "a response to HEAD" : $"a {_finalStatus} response";
            return new(MessageRule.ContentNotAllowed, $"{Bytes(_contentReceived)} of DATA in {what}, which has no content");
        }

        if (!_noContent && _contentLength is { } expected && _contentReceived > expected)
        {
            _contentFlagged = true;
            return new(MessageRule.ContentLengthMismatch, $"content-length {expected} but {Bytes(_contentReceived)} of DATA");
        }

        return null;
    }

    private MessageViolation? ToViolation(MessageFinding? finding) =>
        finding is { } found ? new MessageViolation(streamId, kind, found.Rule, found.Detail, book.Section(found.Rule, kind)) : null;
}
