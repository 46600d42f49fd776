using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http3;

public sealed partial class Http3Connection
{
    /// <summary>A connection error (RFC 9114 Section 8): report it, close the connection, read nothing more.</summary>
    private void Fail(Http3ErrorCode code, string reason)
    {
        if (IsFailed)
        {
            return;
        }

        IsFailed = true;
        Emit(new ConnectionFailed(code, reason));
        _writes.Enqueue(new ConnectionCloseWrite((ulong)code, reason));
    }

    /// <summary>A stream error: reset the stream and stop reading it; the connection carries on.</summary>
    private void FailStream(long streamId, Http3ErrorCode code, string reason)
    {
        Emit(new StreamReset(streamId, (ulong)code, ByPeer: false, reason));
        ResetStream(streamId, code);
    }
}
