using System.Globalization;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Client;

/// <summary>
/// Turns the message events of an HTTP/2 or HTTP/3 core (the shared vocabulary of <see cref="MessageEvent"/>) into
/// <see cref="IResponseHandler"/> calls and completed requests: one assembler for both clients. Not thread-safe: it
/// runs where the connection consumes its core's events.
/// </summary>
public sealed class ResponseAssembler(IResponseStreams streams)
{
    /// <summary>Requests waiting for their responses, by stream (pushed responses too, once their stream is known).</summary>
    public Dictionary<long, PendingResponse> Pending { get; } = [];

    /// <summary>
    /// Applies one message event. Returns true when the connection should also pass it on to its observers: it was
    /// not about a waiting request, or it is a fact the observers show besides failing the request.
    /// </summary>
    public bool Apply(MessageEvent e)
    {
        switch (e)
        {
            case HeadersReceived headers when Pending.TryGetValue(headers.StreamId, out var pending):
                Bind(headers.StreamId, pending);
                OnHeaders(headers, pending);
                return false;
            case TrailersReceived trailers when Pending.TryGetValue(trailers.StreamId, out var pending):
                Bind(trailers.StreamId, pending);
                pending.MarkFirstByte();
                pending.Handler.OnTrailers(trailers.Fields);
                AfterHandler(trailers.StreamId, pending, trailers.EndStream);
                return false;
            case DataReceived data when Pending.TryGetValue(data.StreamId, out var pending):
                Bind(data.StreamId, pending);
                return OnData(data, pending);
            case DataReceived data:
                streams.ReturnCredit(data.StreamId, data.Data.Length);
                return true;
            case StreamReset reset when Pending.Remove(reset.StreamId, out var pending):
                var who = reset.ByPeer ? "the server reset stream" : "hxi reset stream";
                var why = reset.Reason is null ? "" : $": {reset.Reason}";
                pending.Completion.TrySetException(new HxiException(
                    reset.ByPeer ? FailureKind.StreamReset : FailureKind.Protocol,
                    $"{who} {reset.StreamId} with {streams.NameOf(reset.Code)}{why}"));
                return streams.ReportsRequestResets;
            case MalformedMessageReceived { Rejected: true } malformed when Pending.Remove(malformed.StreamId, out var pending):
                pending.Completion.TrySetException(new HxiException(FailureKind.Protocol,
                    $"{malformed.Violation}; hxi reset the stream with {streams.NameOf(streams.MessageErrorCode)}"));
                return true;
            default:
                return true;
        }
    }

    private void OnHeaders(HeadersReceived headers, PendingResponse pending)
    {
        pending.MarkFirstByte();
        if (pending.Head is not null)
        {
            // A field section after the final one is the trailers, whatever the core called it (strict off).
            pending.Handler.OnTrailers(headers.Fields);
            AfterHandler(headers.StreamId, pending, headers.EndStream);
            return;
        }

        var status = headers.Fields.FirstOrDefault(h => h.Name == ":status").Value;
        if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 999)
        {
            Pending.Remove(headers.StreamId);
            streams.Reject(headers.StreamId);
            pending.Completion.TrySetException(new HxiException(FailureKind.Protocol,
                $"response on stream {headers.StreamId} has no valid :status (got '{status}') ({streams.NameOf(streams.MessageErrorCode)})"));
            return;
        }

        var head = new ResponseHead(streams.Protocol, code, "", Fields(headers.Fields), headers.StreamId);
        if (code < 200)
        {
            pending.Handler.OnInterimResponse(head);
        }
        else
        {
            pending.Head = head;
            pending.Handler.OnResponseHead(head);
        }

        AfterHandler(headers.StreamId, pending, headers.EndStream);
    }

    private bool OnData(DataReceived data, PendingResponse pending)
    {
        if (pending.Head is null)
        {
            // DATA before the response's HEADERS, kept only because malformed messages are reported, not rejected
            // (the REPL's strict off): the violation was shown; there is no response to add it to.
            streams.ReturnCredit(data.StreamId, data.Data.Length);
            if (data.EndStream)
            {
                Complete(data.StreamId, pending);
            }

            return !data.Data.IsEmpty;
        }

        if (!data.Data.IsEmpty)
        {
            pending.MarkFirstByte();
            pending.BodyBytes += data.Data.Length;
            if (streams.EventDataIsOwned)
            {
                pending.DeliverOwnedBody(data.Data);
            }
            else
            {
                pending.Handler.OnBodyData(data.Data.Span);
            }
            if (!pending.IsQueued)
            {
                streams.ReturnCredit(data.StreamId, data.Data.Length);
            }
        }

        AfterHandler(data.StreamId, pending, data.EndStream);
        return false;
    }

    /// <summary>
    /// Ties a request's handler to its stream: the body's credit goes back as the handler consumes it, and a handler that
    /// fails on the delivery task abandons the stream from the protocol thread.
    /// </summary>
    private void Bind(long streamId, PendingResponse pending)
    {
        if (pending.BodyConsumed is not null)
        {
            return;
        }

        pending.BodyConsumed = length => streams.OnBodyConsumed(streamId, pending, length);
        pending.Abandoned = () => streams.Post(() =>
        {
            if (Pending.Remove(streamId))
            {
                streams.Abandon(streamId);
            }
        });
    }

    /// <summary>A handler that failed (a full disk) abandons the stream; otherwise the message's end completes the request.</summary>
    private void AfterHandler(long streamId, PendingResponse pending, bool endStream)
    {
        if (pending.HandlerFailed)
        {
            if (Pending.Remove(streamId))
            {
                streams.Abandon(streamId);
            }
        }
        else if (endStream)
        {
            Complete(streamId, pending);
        }
    }

    private void Complete(long streamId, PendingResponse pending)
    {
        Pending.Remove(streamId);
        if (pending.Head is null)
        {
            pending.Completion.TrySetException(new HxiException(FailureKind.Protocol, $"stream {streamId} ended without a final response"));
            return;
        }

        pending.Completion.TrySetResult(pending.Head);
    }

    private static List<HeaderField> Fields(IReadOnlyList<HeaderField> fields)
    {
        var list = new List<HeaderField>(fields.Count);
        foreach (var field in fields)
        {
            if (!field.IsPseudo)
            {
                list.Add(field);
            }
        }

        return list;
    }
}
