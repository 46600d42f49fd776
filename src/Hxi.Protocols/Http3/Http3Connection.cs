using System.Buffers;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http3;

/// <summary>
/// An HTTP/3 connection (RFC 9114) as a sans-IO state machine over abstract QUIC streams: stream bytes in through
/// <see cref="ReceiveStreamData"/>, facts out through <see cref="TryPollEvent"/>, stream bytes and commands out
/// through <see cref="TryPollStreamWrite"/>. The QUIC layer carries the writes and supplies stream ids.
/// </summary>
/// <remarks>
/// Split by concern: <c>.Send.cs</c> local commands, <c>.Receive.cs</c> request and push streams,
/// <c>.Control.cs</c> unidirectional and control streams, <c>.Qpack.cs</c> the QPACK streams and blocked sections,
/// <c>.Errors.cs</c> the RFC's reactions to a misbehaving peer.
/// </remarks>
public sealed partial class Http3Connection
{
    private readonly Http3ConnectionOptions _options;
    private readonly IWireTap _tap;
    private readonly bool _tracing;
    private readonly Func<bool, long> _allocateStreamId;
    private readonly QpackEncoder _encoder;
    private readonly QpackDecoder _decoder;
    private readonly Dictionary<long, Http3ReceiveStream> _streams = [];
    private readonly Queue<HttpEvent> _events = new();
    private readonly Queue<Http3StreamWrite> _writes = new();

    // Streams whose sending half ended by RESET_STREAM (the peer's STOP_SENDING or our reset): later writes are moot.
    private readonly HashSet<long> _sendStopped = [];
    private long _nextBidi;
    private long _nextUni;

    /// <param name="role">Client or server.</param>
    /// <param name="options">Our settings.</param>
    /// <param name="tap">Receives every frame, stream type and QPACK section or instruction.</param>
    /// <param name="allocateStreamId">
    /// Gives the id of a new locally opened stream (true: bidirectional); the QUIC layer passes its own allocator.
    /// Without one, ids follow RFC 9000 Section 2.1 numbering from zero.
    /// </param>
    public Http3Connection(Http3Role role, Http3ConnectionOptions? options = null, IWireTap? tap = null, Func<bool, long>? allocateStreamId = null)
    {
        Role = role;
        _options = options ?? new Http3ConnectionOptions();
        MalformedMessages = _options.MalformedMessages;
        _tap = tap ?? NullWireTap.Instance;
        _tracing = _tap is not NullWireTap;
        _encoder = new QpackEncoder(_options.QpackEncoderCapacity) { TraceEnabled = _tracing };
        _decoder = new QpackDecoder(_options.QpackMaxTableCapacity, _options.QpackBlockedStreams) { TraceEnabled = _tracing };
        int parity = role == Http3Role.Client ? 0 : 1;
        _nextBidi = parity;
        _nextUni = parity | 2;
        _allocateStreamId = allocateStreamId ?? DefaultAllocate;
    }

    public Http3Role Role { get; }

    public Http3ConnectionOptions Options => _options;

    /// <summary>The peer's SETTINGS, once received.</summary>
    public SettingsFrame? PeerSettings { get; private set; }

    public long ControlStreamId { get; private set; } = -1;

    public long EncoderStreamId { get; private set; } = -1;

    public long DecoderStreamId { get; private set; } = -1;

    /// <summary>The id from the peer's last GOAWAY, or null.</summary>
    public long? GoAwayId { get; private set; }

    /// <summary>Set after a connection error: no more input is processed.</summary>
    public bool IsFailed { get; private set; }

    /// <summary>The QPACK encoder (our requests or responses) and its dynamic table, for the --qpack view.</summary>
    public QpackEncoder Encoder => _encoder;

    /// <summary>The QPACK decoder (the peer's field sections) and its dynamic table, for the --qpack view.</summary>
    public QpackDecoder Decoder => _decoder;

