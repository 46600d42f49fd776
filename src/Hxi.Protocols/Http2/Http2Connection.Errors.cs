using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http2;

public sealed partial class Http2Connection
{
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
