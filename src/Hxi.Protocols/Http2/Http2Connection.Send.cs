using System.Buffers;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http2;

/// <summary>How a HEADERS frame is dressed: the knobs the REPL's <c>headers</c> command exposes.</summary>
public sealed record Http2HeadersOptions
{
    public Http2PriorityFields? Priority { get; init; }

    public int? PadLength { get; init; }

    /// <summary>Largest fragment per frame; null means the peer's SETTINGS_MAX_FRAME_SIZE.</summary>
    public int? MaxFragmentSize { get; init; }
}

public sealed partial class Http2Connection
{
    /// <summary>Reserves the next stream id this endpoint may open (odd for a client).</summary>
    public int OpenStream()
    {
        if (_nextLocalStreamId > MaxWindow)
        {
            throw new InvalidOperationException("stream ids are exhausted on this connection; open a new one");
        }

        var id = _nextLocalStreamId;
        _nextLocalStreamId += 2;
        return id;
    }

    /// <summary>
    /// h2c Upgrade (RFC 7540 Section 3.2): the HTTP/1.1 request that carried the Upgrade becomes
    /// stream 1, already half-closed on our side; its response arrives over HTTP/2.
    /// </summary>
    public void AdoptUpgradedStream(int streamId)
    {
        ApplyUpgradeSettings();
        var stream = CreateStream(streamId);
        stream.State = Http2StreamState.HalfClosedLocal;
        _nextLocalStreamId = Math.Max(_nextLocalStreamId, streamId + 2);
    }

    /// <summary>Sends a request's or response's field block; trailers wait behind queued body data.</summary>
    public void SendHeaders(int streamId, IReadOnlyList<HeaderField> fields, bool endStream, Http2HeadersOptions? options = null)
    {
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            if (GetStreamState(streamId) != Http2StreamState.Idle)
            {
                throw new InvalidOperationException($"stream {streamId} is closed");
            }

            stream = CreateStream(streamId);
        }

        if (Role == Http2Role.Client && stream.RequestMethod is null)
        {
            stream.RequestMethod = MethodOf(fields);
        }

        if (stream.SendQueue.Count > 0 || stream.EndStreamQueued)
        {
            if (!endStream)
            {
                throw new InvalidOperationException("only trailers (with END_STREAM) may follow queued body data");
            }

            stream.QueuedTrailers = fields;
            _queuedSends++;
            return;
        }

