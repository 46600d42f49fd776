using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http3;

/// <remarks>
/// Server push as the client sees it (RFC 9114 Section 4.6): the push ids it allowed with MAX_PUSH_ID, the push
/// ids whose push streams arrived, and the pushes it cancelled. The limit follows what actually went out on the
/// control stream, so a MAX_PUSH_ID sent later (or as a raw frame) allows pushes as well as one sent at the start.
/// </remarks>
public sealed partial class Http3Connection
{
    private readonly HashSet<long> _pushStreamIds = [];
    private readonly HashSet<long> _cancelledPushes = [];

    // Server: the push ids our PUSH_PROMISE frames have mentioned, which a client's CANCEL_PUSH may name.
    private readonly HashSet<long> _promisedPushes = [];

    /// <summary>Client: the largest push id allowed by the MAX_PUSH_ID frames sent so far, or null before the first.</summary>
    public long? MaxPushId { get; private set; }

    /// <summary>Client: whether a push stream for <paramref name="pushId"/> has arrived.</summary>
    public bool HasPushStream(long pushId) => _pushStreamIds.Contains(pushId);

    /// <summary>Records what a frame we put on our control stream means for push.</summary>
    private void NoteControlFrameSent(Http3Frame frame)
    {
        if (Role != Http3Role.Client)
        {
            return;
        }

        switch (frame)
        {
            case MaxPushIdFrame max:
                // Section 7.2.7: the maximum cannot go down; a peer that accepts a smaller value still holds the larger.
                MaxPushId = Math.Max(MaxPushId ?? -1, max.PushId);
                break;
            case CancelPushFrame cancel:
                _cancelledPushes.Add(cancel.PushId);
                break;
        }
    }

    /// <summary>
    /// The push id that follows a push stream's type (Section 6.2.2): within our MAX_PUSH_ID, used once. A push we
    /// cancelled is stopped with H3_REQUEST_CANCELLED (Section 7.2.3), after its header, as Section 6.2.2 asks.
    /// </summary>
    private void AcceptPushStream(Http3ReceiveStream stream, long pushId, ReadOnlySpan<byte> prefix)
    {
        Trace(WireDirection.Received, WireLayer.Http3, prefix, new Http3StreamTypeTrace(stream.Id, Http3StreamType.Push) { PushId = pushId });
        CheckPushId(pushId, $"push stream {stream.Id}");
        if (!_pushStreamIds.Add(pushId))
        {
            throw new Http3ConnectionException(Http3ErrorCode.IdError, $"push stream {stream.Id} repeats push id {pushId}");
        }

        stream.PushId = pushId;
        if (_cancelledPushes.Contains(pushId))
        {
            stream.Kind = Http3StreamKind.Ignored;
            _writes.Enqueue(new StopSendingWrite(stream.Id, (ulong)Http3ErrorCode.RequestCancelled));
            Emit(new CancelledPushStreamStopped(stream.Id, pushId));
            return;
        }

        stream.Kind = Http3StreamKind.Push;
        Emit(new PushStreamOpened(stream.Id, pushId));
    }

    /// <summary>
    /// Server: a client's CANCEL_PUSH must name a push id within its MAX_PUSH_ID that a PUSH_PROMISE of ours has
    /// mentioned (Section 7.2.3); anything else is H3_ID_ERROR.
    /// </summary>
    private void CheckCancelledPromise(long pushId)
    {
        if (pushId > _peerMaxPushId)
        {
            throw new Http3ConnectionException(
                Http3ErrorCode.IdError, $"CANCEL_PUSH names push id {pushId}, above the client's MAX_PUSH_ID ({(_peerMaxPushId < 0 ? "none sent" : _peerMaxPushId.ToString(System.Globalization.CultureInfo.InvariantCulture))})");
        }

        if (!_promisedPushes.Contains(pushId))
        {
            throw new Http3ConnectionException(Http3ErrorCode.IdError, $"CANCEL_PUSH names push id {pushId}, which no PUSH_PROMISE of ours mentioned");
        }
    }

    private void CheckPushId(long pushId, string what)
    {
        // Section 4.6: without MAX_PUSH_ID the server may not push at all.
        if (Role == Http3Role.Server)
        {
            throw new Http3ConnectionException(Http3ErrorCode.FrameUnexpected, $"a client sent {what}");
        }

        if (MaxPushId is not long max || pushId > max)
        {
            throw new Http3ConnectionException(
                Http3ErrorCode.IdError, $"{what} with push id {pushId}, above our MAX_PUSH_ID ({MaxPushId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none sent"})");
        }
    }
}
