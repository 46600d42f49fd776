using System.Buffers;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http3;

public sealed partial class Http3Connection
{
    /// <summary>Client: opens a request stream and sends the request's HEADERS; returns the stream id.</summary>
    public long SendRequest(IReadOnlyList<HeaderField> headers, bool endStream)
    {
        if (Role != Http3Role.Client)
        {
            throw new InvalidOperationException("Only a client sends requests.");
        }

        long streamId = _allocateStreamId(true);
        _streams[streamId] = new Http3ReceiveStream(streamId, Http3StreamKind.Request, _options.MaxFramePayload)
        {
            RequestMethod = headers.FirstOrDefault(f => f.Name == ":method").Value,
        };
        SendHeaders(streamId, headers, endStream);
        return streamId;
    }

    /// <summary>Sends a header section: a response (interim or final), trailers, or request headers on an open stream.</summary>
    public void SendHeaders(long streamId, IReadOnlyList<HeaderField> headers, bool endStream)
    {
        if (IsSendStopped(streamId))
        {
            return;
        }

        var section = new ArrayBufferWriter<byte>();
        var trace = _encoder.EncodeFieldSection(streamId, headers, section);
        FlushEncoderStream();
        SendFrame(streamId, new HeadersFrame(section.WrittenMemory), endStream);
        // The fields are shown under the HEADERS frame that carried them, as for HTTP/2.
        if (trace is not null)
        {
            Trace(WireDirection.Sent, WireLayer.Qpack, section.WrittenSpan, trace);
        }
    }

    /// <summary>Sends one DATA frame carrying <paramref name="data"/>.</summary>
    public void SendData(long streamId, ReadOnlySpan<byte> data, bool endStream)
    {
        if (IsSendStopped(streamId))
        {
            return;
        }

        // One array for header and payload, handed to the write queue as it is: a bulk response copies each byte once here.
        var header = QuicVarint.GetByteCount((ulong)Http3FrameType.Data) + QuicVarint.GetByteCount((ulong)data.Length);
        var frame = new byte[header + data.Length];
        var written = QuicVarint.Write(frame, (ulong)Http3FrameType.Data);
        QuicVarint.Write(frame.AsSpan(written), (ulong)data.Length);
        data.CopyTo(frame.AsSpan(header));
        if (_tracing)
        {
            Trace(WireDirection.Sent, WireLayer.Http3, frame.AsSpan(0, header), new Http3FrameTrace(streamId, new DataFrame(ReadOnlyMemory<byte>.Empty), data.Length));
        }

        if (!_sendStopped.Contains(streamId))
        {
            _writes.Enqueue(new StreamDataWrite(streamId, frame, endStream));
        }
    }

    /// <summary>Ends our side of a stream without more data (a QUIC STREAM frame with FIN and no bytes).</summary>
    public void EndStream(long streamId) => Write(streamId, [], fin: true);

    /// <summary>Sends any frame record on any stream, legal or not (the REPL's raw frames).</summary>
    public void SendFrame(long streamId, Http3Frame frame, bool fin = false)
    {
        if (IsSendStopped(streamId))
        {
            return;
        }

        var output = new ArrayBufferWriter<byte>();
        Http3FrameWriter.Write(frame, output);
        long payloadLength = output.WrittenCount - HeaderLength(output.WrittenSpan);
        Trace(WireDirection.Sent, WireLayer.Http3, output.WrittenSpan, new Http3FrameTrace(streamId, frame, payloadLength));
        Write(streamId, output.WrittenSpan, fin);
        if (streamId == ControlStreamId)
        {
            NoteControlFrameSent(frame);
        }
        else if (frame is PushPromiseFrame promise && Role == Http3Role.Server)
        {
            _promisedPushes.Add(promise.PushId);
        }
    }

    /// <summary>Sends a frame of any type with any payload.</summary>
    public void SendRawFrame(long streamId, long type, ReadOnlySpan<byte> payload, bool fin = false) =>
        SendFrame(streamId, Http3FrameCodec.ParsePayloadUnchecked(type, payload), fin);

