using System.Buffers;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http3;

public sealed partial class Http3Connection
{
    /// <summary>Bytes arrived on a stream, in order; <paramref name="fin"/> marks the stream's clean end.</summary>
    public void ReceiveStreamData(long streamId, ReadOnlySpan<byte> data, bool fin)
    {
        if (IsFailed)
        {
            return;
        }

        try
        {
            if (!_streams.TryGetValue(streamId, out var stream))
            {
                if (IsLocallyInitiated(streamId) && !IsBidirectional(streamId))
                {
                    throw new Http3ConnectionException(Http3ErrorCode.StreamCreationError, $"data on our own unidirectional stream {streamId}");
                }

                if (IsLocallyInitiated(streamId) || _stoppedPeerStreams.Contains(streamId))
                {
                    return; // a stream we already abandoned
                }

                stream = AcceptStream(streamId);
            }

            Process(stream, data, fin);
            FlushDecoderStream();
        }
        catch (Http3ConnectionException e)
        {
            Fail(e.Code, e.Reason);
        }
        catch (QpackException e)
        {
            Fail(e.Code, e.Reason);
        }
        catch (Http3StreamException e)
        {
            FailStream(e.StreamId, e.Code, e.Reason);
        }
    }

    /// <summary>The peer reset a stream (QUIC RESET_STREAM).</summary>
    public void ReceiveStreamReset(long streamId, ulong errorCode)
    {
        if (IsFailed)
        {
            return;
        }

        if (_streams.TryGetValue(streamId, out var stream) && IsCritical(stream.Kind))
        {
            Fail(Http3ErrorCode.ClosedCriticalStream, $"the peer reset its {stream.Kind} stream {streamId}");
            return;
        }

        Emit(new StreamReset(streamId, errorCode, ByPeer: true));
        if (_streams.Remove(streamId, out stream) && stream.Kind is Http3StreamKind.Request or Http3StreamKind.Push && !stream.Finished)
        {
            // Section 4.4.2: references on a reset stream are no longer outstanding.
            _decoder.CancelStream(streamId);
            FlushDecoderStream();
        }
    }

    /// <summary>The peer asked us to stop sending on a stream (QUIC STOP_SENDING).</summary>
    public void ReceiveStopSending(long streamId, ulong errorCode)
    {
        if (IsFailed)
        {
            return;
        }

        if (streamId == ControlStreamId || streamId == EncoderStreamId || streamId == DecoderStreamId)
        {
            Fail(Http3ErrorCode.ClosedCriticalStream, $"the peer asked us to stop sending on critical stream {streamId}");
            return;
        }

        // QUIC answers STOP_SENDING with RESET_STREAM: nothing more may be written on the stream.
        _sendStopped.Add(streamId);
        Emit(new StopSendingReceived(streamId, errorCode));
    }

    private Http3ReceiveStream AcceptStream(long streamId)
    {
        if (IsBidirectional(streamId))
        {
            // Section 6.1: servers do not open bidirectional streams.
            if (Role == Http3Role.Client)
            {
                throw new Http3ConnectionException(Http3ErrorCode.StreamCreationError, $"the server opened bidirectional stream {streamId}");
            }

            return _streams[streamId] = new Http3ReceiveStream(streamId, Http3StreamKind.Request, _options.MaxFramePayload);
        }

        return _streams[streamId] = new Http3ReceiveStream(streamId, Http3StreamKind.PendingType, _options.MaxFramePayload);
    }

