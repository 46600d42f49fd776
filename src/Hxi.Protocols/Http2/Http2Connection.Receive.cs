using System.Text;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http2;

public sealed partial class Http2Connection
{
    private byte[] _input = new byte[32 * 1024];
    private int _inputStart;
    private int _inputEnd;
    private bool _awaitingPreface;
    private bool _prefaceSettingsReceived;

    // A field block in progress (HEADERS or PUSH_PROMISE followed by CONTINUATION).
    private int _blockStreamId;
    private int _blockPromisedStreamId;
    private bool _blockEndStream;
    private int _blockFrames;
    private readonly MemoryStream _block = new();

    /// <summary>Feeds bytes read from the transport; frames are parsed and applied, events queued.</summary>
    /// <remarks>The bytes of a <see cref="DataReceived"/> event stay valid only until the next call: copy them to keep them.</remarks>
    public void Receive(ReadOnlySpan<byte> bytes)
    {
        if (IsFailed)
        {
            return;
        }

        Append(bytes);
        while (!IsFailed && TryProcessBuffered())
        {
        }

        if (_inputStart == _inputEnd)
        {
            _inputStart = _inputEnd = 0;
        }
    }

    /// <summary>
    /// Like <see cref="Receive(ReadOnlySpan{byte})"/>, but frames are parsed straight from the caller's
    /// memory when nothing is buffered, and only a trailing partial frame is copied: one copy less on a
    /// bulk download. The memory must stay untouched until the events of this call are consumed.
    /// </summary>
    public void Receive(ReadOnlyMemory<byte> bytes)
    {
        if (IsFailed)
        {
            return;
        }

        if (_inputStart != _inputEnd || _awaitingPreface)
        {
            Receive(bytes.Span);
            return;
        }

        var available = bytes;
        while (!IsFailed && TryProcessOne(available, out var consumed))
        {
            available = available[consumed..];
        }

        if (!IsFailed && !available.IsEmpty)
        {
            _inputStart = _inputEnd = 0;
            Append(available.Span);
        }
    }

    private bool TryProcessBuffered()
    {
        if (_awaitingPreface)
        {
            return TryReceivePreface(_input.AsSpan(_inputStart, _inputEnd - _inputStart));
        }

        var processed = TryProcessOne(_input.AsMemory(_inputStart, _inputEnd - _inputStart), out var consumed);
        _inputStart += consumed;
        return processed;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_inputEnd + bytes.Length > _input.Length)
        {
            var live = _inputEnd - _inputStart;
            if (live + bytes.Length > _input.Length)
            {
                var grown = new byte[Math.Max(_input.Length * 2, live + bytes.Length)];
                _input.AsSpan(_inputStart, live).CopyTo(grown);
                _input = grown;
            }
            else
            {
                _input.AsSpan(_inputStart, live).CopyTo(_input);
            }

            _inputStart = 0;
            _inputEnd = live;
        }