    public bool TryPollEvent(out HttpEvent e) => _events.TryDequeue(out e!);

    /// <summary>The next thing the transport must do: bytes on a stream, a reset, a stop-sending or a close.</summary>
    public bool TryPollStreamWrite(out Http3StreamWrite write) => _writes.TryDequeue(out write!);

    /// <summary>Whether stream writes are waiting.</summary>
    public bool HasPendingWrites => _writes.Count > 0;

    /// <summary>
    /// Opens what this endpoint sends first (Section 6.2): the control stream with SETTINGS, then the QPACK encoder
    /// and decoder streams; MAX_PUSH_ID when a client accepts push; GREASE when asked.
    /// </summary>
    public void Start()
    {
        if (ControlStreamId >= 0)
        {
            throw new InvalidOperationException("The connection has already started.");
        }

        ControlStreamId = OpenUniStream(Http3StreamType.Control);
        SendFrame(ControlStreamId, new SettingsFrame(BuildSettings()));
        if (Role == Http3Role.Client && _options.MaxPushId is long maxPushId)
        {
            SendFrame(ControlStreamId, new MaxPushIdFrame(maxPushId));
        }

        if (_options.SendGrease)
        {
            SendFrame(ControlStreamId, new UnknownFrame((long)Http3Reserved.ForN(7), "grease"u8.ToArray()));
            long grease = OpenUniStream((long)Http3Reserved.ForN(3));
            SendStreamBytes(grease, "ignore me"u8, fin: true);
        }

        EncoderStreamId = OpenUniStream(Http3StreamType.QpackEncoder);
        DecoderStreamId = OpenUniStream(Http3StreamType.QpackDecoder);

        // A server answering 0-RTT may have encoded sections (and acknowledged the client's) before it started:
        // those instructions waited for these streams, and a section that refers to them would block without them.
        FlushEncoderStream();
        FlushDecoderStream();
    }

    private List<Http3Setting> BuildSettings()
    {
        var settings = new List<Http3Setting>
        {
            new(Http3SettingId.QpackMaxTableCapacity, _options.QpackMaxTableCapacity),
            new(Http3SettingId.QpackBlockedStreams, _options.QpackBlockedStreams),
        };
        if (_options.MaxFieldSectionSize is long maxFieldSectionSize)
        {
            settings.Add(new(Http3SettingId.MaxFieldSectionSize, maxFieldSectionSize));
        }

        if (_options.EnableConnectProtocol)
        {
            settings.Add(new(Http3SettingId.EnableConnectProtocol, 1));
        }

        if (_options.EnableDatagrams)
        {
            settings.Add(new(Http3SettingId.H3Datagram, 1));
        }

        if (_options.SendGrease)
        {
            settings.Add(new((long)Http3Reserved.ForN(5), 42));
        }

        settings.AddRange(_options.ExtraSettings);
        return settings;
    }

    private long DefaultAllocate(bool bidirectional)
    {
        long id = bidirectional ? _nextBidi : _nextUni;
        if (bidirectional)
        {
            _nextBidi += 4;
        }
        else
        {
            _nextUni += 4;
        }

        return id;
    }

    private bool IsLocallyInitiated(long streamId) => (streamId & 1) == (Role == Http3Role.Client ? 0 : 1);

    private static bool IsBidirectional(long streamId) => (streamId & 2) == 0;

    private void Emit(HttpEvent e) => _events.Enqueue(e);

    private void Write(long streamId, ReadOnlySpan<byte> data, bool fin)
    {
        if (!_sendStopped.Contains(streamId))
        {
            _writes.Enqueue(new StreamDataWrite(streamId, data.ToArray(), fin));
        }
    }

    private void Trace(WireDirection direction, WireLayer layer, ReadOnlySpan<byte> bytes, object decoded)
    {
        if (_tracing)
        {
            _tap.Record(new WireRecord(direction, layer, bytes.ToArray(), decoded));
        }
    }
}
