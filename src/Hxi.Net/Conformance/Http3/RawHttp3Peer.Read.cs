using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Net.Conformance.Http3;

public sealed partial class RawHttp3Peer
{
    // Everything below runs on the driver thread, which owns the QUIC core.
    private readonly Dictionary<long, InboundStream> _inbound = [];
    private readonly Queue<QuicEvent> _early = new();
    private readonly byte[] _readBuffer = new byte[64 * 1024];

    // We advertise no dynamic table (the default SETTINGS_QPACK_MAX_TABLE_CAPACITY of 0): a conforming server's
    // field sections decode with the static table alone.
    private readonly QpackDecoder _decoder = new(maxTableCapacity: 0, maxBlockedStreams: 0);
    private QuicConnection? _core;
    private bool _closed;
    private Http3Frame? _serverFirstControlFrame;
    private long _serverEncoderBytes;

    /// <summary>The first frame on the server's control stream (RFC 9114 Section 6.2.1: it must be SETTINGS).</summary>
    public Http3Frame? ServerFirstControlFrame => Volatile.Read(ref _serverFirstControlFrame);

    /// <summary>How many bytes of instructions the server's QPACK encoder stream carried so far.</summary>
    public long ServerEncoderBytes => Interlocked.Read(ref _serverEncoderBytes);

    /// <summary>One of the server's streams as read so far.</summary>
    private sealed class InboundStream(long id)
    {
        public long Id { get; } = id;

        public bool IsUnidirectional => (Id & 0x2) != 0;

        /// <summary>The stream type of a unidirectional stream once its first varint is in (and a push stream's push id).</summary>
        public long? Type { get; set; }

        public List<byte> Preamble { get; } = [];

        public Http3FrameReader Reader { get; } = new(1024 * 1024);

        /// <summary>A frame did not parse: the rest of the stream is not read as frames.</summary>
        public bool Broken { get; set; }

        public bool Ended { get; set; }

        public bool Framed => !IsUnidirectional || Type is Http3StreamType.Control or Http3StreamType.Push;
    }

    private void Attach(QuicConnection core)
    {
        _core = core;
        ServerTransportParameters = core.PeerParameters;
        // The server's control stream may have come in with the handshake, before anyone listened.
        foreach (var id in core.ReadableStreams())
        {
            ReadStream(id);
        }

        while (_early.TryDequeue(out var e))
        {
            Handle(e);
        }
    }

    private void OnQuicEvent(QuicEvent e)
    {
        if (_core is null)
        {
            _early.Enqueue(e);
            return;
        }

        Handle(e);
    }

    private void Handle(QuicEvent e)
    {
        switch (e)
        {
            case QuicStreamReadable readable:
                ReadStream(readable.StreamId);
                break;
            case QuicStreamResetReceived reset:
                _context.Record(new Http3StreamEvidence(false, reset.StreamId, $"RESET_STREAM stream {reset.StreamId} with {Http3ErrorCodes.Name(reset.ErrorCode)}"));
                Observe(new Http3Observation(Http3SeenKind.StreamReset, reset.StreamId, Code: reset.ErrorCode));
                break;
            case QuicStopSendingReceived stop:
                _context.Record(new Http3StreamEvidence(false, stop.StreamId, $"STOP_SENDING stream {stop.StreamId} with {Http3ErrorCodes.Name(stop.ErrorCode)}"));
                Observe(new Http3Observation(Http3SeenKind.StopSending, stop.StreamId, Code: stop.ErrorCode));
                break;
            case QuicConnectionClosed closed when !_closed:
                _closed = true;
                _context.Record(new NoteEvidence(Describe(closed)));
                Observe(new Http3Observation(Http3SeenKind.Closed, -1, Close: closed));
                _inbox.Writer.TryComplete();
                _serverSettings.TrySetException(new CaseSetupException($"setup: {Describe(closed)}"));
                break;
        }
    }

    /// <summary>A close in the words of a report: who closed, and with which HTTP/3 or QUIC code.</summary>
    internal static string Describe(QuicConnectionClosed closed)
    {
        if (!closed.ByPeer)
        {
            return $"the connection ended on our side ({closed.Describe()})";
        }

        var reason = closed.Reason.Length > 0 ? $" (\"{closed.Reason}\")" : "";
        return closed.IsApplicationError
            ? $"the server closed the connection: CONNECTION_CLOSE {Http3ErrorCodes.Name(closed.ErrorCode)}{reason}"
            : $"the server closed the connection with a transport error: CONNECTION_CLOSE {Hxi.Protocols.Quic.QuicTransportErrorCodes.Name(closed.ErrorCode)}{reason}";
    }

    private void ReadStream(long streamId)
    {
        if (!_inbound.TryGetValue(streamId, out var stream))
        {
            _inbound[streamId] = stream = new InboundStream(streamId);
        }

        while (true)
        {
            var read = _core!.ReadStream(streamId, _readBuffer, out var finished);
            if (read == 0 && !finished)
            {
                return;
            }

            Feed(stream, _readBuffer.AsSpan(0, read));
            if (finished)
            {
                if (!stream.Ended)
                {
                    stream.Ended = true;
                    _context.Record(new Http3StreamEvidence(false, streamId, $"FIN on stream {streamId}"));
                    Observe(new Http3Observation(Http3SeenKind.StreamEnded, streamId));
                }

                return;
            }
        }
    }

