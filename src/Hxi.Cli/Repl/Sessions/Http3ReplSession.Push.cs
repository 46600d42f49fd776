using System.Globalization;
using System.Text;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Sessions;

/// <remarks>
/// Server push after <c>max-push-id</c> (RFC 9114 Section 4.6): each PUSH_PROMISE is explained, each push stream's
/// response gathered and printed when it ends, as the HTTP/2 REPL prints a stream opened by hand.
/// </remarks>
public sealed partial class Http3ReplSession
{
    // Every push of the connection by push id, and those whose push stream is open by stream id (driver thread only).
    private readonly Dictionary<long, PushedResponse> _pushes = [];
    private readonly Dictionary<long, PushedResponse> _pushStreams = [];

    // Push streams hxi stopped because it had cancelled their push: the server's reset of one is the expected answer.
    private readonly HashSet<long> _stoppedPushStreams = [];

    private sealed class PushedResponse(long pushId)
    {
        public long PushId { get; } = pushId;

        public IReadOnlyList<HeaderField>? Promise { get; set; }

        public long? StreamId { get; set; }

        public IReadOnlyList<HeaderField>? Head { get; set; }

        public MemoryStream Body { get; } = new();

        /// <summary>The push stream ended before the PUSH_PROMISE arrived: the response waits for the promise.</summary>
        public bool EndedUnpromised { get; set; }

        public string Request => Promise is { } fields
            ? $"{fields.FirstOrDefault(f => f.Name == ":method").Value} {fields.FirstOrDefault(f => f.Name == ":path").Value}"
            : "(PUSH_PROMISE not seen)";
    }

    /// <summary>Push events; false when <paramref name="e"/> is not about a push.</summary>
    private bool OnPushEvent(HttpEvent e)
    {
        switch (e)
        {
            case PushPromiseReceived promise:
                var push = Push(promise.PushId);
                var again = push.Promise is not null;
                push.Promise ??= promise.Fields;
                _context.Note(again
                    ? $"the server promised push {promise.PushId} again, on stream {promise.StreamId}"
                    : $"the server promised push {promise.PushId} on stream {promise.StreamId}: {push.Request}; "
                        + (push.EndedUnpromised ? "its push stream has already ended" : $"its response comes on a push stream (cancel-push {promise.PushId} declines it)"));
                if (push.EndedUnpromised && push.StreamId is { } early)
                {
                    push.EndedUnpromised = false;
                    FinishPush(early, push);
                }

                return true;
            case PushStreamOpened opened:
                push = Push(opened.PushId);
                push.StreamId = opened.StreamId;
                _pushStreams[opened.StreamId] = push;
                if (push.Promise is null)
                {
                    _context.Note($"push stream {opened.StreamId} for push {opened.PushId} came before its PUSH_PROMISE (RFC 9114 4.6 allows that): "
                        + "the response is shown once the promise arrives");
                }

                return true;
            case HeadersReceived headers when _pushStreams.TryGetValue(headers.StreamId, out var pushed):
                if (!headers.IsInterim)
                {
                    pushed.Head ??= headers.Fields;
                }

                return true;
            case DataReceived data when _pushStreams.TryGetValue(data.StreamId, out var pushed):
                pushed.Body.Write(data.Data.Span);
                if (!data.EndStream)
                {
                    return true;
                }

                _pushStreams.Remove(data.StreamId);
                if (pushed.Promise is null)
                {
                    pushed.EndedUnpromised = true;
                }
                else
                {
                    FinishPush(data.StreamId, pushed);
                }

                return true;
            case CancelledPushStreamStopped stopped:
                Push(stopped.PushId).StreamId = stopped.StreamId;
                _stoppedPushStreams.Add(stopped.StreamId);
                _context.Note($"push {stopped.PushId} arrived on stream {stopped.StreamId} after hxi cancelled it: "
                    + "hxi discards it and stops reading it with H3_REQUEST_CANCELLED (RFC 9114 7.2.3)");
                _context.Watch.StreamEnded(stopped.StreamId);
                return true;
            case StreamReset { ByPeer: true } reset when _stoppedPushStreams.Remove(reset.StreamId):
                _context.Note($"the server reset push stream {reset.StreamId} with {Http3ErrorCodes.Name(reset.Code)}: it stopped sending, as hxi asked");
                return true;
            case CancelPushReceived cancel:
                _context.Note($"the server cancelled push {cancel.PushId}: it will not send that response");
                return true;
            default:
                return false;
        }
    }

    /// <summary>Push ids are the connection's own: a new connection starts with none.</summary>
    private void ForgetPushes()
    {
        _pushes.Clear();
        _pushStreams.Clear();
        _stoppedPushStreams.Clear();
    }

    private PushedResponse Push(long pushId)
    {
        if (!_pushes.TryGetValue(pushId, out var push))
        {
            _pushes[pushId] = push = new PushedResponse(pushId);
        }

        return push;
    }

    private void FinishPush(long streamId, PushedResponse push)
    {
        var head = push.Head ?? [];
        var status = head.FirstOrDefault(h => h.Name == ":status").Value ?? "(no :status)";
        _context.Note(string.Create(CultureInfo.InvariantCulture,
            $"pushed response for {push.Request} (push {push.PushId}, stream {streamId}): {status}, {push.Body.Length} body bytes"));
        WriteResponse(head, push.Body);
        _context.Watch.StreamEnded(streamId);
    }

    /// <summary>MAX_PUSH_ID on the control stream; says what it allows, or why the server will object.</summary>
    private string SendMaxPushId(Http3Connection h3, long pushId, string control)
    {
        var before = h3.MaxPushId;
        _lastByHand = $"MAX_PUSH_ID {pushId} on {control}";
        h3.SendMaxPushId(pushId);
        return pushId < before
            ? $"MAX_PUSH_ID {pushId} is below the {before} sent before: the server must close the connection with H3_ID_ERROR (RFC 9114 7.2.7)"
            : $"the server may push ids 0 to {pushId} now; PUSH_PROMISE frames and pushed responses are shown as they arrive";
    }

    /// <summary>CANCEL_PUSH on the control stream; says what hxi does with the push from now on, or why the server will object.</summary>
    private string SendCancelPush(Http3Connection h3, long pushId, string control)
    {
        var max = h3.MaxPushId;
        _pushes.TryGetValue(pushId, out var push);
        _lastByHand = $"CANCEL_PUSH {pushId} on {control}";
        h3.SendCancelPush(pushId);
        if (max is null)
        {
            return $"hxi has sent no MAX_PUSH_ID, so there can be no push {pushId}: the server must close the connection with H3_ID_ERROR (RFC 9114 7.2.3)";
        }

        if (pushId > max)
        {
            return $"push id {pushId} is above the MAX_PUSH_ID hxi sent ({max}): the server must close the connection with H3_ID_ERROR (RFC 9114 7.2.3)";
        }

        if (h3.HasPushStream(pushId))
        {
            return $"push {pushId} already came on stream {push?.StreamId}, and a client SHOULD NOT cancel it then (RFC 9114 7.2.3): the server may reset that stream";
        }

        return push?.Promise is not null
            ? $"push {pushId} cancelled: if its push stream still arrives, hxi stops reading it with H3_REQUEST_CANCELLED"
            : $"no PUSH_PROMISE for push {pushId} has arrived: unless one is on its way, the server must close the connection with H3_ID_ERROR (RFC 9114 7.2.3)";
    }
}
