using Hxi.Protocols.Quic.Connection;

namespace Hxi.Protocols.Http3;

/// <summary>
/// The seam between the HTTP/3 core and the QUIC core, shared by the client driver and the embedded
/// server: stream writes go down, stream bytes and stream signals come up. Both cores must be owned
/// by the calling thread.
/// </summary>
public static class Http3OverQuic
{
    /// <summary>Carries out every stream write the HTTP/3 core has queued.</summary>
    public static void Flush(Http3Connection h3, QuicConnection quic, TimeSpan now)
    {
        while (h3.TryPollStreamWrite(out var write))
        {
            switch (write)
            {
                case StreamDataWrite data:
                    quic.WriteStream(data.StreamId, data.Data.Span, data.Fin);
                    break;
                // QUIC forgets a stream once both directions are over (say, its last byte read in the same batch, or
                // our FIN acknowledged), which the HTTP/3 core cannot see: abandoning such a stream is moot, not an error.
                case StreamResetWrite reset when quic.IsStreamOpen(reset.StreamId):
                    quic.ResetStream(reset.StreamId, reset.ErrorCode);
                    break;
                case StopSendingWrite stop when quic.IsStreamOpen(stop.StreamId):
                    quic.StopSending(stop.StreamId, stop.ErrorCode);
                    break;
                case ConnectionCloseWrite close:
                    quic.Close(close.ErrorCode, close.Reason, now);
                    break;
            }
        }
    }

    /// <summary>Hands a QUIC stream event to the HTTP/3 core; false when the event is not about stream data.</summary>
    public static bool Deliver(Http3Connection h3, QuicConnection quic, QuicEvent e, byte[] buffer)
    {
        switch (e)
        {
            case QuicStreamReadable readable:
                Read(h3, quic, readable.StreamId, buffer);
                return true;
            case QuicStreamResetReceived reset:
                h3.ReceiveStreamReset(reset.StreamId, reset.ErrorCode);
                return true;
            case QuicStopSendingReceived stop:
                h3.ReceiveStopSending(stop.StreamId, stop.ErrorCode);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Moves everything readable on a stream (and its end) into the HTTP/3 core.</summary>
    public static void Read(Http3Connection h3, QuicConnection quic, long streamId, byte[] buffer)
    {
        while (true)
        {
            var read = quic.ReadStream(streamId, buffer, out var finished);
            if (read == 0 && !finished)
            {
                return;
            }

            h3.ReceiveStreamData(streamId, buffer.AsSpan(0, read), finished);
            if (finished)
            {
                return;
            }
        }
    }
}
