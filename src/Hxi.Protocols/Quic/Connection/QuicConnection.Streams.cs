using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Streams;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial class QuicConnection
{
    private readonly Dictionary<long, QuicStream> _streams = [];
    private readonly Queue<QuicFrame> _pendingControl = new();
    private readonly SendCredit _connectionSendCredit = new(0);
    private readonly ReceiveCredit _connectionReceiveCredit;
    private long _connectionHighestReceived;
    private long _localMaxStreamsBidi;
    private long _localMaxStreamsUni;
    private long _peerMaxStreamsBidi;
    private long _peerMaxStreamsUni;
    private long _openedBidi;
    private long _openedUni;
    private long _peerOpenedBidi;
    private long _peerOpenedUni;
    private long _closedPeerBidi;
    private long _closedPeerUni;

    /// <summary>Whether the peer's MAX_STREAMS lets us open another stream of this kind.</summary>
    public bool CanOpenStream(bool bidirectional) =>
        (IsHandshakeComplete || IsSendingEarlyData) && (bidirectional ? _openedBidi < _peerMaxStreamsBidi : _openedUni < _peerMaxStreamsUni);

    /// <summary>Opens a stream of ours; the id follows RFC 9000 Section 2.1 (client bidi 0, 4, 8; client uni 2, 6...).</summary>
    public long OpenStream(bool bidirectional)
    {
        if (!CanOpenStream(bidirectional))
        {
            throw new InvalidOperationException(IsHandshakeComplete
                ? $"the peer allows {(bidirectional ? _peerMaxStreamsBidi : _peerMaxStreamsUni)} {(bidirectional ? "bidirectional" : "unidirectional")} streams (MAX_STREAMS)"
                : "the handshake is not complete");
        }

        var index = bidirectional ? _openedBidi++ : _openedUni++;
        var id = (index << 2) | (bidirectional ? 0L : 2L) | (Role == QuicRole.Server ? 1L : 0L);
        var stream = new QuicStream(id, canSend: true, canReceive: bidirectional, InitialSendLimit(id), _options.InitialMaxStreamData);
        _streams[id] = stream;
        return id;
    }

    /// <summary>Streams with bytes (or their end) waiting to be read: for an application that starts listening late.</summary>
    public IReadOnlyList<long> ReadableStreams() =>
        _streams.Values.Where(s => s.CanReceive && (s.Receive.ReadableBytes > 0 || (s.Receive.IsComplete && !s.ResetReceived))).Select(s => s.Id).ToList();

    public void WriteStream(long streamId, ReadOnlySpan<byte> data, bool fin)
    {
        var stream = GetStream(streamId);
        if (!stream.CanSend || stream.ResetSent is not null)
        {
            throw new InvalidOperationException($"stream {streamId} cannot be written");
        }

        stream.Send.Write(data, fin);
    }

    /// <summary>Whether the stream is open: one whose halves are both finished (read to the end, or reset) is forgotten.</summary>
    public bool IsStreamOpen(long streamId) => _streams.ContainsKey(streamId);

    /// <summary>Bytes written but not yet acknowledged: a driver feeds more when this runs low.</summary>
    public long GetBufferedBytes(long streamId) => _streams.TryGetValue(streamId, out var stream) ? stream.Send.BufferedBytes : 0;

    /// <summary>Reads what has arrived in order; <paramref name="finished"/> is true once the last byte is read.</summary>
    public int ReadStream(long streamId, Span<byte> destination, out bool finished)
    {
        finished = false;
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            return 0;
        }

        var read = stream.Receive.Read(destination);
        finished = stream.Receive.IsComplete;
        if (read > 0)
        {
            if (stream.ReceiveCredit.OnConsumed(read) is { } streamLimit && !finished)
            {
                _pendingControl.Enqueue(new MaxStreamDataFrame((ulong)streamId, (ulong)streamLimit));
            }

            if (_connectionReceiveCredit.OnConsumed(read) is { } connectionLimit)
            {
                _pendingControl.Enqueue(new MaxDataFrame((ulong)connectionLimit));
            }
        }

        if (finished)
        {
            ForgetIfDone(stream);
        }

        return read;
    }

    /// <summary>RESET_STREAM: abandon our sending half with an application error code.</summary>
    public void ResetStream(long streamId, ulong errorCode)
    {
        var stream = GetStream(streamId);
        if (stream.ResetSent is not null || !stream.CanSend)
        {
            return;
        }

        var finalSize = stream.Send.NextNewOffset;
        stream.ResetSent = (errorCode, finalSize);
        _pendingControl.Enqueue(new ResetStreamFrame((ulong)streamId, errorCode, (ulong)finalSize));
    }

    /// <summary>STOP_SENDING: ask the peer to stop its sending half.</summary>
    public void StopSending(long streamId, ulong errorCode)
    {
        var stream = GetStream(streamId);
        if (!stream.CanReceive || stream.StopSendingSent)
        {
            return;
        }

        stream.StopSendingSent = true;
        _pendingControl.Enqueue(new StopSendingFrame((ulong)streamId, errorCode));
    }

    /// <summary>Sends a frame exactly as given in the next 1-RTT packet: the REPL's way to test peers.</summary>
    public void SendRawFrame(QuicFrame frame)
    {
        // A frame never spans packets: one that cannot fit would wait in the queue forever.
        var room = MinimumInitialDatagram - 64;
        if (frame.GetByteCount() > room)
        {
            throw new InvalidOperationException($"a {frame.GetByteCount()}-byte frame does not fit in one packet (at most {room} bytes)");
        }

        _pendingControl.Enqueue(frame);
    }

    public void SendPing() => _pendingControl.Enqueue(new PingFrame());

    private QuicStream GetStream(long streamId) =>
        _streams.TryGetValue(streamId, out var stream) ? stream : throw new InvalidOperationException($"stream {streamId} is not open");

    private bool IsLocalStream(long id) => QuicStream.IsClientInitiated(id) == (Role == QuicRole.Client);

    private long InitialSendLimit(long id)
    {
        if (_peerParameters is not { } peer)
        {
            return 0;
        }

        var limit = !QuicStream.IsBidirectional(id) ? peer.InitialMaxStreamDataUni
            : IsLocalStream(id) ? peer.InitialMaxStreamDataBidiRemote
            : peer.InitialMaxStreamDataBidiLocal;
        return (long)Math.Min(limit, long.MaxValue);
    }

    /// <summary>The stream a frame names: an existing one, a new peer stream (and all lower ones), or an error.</summary>
    private QuicStream? StreamForFrame(long id, ulong frameType, bool peerSends)
    {
        if (_streams.TryGetValue(id, out var existing))
        {
            if (peerSends && !existing.CanReceive)
            {
                throw new QuicTransportException(QuicTransportErrorCode.StreamStateError, frameType, $"stream {id} is our send-only stream");
            }

            // RFC 9000 Sections 19.5 and 19.10: STOP_SENDING or MAX_STREAM_DATA for a stream we only receive on.
            if (!peerSends && !existing.CanSend)
            {
                throw new QuicTransportException(QuicTransportErrorCode.StreamStateError, frameType, $"stream {id} is the peer's send-only stream");
            }

            return existing;
        }

        var bidirectional = QuicStream.IsBidirectional(id);
        var index = id >> 2;
        if (IsLocalStream(id))
        {
            if (index >= (bidirectional ? _openedBidi : _openedUni))
            {
                throw new QuicTransportException(QuicTransportErrorCode.StreamStateError, frameType, $"stream {id} was never opened by this endpoint");
            }

            if (peerSends && !bidirectional)
            {
                throw new QuicTransportException(QuicTransportErrorCode.StreamStateError, frameType, $"stream {id} is our send-only stream");
            }

            return null; // closed already
        }

        if (!peerSends && !bidirectional)
        {
            throw new QuicTransportException(QuicTransportErrorCode.StreamStateError, frameType, $"stream {id} is the peer's send-only stream");
        }

        var limit = bidirectional ? _localMaxStreamsBidi : _localMaxStreamsUni;
        if (index >= limit)
        {
            throw new QuicTransportException(QuicTransportErrorCode.StreamLimitError, frameType, $"stream {id} is beyond the {limit} streams we allowed");
        }

        ref var opened = ref bidirectional ? ref _peerOpenedBidi : ref _peerOpenedUni;
        if (index < opened)
        {
            return null; // closed already
        }

        // Opening a stream opens every lower-numbered stream of the same type (RFC 9000 Section 3.2).
        QuicStream? stream = null;
        for (var i = opened; i <= index; i++)
        {
            var newId = (i << 2) | (id & 0x3);
            stream = new QuicStream(newId, canSend: bidirectional, canReceive: true, InitialSendLimit(newId), _options.InitialMaxStreamData);
            _streams[newId] = stream;
            Emit(new QuicStreamOpened(newId));
        }

        opened = index + 1;
        return stream;
    }

    private void ApplyStream(StreamFrame frame) => ApplyStream(frame.StreamId, frame.Offset, frame.Data.Span, frame.Fin);

    /// <summary>A STREAM frame's fields, from a decoded <see cref="StreamFrame"/> or read in place from the packet.</summary>
    private void ApplyStream(ulong streamId, ulong offset, ReadOnlySpan<byte> data, bool fin)
    {
        const ulong frameType = (ulong)QuicFrameType.Stream;
        var id = (long)streamId;
        var stream = StreamForFrame(id, frameType, peerSends: true);
        var end = (long)offset + data.Length;
        if (end > (1L << 62))
        {
            throw new QuicTransportException(QuicTransportErrorCode.FrameEncodingError, frameType, "stream data beyond 2^62");
        }

        if (stream is null || stream.ResetReceived)
        {
            return;
        }

        var before = stream.Receive.HighestOffset;
        var readableBefore = stream.Receive.ReadableBytes;
        var completeBefore = stream.Receive.IsComplete;
        if (!stream.ReceiveCredit.TryReceive(end))
        {
            throw new QuicTransportException(QuicTransportErrorCode.FlowControlError, frameType,
                $"stream {id} data up to offset {end} exceeds MAX_STREAM_DATA {stream.ReceiveCredit.Limit}");
        }

        try
        {
            stream.Receive.Receive((long)offset, data, fin);
        }
        catch (QuicStreamDataException ex)
        {
            throw new QuicTransportException(QuicTransportErrorCode.FinalSizeError, frameType, $"stream {id}: {ex.Message}");
        }

        ChargeConnection(stream.Receive.HighestOffset - before, frameType);
        // Only news is reported (RFC 9000 Section 2.2: data is delivered once): a retransmitted copy of bytes already
        // here, or of a FIN already read, must not announce the stream's end a second time.
        // One announcement until the application polls it: a burst of packets read at once is one read for it.
        if ((stream.Receive.ReadableBytes > readableBefore || (stream.Receive.IsComplete && !completeBefore)) && !stream.ReadablePending)
        {
            stream.ReadablePending = true;
            Emit(stream.ReadableEvent);
        }
    }

    private void ChargeConnection(long newBytes, ulong frameType)
    {
        _connectionHighestReceived += newBytes;
        if (!_connectionReceiveCredit.TryReceive(_connectionHighestReceived))
        {
            throw new QuicTransportException(QuicTransportErrorCode.FlowControlError, frameType,
                $"connection data {_connectionHighestReceived} exceeds MAX_DATA {_connectionReceiveCredit.Limit}");
        }
    }

    private void ApplyResetStream(ResetStreamFrame frame)
    {
        var id = (long)frame.StreamId;
        var stream = StreamForFrame(id, (ulong)frame.Type, peerSends: true);
        if (stream is null || stream.ResetReceived)
        {
            return;
        }

        var before = stream.Receive.HighestOffset;
        try
        {
            stream.Receive.Reset((long)frame.FinalSize);
        }
        catch (QuicStreamDataException ex)
        {
            throw new QuicTransportException(QuicTransportErrorCode.FinalSizeError, (ulong)frame.Type, $"stream {id}: {ex.Message}");
        }

        if (!stream.ReceiveCredit.TryReceive((long)frame.FinalSize))
        {
            throw new QuicTransportException(QuicTransportErrorCode.FlowControlError, (ulong)frame.Type, $"stream {id} final size exceeds MAX_STREAM_DATA");
        }

        ChargeConnection(stream.Receive.HighestOffset - before, (ulong)frame.Type);
        stream.ResetReceived = true;
        Emit(new QuicStreamResetReceived(id, frame.ApplicationErrorCode, (long)frame.FinalSize));
        ForgetIfDone(stream);
    }

    private void ApplyStopSending(StopSendingFrame frame)
    {
        var id = (long)frame.StreamId;
        var stream = StreamForFrame(id, (ulong)frame.Type, peerSends: false);
        if (stream is null)
        {
            return;
        }

        Emit(new QuicStopSendingReceived(id, frame.ApplicationErrorCode));
        // RFC 9000 Section 3.5: answer STOP_SENDING with RESET_STREAM.
        ResetStream(id, frame.ApplicationErrorCode);
    }

    private void ApplyMaxStreamData(MaxStreamDataFrame frame)
    {
        var stream = StreamForFrame((long)frame.StreamId, (ulong)frame.Type, peerSends: false);
        if (stream is not null && stream.SendCredit.Raise((long)Math.Min(frame.MaximumStreamData, long.MaxValue)))
        {
            Emit(new QuicSendCreditAvailable());
        }
    }

    private void ApplyMaxStreams(MaxStreamsFrame frame)
    {
        var limit = (long)Math.Min(frame.MaximumStreams, 1UL << 60);
        if (frame.Bidirectional ? limit > _peerMaxStreamsBidi : limit > _peerMaxStreamsUni)
        {
            if (frame.Bidirectional)
            {
                _peerMaxStreamsBidi = limit;
            }
            else
            {
                _peerMaxStreamsUni = limit;
            }

            Emit(new QuicSendCreditAvailable());
        }
    }

    /// <summary>A finished peer stream frees a slot: raise MAX_STREAMS so the peer can open another.</summary>
    private void ForgetIfDone(QuicStream stream)
    {
        if (!stream.IsDone || !_streams.Remove(stream.Id))
        {
            return;
        }

        if (IsLocalStream(stream.Id))
        {
            return;
        }

        if (QuicStream.IsBidirectional(stream.Id))
        {
            _closedPeerBidi++;
            _localMaxStreamsBidi = _closedPeerBidi + _options.MaxStreamsBidirectional;
            _pendingControl.Enqueue(new MaxStreamsFrame(true, (ulong)_localMaxStreamsBidi));
        }
        else
        {
            _closedPeerUni++;
            _localMaxStreamsUni = _closedPeerUni + _options.MaxStreamsUnidirectional;
            _pendingControl.Enqueue(new MaxStreamsFrame(false, (ulong)_localMaxStreamsUni));
        }
    }
}