        WriteHeaderBlock(stream, fields, endStream, options ?? new Http2HeadersOptions());
        ForgetIfClosed(stream);
    }

    /// <summary>Queues body data; it leaves in DATA frames as flow control allows, on <see cref="Transmit"/>.</summary>
    public void SendData(int streamId, ReadOnlyMemory<byte> data, bool endStream)
    {
        if (!_streams.TryGetValue(streamId, out var stream) || !Http2StreamStateMachine.CanSendData(stream.State) || stream.EndStreamQueued)
        {
            throw new InvalidOperationException($"stream {streamId} is not open for sending");
        }

        if (!data.IsEmpty)
        {
            stream.SendQueue.Enqueue(data);
            stream.QueuedBytes += data.Length;
        }

        stream.EndStreamQueued |= endStream;
        _queuedSends++;
    }

    /// <summary>Body bytes of a stream still waiting for window; drivers feed more when this runs low.</summary>
    public long GetQueuedBytes(int streamId) => _streams.TryGetValue(streamId, out var stream) ? stream.QueuedBytes : 0;

    public void ResetStream(int streamId, Http2ErrorCode code)
    {
        WriteFrame(new RstStreamFrame(streamId, (uint)code));
        NoteResetByUs(streamId);
        if (_streams.TryGetValue(streamId, out var stream))
        {
            ClearSendQueue(stream);
            stream.State = Http2StreamState.Closed;
            ForgetIfClosed(stream);
        }
    }

    public void SendPing(ulong opaqueData) => WriteFrame(new PingFrame(false, opaqueData));

    /// <summary>Sends a SETTINGS frame; values that change our receive side take effect when the peer acknowledges it.</summary>
    public void SendSettings(IReadOnlyList<Http2Setting> settings) => WriteFrame(new SettingsFrame(false, settings));

    public void SendWindowUpdate(int streamId, int increment)
    {
        if (streamId == 0)
        {
            _connectionReceiveWindow += increment;
        }
        else if (_streams.TryGetValue(streamId, out var stream))
        {
            stream.ReceiveWindow += increment;
        }

        WriteFrame(new WindowUpdateFrame(streamId, increment));
    }

    /// <summary>Starts a graceful (NO_ERROR) or error shutdown; new streams are refused afterwards.</summary>
    public void SendGoAway(Http2ErrorCode code, string debugData = "", int? lastStreamId = null)
    {
        GoAwaySent = true;
        WriteFrame(new GoAwayFrame(lastStreamId ?? _highestPeerStreamId, (uint)code, System.Text.Encoding.UTF8.GetBytes(debugData)));
    }

    /// <summary>Writes any frame exactly as given, bypassing every rule: the REPL's way to test peers.</summary>
    /// <remarks>Stream states follow the frame only where that is unambiguous (HEADERS opening a stream).</remarks>
    public void SendRawFrame(Http2Frame frame)
    {
        if (frame is HeadersFrame headers && GetStreamState(headers.StreamId) == Http2StreamState.Idle && IsLocal(headers.StreamId))
        {
            var stream = CreateStream(headers.StreamId);
            stream.State = headers.EndStream ? Http2StreamState.HalfClosedLocal : Http2StreamState.Open;
            _nextLocalStreamId = Math.Max(_nextLocalStreamId, headers.StreamId + 2);
        }

        WriteFrame(frame);
    }

    /// <summary>Encodes a field block with this connection's HPACK encoder, for frames built by hand.</summary>
    public ReadOnlyMemory<byte> EncodeHeaderBlock(IReadOnlyList<HeaderField> fields, int streamId)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var trace = _traceHpack ? new List<HpackFieldTrace>() : null;
        _encoder.Encode(fields, buffer, trace);
        _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Hpack, buffer.WrittenMemory,
            new Http2HeaderBlock(streamId, fields, trace, _encoder.Table.Size, _encoder.Table.Count)));
        return buffer.WrittenMemory;
    }

    private void WriteHeaderBlock(Http2Stream stream, IReadOnlyList<HeaderField> fields, bool endStream, Http2HeadersOptions options)
    {
        stream.State = Http2StreamStateMachine.Send(stream.State, Http2StreamInput.SendHeaders);
        if (endStream)
        {
            stream.State = Http2StreamStateMachine.Send(stream.State, Http2StreamInput.SendEndStream);
        }

        var buffer = new ArrayBufferWriter<byte>();
        var trace = _traceHpack ? new List<HpackFieldTrace>() : null;
        _encoder.Encode(fields, buffer, trace);
        var block = buffer.WrittenMemory;

        var overhead = (options.PadLength is { } pad ? pad + 1 : 0) + (options.Priority is null ? 0 : 5);
        var maxFragment = Math.Max(1, options.MaxFragmentSize ?? PeerSettings.MaxFrameSize);
        var first = Math.Min(block.Length, Math.Max(1, Math.Min(maxFragment, PeerSettings.MaxFrameSize - overhead)));
        WriteFrame(new HeadersFrame(stream.Id, block[..first], endStream, first == block.Length, options.Priority, options.PadLength));
        for (var offset = first; offset < block.Length;)
        {
            var size = Math.Min(Math.Min(maxFragment, PeerSettings.MaxFrameSize), block.Length - offset);
            WriteFrame(new ContinuationFrame(stream.Id, block.Slice(offset, size), offset + size == block.Length));
            offset += size;
        }

        _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Hpack, block,
            new Http2HeaderBlock(stream.Id, fields, trace, _encoder.Table.Size, _encoder.Table.Count)));
    }

    private static void ClearSendQueue(Http2Stream stream)
    {
        stream.SendQueue.Clear();
        stream.HeadOffset = 0;
        stream.QueuedBytes = 0;
        stream.EndStreamQueued = false;
        stream.QueuedTrailers = null;
    }
}
