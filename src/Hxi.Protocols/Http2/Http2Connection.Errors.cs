using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http2;

public sealed partial class Http2Connection
{
    private const int RememberedResets = 1024;

    // Peer streams we reset lately: the peer may still send on them (RFC 9113 Section 5.1, "closed"), while a HEADERS
    // on any other closed peer stream reuses or goes back on an identifier (Section 5.1.1). Bounded: oldest forgotten.
    private readonly HashSet<int> _resetByUs = [];
    private readonly Queue<int> _resetOrder = new();

    private void NoteResetByUs(int streamId)
    {
        if (IsLocal(streamId) || !_resetByUs.Add(streamId))
        {
            return;
        }

        _resetOrder.Enqueue(streamId);
        if (_resetOrder.Count > RememberedResets)
        {
            _resetByUs.Remove(_resetOrder.Dequeue());
        }
    }

    private void HandleError(Exception error)
    {
        switch (error)
        {
            case Http2ConnectionException connection:
                FailConnection(connection.Code, connection.Reason);
                break;
            case Http2StreamException stream:
                FailStream(stream.StreamId, stream.Code, stream.Reason);
                break;
        }
    }

    /// <summary>RFC 9113 Section 5.4.1: send GOAWAY with the code, then stop reading.</summary>
    private void FailConnection(Http2ErrorCode code, string reason)
    {
        if (IsFailed)
        {
            return;
        }

        IsFailed = true;
        _blockStreamId = 0;
        SendGoAway(code, reason);
        Emit(new ConnectionFailed(code, reason));
    }

    /// <summary>RFC 9113 Section 5.4.2: reset the one stream; the connection carries on.</summary>
    private void FailStream(int streamId, Http2ErrorCode code, string reason)
    {
        WriteFrame(new Frames.RstStreamFrame(streamId, (uint)code));
        NoteResetByUs(streamId);
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            stream = CreateStream(streamId);
        }

        ClearSendQueue(stream);
        stream.State = Http2StreamState.Closed;
        ForgetIfClosed(stream);
        Emit(new StreamReset(streamId, (ulong)code, ByPeer: false, reason));
    }
}
