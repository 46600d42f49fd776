namespace Hxi.Protocols.Http2;

/// <summary>Stream states of RFC 9113 Section 5.1.</summary>
public enum Http2StreamState
{
    Idle,
    ReservedLocal,
    ReservedRemote,
    Open,
    HalfClosedLocal,
    HalfClosedRemote,
    Closed,
}

/// <summary>What happens to a stream: the edges of the RFC 9113 Section 5.1 diagram, and every frame that can name a stream.</summary>
public enum Http2StreamInput
{
    SendHeaders,
    ReceiveHeaders,

    /// <summary>A PUSH_PROMISE we send reserves this (promised) stream.</summary>
    SendPushPromise,

    /// <summary>A PUSH_PROMISE we receive reserves this (promised) stream.</summary>
    ReceivePushPromise,
    SendEndStream,
    ReceiveEndStream,
    SendReset,
    ReceiveReset,

    /// <summary>A DATA frame arrived; it keeps the state (END_STREAM is its own input).</summary>
    ReceiveData,
    ReceivePriority,
    ReceiveWindowUpdate,

    /// <summary>A PUSH_PROMISE arrived on this stream, the one the push is associated with.</summary>
    ReceivePushPromiseOnStream,
}

/// <summary>The RFC's answer to a received input its state does not allow: a stream error, or one for the whole connection.</summary>
public sealed record Http2StreamFault(Http2ErrorCode Code, bool IsConnectionError);

/// <summary>
/// What receiving an input in a state does: the stream moves to <see cref="Next"/> (possibly the same state),
/// or the frame is discarded after minimal processing (<see cref="Ignored"/>), or it is the <see cref="Fault"/> the RFC names.
/// </summary>
public sealed record Http2StreamOutcome(Http2StreamState Next, Http2StreamFault? Fault = null, bool Ignored = false)
{
    public bool IsAllowed => Fault is null && !Ignored;
}
