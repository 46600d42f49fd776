using System.Diagnostics;
using Hxi.Net.Client;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Messages;

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
                case MessageEvent message:
                    if (_responses.Apply(message))
                    {
                        EventReceived?.Invoke(e);
                    }

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

    /// <summary>The version's side of the shared response assembler: HTTP/2 names and RST_STREAM.</summary>
    private sealed class Streams(Http2ClientConnection owner) : IResponseStreams
    {
        public string Protocol => "HTTP/2";

        public ulong MessageErrorCode => (ulong)Http2ErrorCode.ProtocolError;

        public bool ReportsRequestResets => true;

        public bool EventDataIsOwned => false;

        public string NameOf(ulong code) => Http2ErrorCodes.Name(code);

        public void Abandon(long streamId)
        {
            if (owner._core.GetStreamState((int)streamId) != Http2StreamState.Closed)
            {
                owner._core.ResetStream((int)streamId, Http2ErrorCode.Cancel);
            }
        }

        public void Reject(long streamId) => owner._core.ResetStream((int)streamId, Http2ErrorCode.ProtocolError);

        public void ReturnCredit(long streamId, int length) => owner._core.ConsumeData((int)streamId, length);

        public void OnBodyConsumed(long streamId, PendingResponse pending, int length) =>
            Post(() => owner._core.ConsumeData((int)streamId, length));

        public void Post(Action action)
        {
            bool flush;
            lock (owner._gate)
            {
                if (owner._closedReason is not null)
                {
                    return;
                }

                action();
                flush = owner._core.HasPendingOutput;
            }

            if (!flush)
            {
                return;
            }

            try
            {
                owner.Flush();
            }
            catch (ObjectDisposedException)
            {
                // The connection was disposed after the check above: there is nobody left to send the credit to.
            }
        }
    }

    private void OnPushPromise(PushPromiseReceived push)
    {
        if (_options.PushHandlerFactory is { } factory)
        {
            var handler = factory(push.PromisedStreamId, push.Headers);
            _pending[push.PromisedStreamId] = new PendingResponse(handler, Stopwatch.StartNew(), _delivery);
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