    private void Process(Http3ReceiveStream stream, ReadOnlySpan<byte> data, bool fin)
    {
        if (stream.Kind is Http3StreamKind.PendingType or Http3StreamKind.PendingPushId)
        {
            ReadStreamPrefix(stream, ref data);
            if (stream.Kind is Http3StreamKind.PendingType or Http3StreamKind.PendingPushId)
            {
                if (fin)
                {
                    // A stream that ends inside its type prefix carries nothing we can use.
                    _streams.Remove(stream.Id);
                }

                return;
            }
        }

        switch (stream.Kind)
        {
            case Http3StreamKind.Control:
                ReadFrames(stream, data);
                if (fin)
                {
                    throw new Http3ConnectionException(Http3ErrorCode.ClosedCriticalStream, $"the peer closed its control stream {stream.Id}");
                }

                break;
            case Http3StreamKind.QpackEncoder:
                ReceiveEncoderStream(stream, data, fin);
                break;
            case Http3StreamKind.QpackDecoder:
                ReceiveDecoderStream(stream, data, fin);
                break;
            case Http3StreamKind.Request or Http3StreamKind.Push:
                ReadMessageStream(stream, data, fin);
                break;
            default:
                break; // ignored stream types: bytes are dropped
        }
    }

    private void ReadMessageStream(Http3ReceiveStream stream, ReadOnlySpan<byte> data, bool fin)
    {
        if (stream.Blocked)
        {
            stream.Pending ??= new ArrayBufferWriter<byte>();
            stream.Pending.Write(data);
            stream.PendingFin |= fin;
            return;
        }

        ReadFrames(stream, data);
        if (stream.Blocked)
        {
            stream.PendingFin |= fin;
            return;
        }

        if (fin)
        {
            EndMessageStream(stream);
        }
    }

    private void EndMessageStream(Http3ReceiveStream stream)
    {
        if (!stream.Reader.IsAtFrameBoundary)
        {
            throw new Http3ConnectionException(Http3ErrorCode.FrameError, $"stream {stream.Id} ended inside a frame");
        }

        stream.MessageState = Http3MessageRules.Next(stream.Id, stream.MessageState, Http3MessageInput.End);
        Judge(ReceivedMessage(stream).ReceiveEnd());
        stream.Finished = true;
        _streams.Remove(stream.Id);
        Emit(new DataReceived(stream.Id, ReadOnlyMemory<byte>.Empty, EndStream: true));
    }

    /// <summary>Reads frames until the input runs out or a field section blocks; the rest then waits in Pending.</summary>
    private void ReadFrames(Http3ReceiveStream stream, ReadOnlySpan<byte> data)
    {
        while (true)
        {
            var unread = data;
            Http3ReadStatus status;
            Http3Frame? frame;
            scoped ReadOnlySpan<byte> chunk;
            try
            {
                status = stream.Reader.Read(ref data, out frame, out chunk);
            }
            catch (Exception e) when (e is Http3ConnectionException or Http3StreamException)
            {
                // The wire view shows the bytes that broke parsing before the error is reported.
                Trace(WireDirection.Received, WireLayer.Http3, unread, new UnparsedBytes($"stream {stream.Id}: {e.Message}"));
                throw;
            }

            switch (status)
            {
                case Http3ReadStatus.NeedMoreData:
                    return;
                case Http3ReadStatus.DataHeader:
                    Trace(WireDirection.Received, WireLayer.Http3, stream.Reader.LastFrameBytes,
                        new Http3FrameTrace(stream.Id, new DataFrame(ReadOnlyMemory<byte>.Empty), stream.Reader.DataLength));
                    CheckAllowed(stream, Http3FrameType.Data);
                    stream.MessageState = Http3MessageRules.Next(stream.Id, stream.MessageState, Http3MessageInput.Data);
                    Judge(ReceivedMessage(stream).ReceiveData(stream.Reader.DataLength, endStream: false));
                    break;
                case Http3ReadStatus.DataChunk:
                    Emit(new DataReceived(stream.Id, CopyOut(chunk), EndStream: false));
                    break;
                default:
                    Trace(WireDirection.Received, WireLayer.Http3, stream.Reader.LastFrameBytes,
                        new Http3FrameTrace(stream.Id, frame!, stream.Reader.LastFrameBytes.Length - HeaderLength(stream.Reader.LastFrameBytes)));
                    CheckAllowed(stream, frame!.Type);
                    if (stream.Kind == Http3StreamKind.Control)
                    {
                        HandleControlFrame(stream, frame);
                    }
                    else
                    {
                        HandleMessageFrame(stream, frame);
                    }

                    if (stream.Blocked)
                    {
                        stream.Pending ??= new ArrayBufferWriter<byte>();
                        stream.Pending.Write(data);
                        return;
                    }

                    break;
            }
        }
    }