    private void Feed(InboundStream stream, ReadOnlySpan<byte> bytes)
    {
        if (stream.IsUnidirectional && stream.Type is null)
        {
            bytes = ReadPreamble(stream, bytes);
            if (stream.Type is null)
            {
                return;
            }
        }

        if (bytes.IsEmpty || stream.Broken)
        {
            return;
        }

        if (!stream.Framed)
        {
            var kind = stream.Type switch
            {
                Http3StreamType.QpackEncoder => "QPACK encoder instructions",
                Http3StreamType.QpackDecoder => "QPACK decoder instructions",
                _ => "stream data",
            };
            _context.Record(new Http3StreamEvidence(false, stream.Id, $"{bytes.Length} bytes of {kind} on stream {stream.Id}: {Hex(bytes)}"));
            if (stream.Type == Http3StreamType.QpackEncoder)
            {
                Interlocked.Add(ref _serverEncoderBytes, bytes.Length);
            }

            Observe(new Http3Observation(Http3SeenKind.StreamBytes, stream.Id, Code: (ulong)bytes.Length));
            return;
        }

        ReadFrames(stream, bytes);
    }

    /// <summary>The stream type varint (and a push stream's push id) that opens a unidirectional stream.</summary>
    private ReadOnlySpan<byte> ReadPreamble(InboundStream stream, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty && stream.Type is null)
        {
            stream.Preamble.Add(bytes[0]);
            bytes = bytes[1..];
            var preamble = stream.Preamble.ToArray();
            if (!QuicVarint.TryRead(preamble, out var type, out var typeLength))
            {
                continue;
            }

            if ((long)type == Http3StreamType.Push && !QuicVarint.TryRead(preamble.AsSpan(typeLength), out _, out _))
            {
                continue;
            }

            stream.Type = (long)type;
            _context.Record(new Http3StreamEvidence(false, stream.Id, $"the server opened stream {stream.Id} as {Http3StreamType.Name((long)type)} (type 0x{type:x})"));
        }

        return bytes;
    }

    private void ReadFrames(InboundStream stream, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            Http3ReadStatus status;
            Http3Frame? frame;
            try
            {
                status = stream.Reader.Read(ref bytes, out frame, out _);
            }
            catch (Http3ConnectionException ex) when (ex.Code == Http3ErrorCode.ExcessiveLoad)
            {
                stream.Broken = true;
                _context.Record(new NoteEvidence($"the server's frame on stream {stream.Id} is too large to read: {ex.Message}"));
                return;
            }
            catch (Http3ConnectionException)
            {
                // The frame was read whole but its payload breaks its type's rules: keep it as sent, judged by the cases.
                status = Http3ReadStatus.Frame;
                frame = null;
            }

            switch (status)
            {
                case Http3ReadStatus.DataHeader:
                    Received(stream, new DataFrame(ReadOnlyMemory<byte>.Empty), stream.Reader.DataLength);
                    break;
                case Http3ReadStatus.Frame:
                    var raw = stream.Reader.LastFrameBytes;
                    QuicVarint.TryRead(raw, out var type, out var typeLength);
                    QuicVarint.TryRead(raw[typeLength..], out var length, out var lengthLength);
                    var payload = raw[(typeLength + lengthLength)..];
                    Received(stream, frame is null or SettingsFrame ? Decode((long)type, payload) : frame, (long)length);
                    break;
            }
        }
    }

    private void Received(InboundStream stream, Http3Frame frame, long length)
    {
        IReadOnlyList<HeaderField>? fields = null;
        if (frame is HeadersFrame headers)
        {
            fields = DecodeFields(stream.Id, headers.FieldSection.Span);
        }

        _context.Record(new Http3FrameEvidence(false, new Http3FrameTrace(stream.Id, frame, length), fields));
        if (stream.Type == Http3StreamType.Control)
        {
            if (Interlocked.CompareExchange(ref _serverFirstControlFrame, frame, null) is null && frame is not SettingsFrame)
            {
                _context.Record(new NoteEvidence($"the server's control stream opens with {frame.TypeName}, not SETTINGS"));
            }

            if (frame is SettingsFrame settings)
            {
                _serverSettings.TrySetResult(settings);
            }
        }

        Observe(new Http3Observation(Http3SeenKind.Frame, stream.Id, frame, fields));
    }

    private List<HeaderField>? DecodeFields(long streamId, ReadOnlySpan<byte> section)
    {
        try
        {
            return _decoder.TryDecode(streamId, section, out var decoded) ? [.. decoded!.Fields] : null;
        }
        catch (QpackException ex)
        {
            _context.Record(new NoteEvidence($"the server's field section on stream {streamId} does not decode with no dynamic table: {ex.Message}"));
            return null;
        }
    }

    private void Observe(Http3Observation seen) => _inbox.Writer.TryWrite(seen);
}
