using System.Diagnostics;
using Hxi.Net.Client;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;

namespace Hxi.Net.Http3;

public sealed partial class Http3ClientConnection
{
    private void DrainHttp3Events()
    {
        while (_h3.TryPollEvent(out var e))
        {
            switch (e)
            {
                case MessageEvent message:
                    if (_responses.Apply(message))
                    {
                        EventReceived?.Invoke(e);
                    }

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

    /// <summary>The version's side of the shared response assembler: HTTP/3 names and QUIC stream resets.</summary>
    private sealed class Streams(Http3ClientConnection owner) : IResponseStreams
    {
        public string Protocol => "HTTP/3";

        public ulong MessageErrorCode => (ulong)Http3ErrorCode.MessageError;

        public bool ReportsRequestResets => false;

        // Http3Connection copies each DATA chunk into an array of its own for the event.
        public bool EventDataIsOwned => true;

        public string NameOf(ulong code) => Http3ErrorCodes.Name(code);

        public void Abandon(long streamId) => owner._h3.ResetStream(streamId, Http3ErrorCode.RequestCancelled);

        public void Reject(long streamId) => owner._h3.ResetStream(streamId, Http3ErrorCode.MessageError);

        // QUIC gives a stream's credit back (MAX_STREAM_DATA) as the stream is read; see PauseReadingAbove.
        public void ReturnCredit(long streamId, int length)
        {
        }

        public void OnBodyConsumed(long streamId, PendingResponse pending, int length)
        {
            if (pending.ReadPaused && pending.QueuedBodyBytes < ResumeReadingBelow)
            {
                Post(() => owner.ResumeReading(streamId, pending));
            }
        }

        public void Post(Action action) => owner._quic.Post(core =>
        {
            action();
            owner.Pump(core);
        });
    }

    /// <summary>
    /// A response whose handler has this much body still to consume is not read from QUIC any more: QUIC keeps the
    /// bytes and withholds MAX_STREAM_DATA, so the server slows down instead of our memory growing.
    /// </summary>
    private const long PauseReadingAbove = 1024 * 1024;

    private const long ResumeReadingBelow = 256 * 1024;

    /// <summary>Whether a readable stream waits because its handler is behind (driver thread).</summary>
    private bool PauseReading(long streamId)
    {
        if (!_pending.TryGetValue(streamId, out var pending) || pending.QueuedBodyBytes < PauseReadingAbove)
        {
            return false;
        }

        pending.ReadPaused = true;

        // The handler may have drained in between without seeing the pause; then reading goes on now.
        Interlocked.MemoryBarrier();
        if (pending.QueuedBodyBytes < ResumeReadingBelow)
        {
            pending.ReadPaused = false;
            return false;
        }

        return true;
    }

    private void ResumeReading(long streamId, PendingResponse pending)
    {
        if (pending.ReadPaused && _core is { } core)
        {
            pending.ReadPaused = false;
            Http3OverQuic.Read(_h3, core, streamId, _readBuffer);
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
}