    // The event owns its copy; every byte is overwritten at once, so the GC need not zero it first (a body arrives in
    // chunks of up to 64 KB: the zeroing was as costly as the copy).
    private ReadOnlyMemory<byte> CopyOut(ReadOnlySpan<byte> chunk)
    {
        var copy = _options.DataBufferPool?.Rent(chunk.Length) ?? GC.AllocateUninitializedArray<byte>(chunk.Length);
        chunk.CopyTo(copy);
        return copy.AsMemory(0, chunk.Length);
    }

    private void HandleMessageFrame(Http3ReceiveStream stream, Http3Frame frame)
    {
        switch (frame)
        {
            case HeadersFrame headers:
                DecodeFieldSection(stream, headers.FieldSection.Span, pushPromiseId: -1);
                break;
            case PushPromiseFrame push:
                CheckPushId(push.PushId, "PUSH_PROMISE");
                DecodeFieldSection(stream, push.FieldSection.Span, push.PushId);
                break;
            case UnknownFrame unknown:
                Emit(new UnknownFrameReceived(stream.Id, unknown.FrameType, unknown.Payload.Length));
                break;
        }
    }

    private void DecodeFieldSection(Http3ReceiveStream stream, ReadOnlySpan<byte> section, long pushPromiseId)
    {
        if (_decoder.TryDecode(stream.Id, section, out var decoded))
        {
            ApplyFieldSection(stream, decoded!, pushPromiseId, section);
            return;
        }

        stream.Blocked = true;
        stream.BlockedPushPromiseId = pushPromiseId;
        Emit(new StreamBlocked(stream.Id, _decoder.GetRequiredInsertCount(stream.Id), _decoder.Table.InsertCount));
    }

    private void ApplyFieldSection(Http3ReceiveStream stream, QpackFieldSection section, long pushPromiseId, ReadOnlySpan<byte> bytes)
    {
        if (section.Trace is not null)
        {
            Trace(WireDirection.Received, WireLayer.Qpack, bytes, section.Trace);
        }

        if (pushPromiseId >= 0)
        {
            // RFC 9114 4.6 and 4.1.2: the promised request is a request like any other, and safe, cacheable and
            // without content; a malformed one is a malformed message on the stream that carried it.
            Judge(MessageValidator.CheckPromisedRequest(Http3RuleBook.Instance, stream.Id, $"PUSH_PROMISE for push ID {pushPromiseId}", section.Fields));
            Emit(new PushPromiseReceived(stream.Id, pushPromiseId, section.Fields));
            return;
        }

        Http3MessageInput input;
        if (stream.MessageState == Http3MessageState.Body)
        {
            input = Http3MessageInput.Trailers;
        }
        else
        {
            bool response = Role == Http3Role.Client;
            var status = section.Fields.FirstOrDefault(f => f.Name == ":status").Value;
            input = response && status is { Length: 3 } && status[0] == '1' ? Http3MessageInput.InterimHeaders : Http3MessageInput.FinalHeaders;
        }

        stream.MessageState = Http3MessageRules.Next(stream.Id, stream.MessageState, input);
        Judge(ReceivedMessage(stream).ReceiveHeaders(section.Fields, endStream: false));
        Emit(input == Http3MessageInput.Trailers
            ? new TrailersReceived(stream.Id, section.Fields, EndStream: false)
            : new HeadersReceived(stream.Id, section.Fields, EndStream: false));
    }
}