    /// <summary>Opens a unidirectional stream of any type and writes its type prefix; returns the stream id.</summary>
    public long OpenUniStream(long streamType)
    {
        long streamId = _allocateStreamId(false);
        byte[] prefix = new byte[QuicVarint.GetByteCount((ulong)streamType)];
        QuicVarint.Write(prefix, (ulong)streamType);
        Trace(WireDirection.Sent, WireLayer.Http3, prefix, new Http3StreamTypeTrace(streamId, streamType));
        Write(streamId, prefix, fin: false);
        return streamId;
    }

    /// <summary>Opens a bidirectional stream without sending anything; returns its id (the REPL's raw requests).</summary>
    public long OpenBidiStream()
    {
        long streamId = _allocateStreamId(true);
        _streams[streamId] = new Http3ReceiveStream(streamId, Http3StreamKind.Request, _options.MaxFramePayload);
        return streamId;
    }

    /// <summary>Writes raw bytes on a stream.</summary>
    public void SendStreamBytes(long streamId, ReadOnlySpan<byte> data, bool fin) => Write(streamId, data, fin);

    /// <summary>Sends GOAWAY on the control stream: a client sends a push id, a server a request stream id.</summary>
    public void SendGoAway(long id) => SendFrame(ControlStreamId, new GoAwayFrame(id));

    /// <summary>Client: allows the server push ids up to <paramref name="pushId"/>; pushes within it are then accepted.</summary>
    public void SendMaxPushId(long pushId) => SendFrame(ControlStreamId, new MaxPushIdFrame(pushId));

    /// <summary>Client: declines a promised push; a push stream that still arrives for it is stopped with H3_REQUEST_CANCELLED.</summary>
    public void SendCancelPush(long pushId) => SendFrame(ControlStreamId, new CancelPushFrame(pushId));

    public void SendPriorityUpdate(long streamId, string priority) =>
        SendFrame(ControlStreamId, new PriorityUpdateFrame(false, streamId, priority));

    /// <summary>Abandons a stream both ways: RESET_STREAM, STOP_SENDING, and a QPACK Stream Cancellation.</summary>
    public void ResetStream(long streamId, Http3ErrorCode code)
    {
        _sendStopped.Add(streamId);
        _writes.Enqueue(new StreamResetWrite(streamId, (ulong)code));
        StopReading(streamId, code);
    }

    /// <summary>Stops reading a stream (STOP_SENDING) and tells the peer's encoder its sections there are abandoned.</summary>
    public void StopReading(long streamId, Http3ErrorCode code)
    {
        _writes.Enqueue(new StopSendingWrite(streamId, (ulong)code));
        if (!IsLocallyInitiated(streamId))
        {
            // Bytes still in flight on it must not open it again as a new stream.
            _stoppedPeerStreams.Add(streamId);
        }

        if (_streams.Remove(streamId, out var stream) && stream.Kind is Http3StreamKind.Request or Http3StreamKind.Push && !stream.Finished)
        {
            _decoder.CancelStream(streamId);
            FlushDecoderStream();
        }
    }

    /// <summary>
    /// Whether our sending half of a stream is over by reset: the peer's STOP_SENDING (which QUIC answers with
    /// RESET_STREAM) or our own. Writes to such a stream are dropped, not errors: the peer may stop reading a
    /// request body at any moment (RFC 9114 Section 4.1.2), and the sender learns it only afterwards.
    /// </summary>
    public bool IsSendStopped(long streamId) => _sendStopped.Contains(streamId);

    /// <summary>Closes the connection with <paramref name="code"/> (CONNECTION_CLOSE).</summary>
    public void Close(Http3ErrorCode code, string reason) => _writes.Enqueue(new ConnectionCloseWrite((ulong)code, reason));

    private static int HeaderLength(ReadOnlySpan<byte> frame)
    {
        int typeLength = QuicVarint.GetLengthFromFirstByte(frame[0]);
        return typeLength + QuicVarint.GetLengthFromFirstByte(frame[typeLength]);
    }
}
