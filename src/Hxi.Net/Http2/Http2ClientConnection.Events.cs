using System.Diagnostics;
using System.Globalization;
using Hxi.Net.Client;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Http2;

public sealed partial class Http2ClientConnection
{
    // Called with _gate held.
    private void DrainEvents()
    {
        while (_core.TryPollEvent(out var e))
        {
            switch (e)
            {
                case HeadersReceived headers when _pending.TryGetValue(headers.StreamId, out var pending):
                    OnHeaders(headers, pending);
                    break;
                case DataReceived data when _pending.TryGetValue(data.StreamId, out var pending):
                    if (pending.Head is null)
                    {
                        // DATA before the response's HEADERS, kept only because malformed messages are reported, not
                        // rejected (the REPL's strict off): the violation was shown; there is no response to add it to.
                        EventReceived?.Invoke(e);
                        if (data.EndStream)
                        {
                            Complete(data.StreamId, pending);
                        }

                        break;
                    }

                    pending.MarkFirstByte();
                    pending.BodyBytes += data.Data.Length;
                    pending.Handler.OnBodyData(data.Data.Span);
                    if (pending.HandlerFailed)
                    {
                        Abandon(data.StreamId);
                    }
                    else if (data.EndStream)
                    {
                        Complete(data.StreamId, pending);
                    }

                    break;
                case StreamReset reset when _pending.Remove(reset.StreamId, out var pending):
                    var who = reset.ByPeer ? "the server reset stream" : "hxi reset stream";
                    var why = reset.Reason is null ? "" : $": {reset.Reason}";
                    pending.Completion.TrySetException(new HxiException(
                        reset.ByPeer ? FailureKind.StreamReset : FailureKind.Protocol,
                        $"{who} {reset.StreamId} with {Http2ErrorCodes.Name(reset.ErrorCode)}{why}"));
                    EventReceived?.Invoke(e);
                    break;
                case MalformedMessageReceived { Rejected: true } malformed when _pending.Remove((int)malformed.Violation.StreamId, out var pending):
                    pending.Completion.TrySetException(new HxiException(FailureKind.Protocol,
                        $"{malformed.Violation}; hxi reset the stream with {Http2ErrorCodes.Name((uint)Http2ErrorCode.ProtocolError)}"));
                    EventReceived?.Invoke(e);
                    break;
                case PushPromiseReceived push:
                    OnPushPromise(push);
                    EventReceived?.Invoke(e);
                    break;
                case GoAwayReceived goAway:
                    OnGoAway(goAway);
                    EventReceived?.Invoke(e);
                    break;
                case ConnectionFailed failed:
                    _closedReason ??= $"hxi closed the connection with GOAWAY {Http2ErrorCodes.Name(failed.Code)}: {failed.Reason}";
                    EventReceived?.Invoke(e);
                    break;
                default:
                    EventReceived?.Invoke(e);
                    break;
            }
        }
    }

    private void OnHeaders(HeadersReceived headers, PendingResponse pending)
    {
        pending.MarkFirstByte();
        if (pending.Head is not null)
        {
            pending.Handler.OnTrailers(headers.Headers);
        }
        else
        {
            var status = headers.Headers.FirstOrDefault(h => h.Name == ":status").Value;
            if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 999)
            {
                FailStream(headers.StreamId, pending, $"response on stream {headers.StreamId} has no valid :status (got '{status}')");
                return;
            }

            var fields = headers.Headers.Where(h => !h.IsPseudo).ToList();
            var head = new ResponseHead(Protocol, code, "", fields, headers.StreamId);
            if (code < 200)
            {
                pending.Handler.OnInterimResponse(head);
            }
            else
            {
                pending.Head = head;
                pending.Handler.OnResponseHead(head);
            }
        }

        if (pending.HandlerFailed)
        {
            Abandon(headers.StreamId);
        }
        else if (headers.EndStream)
        {
            Complete(headers.StreamId, pending);
        }
    }

    /// <summary>The response can no longer be shown (its handler failed, say on a full disk): stop the stream.</summary>
    private void Abandon(int streamId)
    {
        if (_pending.Remove(streamId) && _core.GetStreamState(streamId) != Http2StreamState.Closed)
        {
            _core.ResetStream(streamId, Http2ErrorCode.Cancel);
        }
    }

    private void FailStream(int streamId, PendingResponse pending, string reason)
    {
        _pending.Remove(streamId);
        _core.ResetStream(streamId, Http2ErrorCode.ProtocolError);
        pending.Completion.TrySetException(new HxiException(FailureKind.Protocol, reason));
    }

    private void Complete(int streamId, PendingResponse pending)
    {
        _pending.Remove(streamId);
        if (pending.Head is null)
        {
            pending.Completion.TrySetException(new HxiException(FailureKind.Protocol, $"stream {streamId} ended without a final response"));
            return;
        }

        pending.Completion.TrySetResult(pending.Head);
    }

    private void OnPushPromise(PushPromiseReceived push)
    {
        if (_options.PushHandlerFactory is { } factory)
        {
            var handler = factory(push.PromisedStreamId, push.Headers);
            _pending[push.PromisedStreamId] = new PendingResponse(handler, Stopwatch.StartNew());
        }
        else
        {
            _core.ResetStream(push.PromisedStreamId, Http2ErrorCode.Cancel);
        }
    }

    private void OnGoAway(GoAwayReceived goAway)
    {
        var name = Http2ErrorCodes.Name(goAway.ErrorCode);
        var debug = goAway.DebugData.Length > 0 ? $" ({goAway.DebugData})" : "";
        foreach (var (id, pending) in _pending.Where(p => p.Key > goAway.LastStreamId).ToList())
        {
            _pending.Remove(id);
            pending.Completion.TrySetException(new HxiException(FailureKind.Protocol,
                $"the server sent GOAWAY {name}{debug} with last stream {goAway.LastStreamId}: stream {id} was not processed"));
        }

        if (goAway.ErrorCode != (uint)Http2ErrorCode.NoError)
        {
            _closedReason ??= $"the server sent GOAWAY {name}{debug}";
            foreach (var (id, pending) in _pending.ToList())
            {
                _pending.Remove(id);
                pending.Completion.TrySetException(new HxiException(FailureKind.Protocol, $"the server sent GOAWAY {name}{debug}"));
            }
        }
    }
}
