using System.Diagnostics;
using System.Globalization;
using Hxi.Net.Client;
using Hxi.Protocols.Http3;

namespace Hxi.Net.Http3;

public sealed partial class Http3ClientConnection
{
    private void DrainHttp3Events()
    {
        while (_h3.TryPollEvent(out var e))
        {
            switch (e)
            {
                case HeadersReceived headers when _pending.TryGetValue(headers.StreamId, out var pending):
                    OnHeaders(headers, pending);
                    AbandonIfHandlerFailed(headers.StreamId, pending);
                    break;
                case DataReceived data when _pending.TryGetValue(data.StreamId, out var pending):
                    pending.MarkFirstByte();
                    pending.BodyBytes += data.Data.Length;
                    pending.Handler.OnBodyData(data.Data.Span);
                    AbandonIfHandlerFailed(data.StreamId, pending);
                    break;
                case StreamEnded ended when _pending.Remove(ended.StreamId, out var pending):
                    if (pending.Head is null)
                    {
                        pending.Completion.TrySetException(new HxiException(FailureKind.Protocol, $"stream {ended.StreamId} ended without a final response"));
                    }
                    else
                    {
                        pending.Completion.TrySetResult(pending.Head);
                    }

                    break;
                case StreamResetByPeer reset when _pending.Remove(reset.StreamId, out var pending):
                    pending.Completion.TrySetException(new HxiException(FailureKind.StreamReset,
                        $"the server reset stream {reset.StreamId} with {Http3ErrorCodes.Name(reset.ErrorCode)}"));
                    break;
                case MalformedMessageReceived { Rejected: true } malformed when _pending.Remove(malformed.Violation.StreamId, out var pending):
                    pending.Completion.TrySetException(new HxiException(FailureKind.Protocol,
                        $"{malformed.Violation}; hxi reset the stream with {Http3ErrorCodes.Name((ulong)Http3ErrorCode.MessageError)}"));
                    EventReceived?.Invoke(e);
                    break;
                case StreamFailed failed when _pending.Remove(failed.StreamId, out var pending):
                    pending.Completion.TrySetException(new HxiException(FailureKind.Protocol,
                        $"stream {failed.StreamId}: {Http3ErrorCodes.Name((ulong)failed.Code)}: {failed.Reason}"));
                    break;
                case ConnectionFailed failed:
                    FailAll($"hxi closed the connection with {Http3ErrorCodes.Name((ulong)failed.Code)}: {failed.Reason}");
                    EventReceived?.Invoke(e);
                    break;
                case StreamBlocked blocked when _pending.TryGetValue(blocked.StreamId, out var pending):
                    WatchBlockedStream(blocked, pending);
                    EventReceived?.Invoke(e);
                    break;
                case PushPromiseReceived promise when _pushHandlerFactory is { } factory:
                    OnPushPromise(promise, factory);
                    EventReceived?.Invoke(e);
                    break;
                case PushStreamOpened opened when _pushHandlerFactory is not null:
                    OnPushStreamOpened(opened);
                    EventReceived?.Invoke(e);
                    break;
                case StopSendingReceived stop when _pending.TryGetValue(stop.StreamId, out var pending):
                    // RFC 9114 Section 4.1.2: the server needs no more of the request; its response still stands.
                    pending.UploadStopped = true;
                    _creditWaiter?.TrySetResult();
                    _creditWaiter = null;
                    EventReceived?.Invoke(e);
                    break;
                case GoAwayReceived goAway:
                    // GOAWAY names a request stream; push streams (unidirectional ids) are not covered by it.
                    foreach (var (id, pending) in _pending.Where(p => p.Key >= goAway.Id && (p.Key & 0x2) == 0).ToList())
                    {
                        _pending.Remove(id);
                        pending.Completion.TrySetException(new HxiException(FailureKind.Protocol,
                            $"the server sent GOAWAY {goAway.Id}: request stream {id} was not processed"));
                    }

                    EventReceived?.Invoke(e);
                    break;
                default:
                    EventReceived?.Invoke(e);
                    break;
            }
        }
    }

    /// <summary>The response can no longer be shown (its handler failed, say on a full disk): stop the stream.</summary>
    private void AbandonIfHandlerFailed(long streamId, PendingResponse pending)
    {
        if (pending.HandlerFailed && _pending.Remove(streamId))
        {
            _h3.ResetStream(streamId, Http3ErrorCode.RequestCancelled);
        }
    }

    /// <summary>How long a field section may wait for encoder-stream inserts before the request is given up.</summary>
    private readonly TimeSpan _blockedStreamTimeout;

    /// <summary>
    /// A header block that never unblocks must not hang the request (RFC 9204 Section 2.1.2 leaves the
    /// wait to the decoder): after a while the stream is cancelled and the request fails by name.
    /// </summary>
    private void WatchBlockedStream(StreamBlocked blocked, PendingResponse pending)
    {
        _ = Task.Delay(_blockedStreamTimeout).ContinueWith(_ => _quic.Post(core =>
        {
            if (!_pending.TryGetValue(blocked.StreamId, out var still) || still != pending || pending.Head is not null)
            {
                return;
            }

            _pending.Remove(blocked.StreamId);
            _h3.ResetStream(blocked.StreamId, Http3ErrorCode.QpackDecompressionFailed);
            Pump(core);
            pending.Completion.TrySetException(new HxiException(FailureKind.Protocol,
                $"the response headers on stream {blocked.StreamId} stayed blocked for {_blockedStreamTimeout.TotalSeconds:0.###} s: they need QPACK insert {blocked.RequiredInsertCount} and only {blocked.InsertCount} arrived (QPACK_DECOMPRESSION_FAILED)"));
        }), TaskScheduler.Default);
    }

    private void OnHeaders(HeadersReceived headers, PendingResponse pending)
    {
        pending.MarkFirstByte();
        if (headers.IsTrailers || pending.Head is not null)
        {
            pending.Handler.OnTrailers(headers.Fields);
            return;
        }

        var status = headers.Fields.FirstOrDefault(f => f.Name == ":status").Value;
        if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 999)
        {
            _pending.Remove(headers.StreamId);
            _h3.ResetStream(headers.StreamId, Http3ErrorCode.MessageError);
            pending.Completion.TrySetException(new HxiException(FailureKind.Protocol, $"response on stream {headers.StreamId} has no valid :status (got '{status}') (H3_MESSAGE_ERROR)"));
            return;
        }

        var head = new ResponseHead(Protocol, code, "", headers.Fields.Where(f => !f.IsPseudo).ToList(), headers.StreamId);
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
}