        bytes.CopyTo(_input.AsSpan(_inputEnd));
        _inputEnd += bytes.Length;
    }

    /// <summary>Parses and applies the frame at the start of <paramref name="input"/>, if it is all there.</summary>
    private bool TryProcessOne(ReadOnlyMemory<byte> input, out int consumed)
    {
        consumed = 0;
        var available = input.Span;
        if (!Http2FrameHeader.TryRead(available, out var header))
        {
            return false;
        }

        // Check the length before waiting for the payload, so a huge length cannot make us buffer it.
        if (header.Length > LocalSettings.MaxFrameSize)
        {
            _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Http2, available[..Http2FrameHeader.Size].ToArray(),
                new Http2MalformedFrame(header, "frame too large")));
            FailConnection(Http2ErrorCode.FrameSizeError, $"{FrameName(header.Type)} frame of {header.Length} bytes exceeds SETTINGS_MAX_FRAME_SIZE {LocalSettings.MaxFrameSize}");
            return false;
        }

        var total = Http2FrameHeader.Size + header.Length;
        if (available.Length < total)
        {
            return false;
        }

        var raw = input[..total];
        consumed = total;
        Http2Frame frame;
        try
        {
            // Frames slice the input buffer: valid until the next Receive, which is all events promise.
            frame = Http2FrameDecoder.Decode(header, raw[Http2FrameHeader.Size..]);
        }
        catch (Exception ex) when (ex is Http2ConnectionException or Http2StreamException)
        {
            _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Http2, raw, new Http2MalformedFrame(header, ex.Message)));
            HandleError(ex);
            return !IsFailed;
        }

        _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Http2, raw, frame));
        try
        {
            Apply(frame);
        }
        catch (Exception ex) when (ex is Http2ConnectionException or Http2StreamException)
        {
            HandleError(ex);
        }

        return !IsFailed;
    }

    private bool TryReceivePreface(ReadOnlySpan<byte> available)
    {
        var preface = Http2Preface.Bytes;
        var compared = Math.Min(available.Length, preface.Length);
        if (!available[..compared].SequenceEqual(preface[..compared]))
        {
            FailConnection(Http2ErrorCode.ProtocolError, "the client connection preface is wrong (not \"PRI * HTTP/2.0\")");
            return false;
        }

        if (available.Length < preface.Length)
        {
            return false;
        }

        _inputStart += preface.Length;
        _awaitingPreface = false;
        _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Http2, preface.ToArray(), Http2Preface.Instance));
        Emit(new PrefaceReceived());
        return true;
    }

    private void Apply(Http2Frame frame)
    {
        if (!_prefaceSettingsReceived)
        {
            // RFC 9113 Section 3.4: the peer's preface is a SETTINGS frame, and it comes first.
            if (frame is not SettingsFrame { Ack: false })
            {
                var who = Role == Http2Role.Client ? "the server's first frame" : "the client's first frame after the preface";
                var what = frame is SettingsFrame ? "a SETTINGS acknowledgement" : FrameName(frame.TypeCode);
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"{who} is {what}, not SETTINGS (RFC 9113 3.4)");
            }

            _prefaceSettingsReceived = true;
        }

        if (_blockStreamId != 0 && frame is not ContinuationFrame)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError,
                $"{FrameName(frame.TypeCode)} frame arrived while the field block on stream {_blockStreamId} awaited CONTINUATION");
        }

        switch (frame)
        {
            case DataFrame data:
                ApplyData(data);
                break;
            case HeadersFrame headers:
                ApplyHeaders(headers);
                break;
            case PriorityFrame priority:
                ReceiveOnStream(priority.StreamId, Http2StreamInput.ReceivePriority, "PRIORITY");
                if (priority.Priority.StreamDependency == priority.StreamId)
                {
                    throw new Http2StreamException(priority.StreamId, Http2ErrorCode.ProtocolError, "PRIORITY makes the stream depend on itself");
                }

                break;
            case RstStreamFrame rst:
                ApplyRstStream(rst);
                break;
            case SettingsFrame settings:
                ApplySettings(settings);
                break;
            case PushPromiseFrame push:
                ApplyPushPromise(push);
                break;
            case PingFrame ping:
                if (ping.Ack)
                {
                    Emit(new PingAcknowledged(ping.OpaqueData));
                }
                else
                {
                    WriteFrame(new PingFrame(true, ping.OpaqueData));
                    Emit(new PingReceived(ping.OpaqueData));
                }

                break;
            case GoAwayFrame goAway:
                GoAwayReceivedFrom = goAway;
                Emit(new GoAwayReceived(goAway.LastStreamId, goAway.ErrorCode, Encoding.Latin1.GetString(goAway.DebugData.Span)));
                break;
            case WindowUpdateFrame update:
                ApplyWindowUpdate(update);
                break;
            case ContinuationFrame continuation:
                ApplyContinuation(continuation);
                break;
            case UnknownFrame:
                // RFC 9113 Section 4.1: unknown types are ignored (the tap has shown them).
                break;
        }
    }

    private void ApplyHeaders(HeadersFrame frame)
    {
        var id = frame.StreamId;
        var state = GetStreamState(id);
        if (state == Http2StreamState.Idle)
        {
            if (IsLocal(id))
            {
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"HEADERS on stream {id}, which this endpoint never opened");
            }

            if (Role == Http2Role.Client)
            {
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"HEADERS on idle stream {id}: a server may not open streams (only push them)");
            }

            if (id <= _highestPeerStreamId)
            {
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"HEADERS opens stream {id}, lower than the last one ({_highestPeerStreamId})");
            }
        }

        else if (Role == Http2Role.Server && !IsLocal(id) && state == Http2StreamState.Closed && !_streams.ContainsKey(id) && !_resetByUs.Contains(id))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"HEADERS on stream {id}, which is closed or was skipped: stream identifiers cannot be reused or go back (RFC 9113 5.1.1)");
        }

        BeginBlock(id, 0, frame.EndStream, frame.BlockFragment.Span, frame.EndHeaders);
    }

    private void ApplyPushPromise(PushPromiseFrame frame)
    {
        if (Role == Http2Role.Server)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "a client sent PUSH_PROMISE");
        }

        if (!_options.EnablePush)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PUSH_PROMISE received although SETTINGS_ENABLE_PUSH is 0");
        }

        if ((frame.PromisedStreamId & 1) != 0
            || !Http2StreamStateMachine.Receive(GetStreamState(frame.PromisedStreamId), Http2StreamInput.ReceivePushPromise).IsAllowed)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"PUSH_PROMISE promises stream {frame.PromisedStreamId}, which is not an idle even stream");
        }

        ReceiveOnStream(frame.StreamId, Http2StreamInput.ReceivePushPromiseOnStream, "PUSH_PROMISE");
        var reserved = CreateStream(frame.PromisedStreamId);
        Transition(reserved, Http2StreamInput.ReceivePushPromise);
        BeginBlock(frame.StreamId, frame.PromisedStreamId, false, frame.BlockFragment.Span, frame.EndHeaders);
    }

    private void BeginBlock(int streamId, int promisedStreamId, bool endStream, ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        _blockStreamId = streamId;
        _blockPromisedStreamId = promisedStreamId;
        _blockEndStream = endStream;
        _blockFrames = 1;
        _block.SetLength(0);
        AppendToBlock(fragment);
        if (endHeaders)
        {
            CompleteBlock();
        }
    }

    private void ApplyContinuation(ContinuationFrame frame)
    {
        if (_blockStreamId == 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"CONTINUATION on stream {frame.StreamId} without a HEADERS or PUSH_PROMISE before it");
        }

        if (frame.StreamId != _blockStreamId)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"CONTINUATION on stream {frame.StreamId}, but the field block in progress is on stream {_blockStreamId}");
        }

        if (++_blockFrames > _options.MaxContinuationFrames)
        {
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, $"field block on stream {frame.StreamId} uses more than {_options.MaxContinuationFrames} CONTINUATION frames");
        }

        AppendToBlock(frame.BlockFragment.Span);
        if (frame.EndHeaders)
        {
            CompleteBlock();
        }
    }

    private void AppendToBlock(ReadOnlySpan<byte> fragment)
    {
        // An encoded block is never larger than the decoded list it carries plus a little framing,
        // so anything much bigger than the list limit is refused before it is buffered.
        var limit = (long)LocalSettings.MaxHeaderListSize * 2 + 4096;
        if (_block.Length + fragment.Length > limit)
        {
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, $"field block on stream {_blockStreamId} exceeds {limit} bytes (SETTINGS_MAX_HEADER_LIST_SIZE {LocalSettings.MaxHeaderListSize})");
        }

        _block.Write(fragment);
    }

    private void CompleteBlock()
    {
        var streamId = _blockStreamId;
        var promised = _blockPromisedStreamId;
        _blockStreamId = 0;
        var block = _block.GetBuffer().AsSpan(0, (int)_block.Length);

        // The block is decoded even for a stream we no longer care about, to keep the HPACK table in sync.
        var trace = _traceHpack ? new List<HpackFieldTrace>() : null;
        List<HeaderField> fields;
        try
        {
            fields = _decoder.Decode(block, trace);
        }
        catch (HpackDecodingException ex)
        {
            throw new Http2ConnectionException(Http2ErrorCode.CompressionError, ex.Message);
        }

        _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Hpack, block.ToArray(),
            new Http2HeaderBlock(streamId, fields, trace, _decoder.Table.Size, _decoder.Table.Count, promised == 0 ? null : promised)));

        if (promised != 0)
        {
            if (_streams.TryGetValue(promised, out var reserved))
            {
                reserved.RequestMethod = MethodOf(fields);
            }

            // RFC 9113 8.4.1: a promise that is not a complete, valid, safe request is a stream error on the promised
            // stream; a rejected promise is never announced.
            Judge(MessageValidator.CheckPromisedRequest(Http2RuleBook.Instance, promised, $"PUSH_PROMISE on stream {streamId}", fields));
            Emit(new PushPromiseReceived(streamId, promised, fields));
            return;
        }

        // Closed or reset by us, the table discards it: frames still in flight are ignored (RFC 9113 Section 5.1).
        var state = GetStreamState(streamId);
        var outcome = Http2StreamStateMachine.Receive(state, Http2StreamInput.ReceiveHeaders);
        if (outcome.Fault is { } fault)
        {
            var after = state is Http2StreamState.HalfClosedRemote or Http2StreamState.Closed ? " after its END_STREAM" : $" in state {state}";
            throw Fault(streamId, fault, $"HEADERS on stream {streamId}{after}");
        }

        if (outcome.Ignored)
        {
            return;
        }

        if (!_streams.TryGetValue(streamId, out var stream))
        {
            stream = CreateStream(streamId);
            if (_options.MaxConcurrentStreams is { } max && _streams.Values.Count(s => !IsLocal(s.Id) && s.State != Http2StreamState.Closed) > max)
            {
                throw new Http2StreamException(streamId, Http2ErrorCode.RefusedStream, $"more than SETTINGS_MAX_CONCURRENT_STREAMS {max} streams");
            }
        }

        var trailers = stream.HeaderSectionReceived;
        Judge(ReceivedMessage(stream).ReceiveHeaders(fields, _blockEndStream));
        Transition(stream, Http2StreamInput.ReceiveHeaders);
        if (_blockEndStream)
        {
            Transition(stream, Http2StreamInput.ReceiveEndStream);
        }

        if (trailers)
        {
            Emit(new TrailersReceived(streamId, fields, _blockEndStream));
        }
        else
        {
            stream.HeaderSectionReceived = !HeadersReceived.IsInterimStatus(fields);
            Emit(new HeadersReceived(streamId, fields, _blockEndStream));
        }

        ForgetIfClosed(stream);
    }

    private void ApplyRstStream(RstStreamFrame frame)
    {
        if (ReceiveOnStream(frame.StreamId, Http2StreamInput.ReceiveReset, "RST_STREAM") && _streams.TryGetValue(frame.StreamId, out var stream))
        {
            ClearSendQueue(stream);
            Transition(stream, Http2StreamInput.ReceiveReset);
            ForgetIfClosed(stream);
            Emit(new StreamReset(frame.StreamId, frame.ErrorCode, ByPeer: true));
        }
    }

    private void ApplySettings(SettingsFrame frame)
    {
        if (frame.Ack)
        {
            ApplyAcknowledgedSettings();
            return;
        }

        foreach (var setting in frame.Settings)
        {
            ApplySetting(setting);
        }

        WriteFrame(SettingsFrame.Acknowledgement);
        Emit(new SettingsReceived(frame.Settings));
    }

    private void ApplySetting(Http2Setting setting)
    {
        var value = setting.Value;
        switch (setting.Id)
        {
            case Http2SettingId.HeaderTableSize:
                PeerSettings.HeaderTableSize = (int)Math.Min(value, int.MaxValue);
                _encoder.SetPeerMaxTableSize(PeerSettings.HeaderTableSize);
                break;
            case Http2SettingId.EnablePush:
                if (value > 1 || (Role == Http2Role.Client && value == 1))
                {
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"SETTINGS_ENABLE_PUSH={value} is not allowed here");
                }

                PeerSettings.EnablePush = value == 1;
                break;
            case Http2SettingId.MaxConcurrentStreams:
                PeerSettings.MaxConcurrentStreams = (int)Math.Min(value, int.MaxValue);
                break;
            case Http2SettingId.InitialWindowSize:
                if (value > MaxWindow)
                {
                    throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, $"SETTINGS_INITIAL_WINDOW_SIZE={value} is above 2^31-1");
                }

                AdjustStreamSendWindows((int)value - PeerSettings.InitialWindowSize);
                PeerSettings.InitialWindowSize = (int)value;
                break;
            case Http2SettingId.MaxFrameSize:
                if (value is < 16_384 or > 16_777_215)
                {
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"SETTINGS_MAX_FRAME_SIZE={value} is outside 16384..16777215");
                }

                PeerSettings.MaxFrameSize = (int)value;
                break;
            case Http2SettingId.MaxHeaderListSize:
                PeerSettings.MaxHeaderListSize = (int)Math.Min(value, int.MaxValue);
                break;
            default:
                // Unknown settings are ignored (RFC 9113 Section 6.5.2).
                break;
        }
    }

    /// <summary>Moves a stream on a received input, as the state table says; a pair the table refuses throws its error.</summary>
    private void Transition(Http2Stream stream, Http2StreamInput input)
    {
        var outcome = Http2StreamStateMachine.Receive(stream.State, input);
        if (outcome.Fault is { } fault)
        {
            throw Fault(stream.Id, fault, $"stream {stream.Id}: {input} is not allowed in state {stream.State}");
        }

        stream.State = outcome.Next;
    }

    /// <summary>
    /// Checks a frame that names a stream against the state table (RFC 9113 Section 5.1): throws the error the table
    /// names, returns false when the frame is to be discarded, true when it applies.
    /// </summary>
    private bool ReceiveOnStream(int streamId, Http2StreamInput input, string frameName)
    {
        var state = GetStreamState(streamId);
        var outcome = Http2StreamStateMachine.Receive(state, input);
        if (outcome.Fault is { } fault)
        {
            var where = state == Http2StreamState.Idle ? $"idle stream {streamId}" : $"stream {streamId} in state {state}";
            throw Fault(streamId, fault, $"{frameName} on {where}");
        }

        return !outcome.Ignored;
    }

    /// <summary>The error the state table names, as the exception that carries its scope.</summary>
    private static Exception Fault(int streamId, Http2StreamFault fault, string reason) =>
        fault.IsConnectionError
            ? new Http2ConnectionException(fault.Code, reason)
            : new Http2StreamException(streamId, fault.Code, reason);

    private static string FrameName(byte type) => type <= (byte)Http2FrameType.Continuation
        ? Http2FrameNames.Name((Http2FrameType)type)
        : $"UNKNOWN(0x{type:x2})";
}
