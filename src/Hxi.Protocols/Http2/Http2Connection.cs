using System.Buffers;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http2;

/// <summary>
/// An HTTP/2 connection (RFC 9113) as a sans-IO state machine: bytes in through
/// <see cref="Receive"/>, facts out through <see cref="TryPollEvent"/>, bytes out through
/// <see cref="Transmit"/>. It never touches a socket, a clock or a thread.
/// </summary>
/// <remarks>
/// Split by concern: <c>.Receive.cs</c> parses and applies frames, <c>.Send.cs</c> holds the
/// local commands, <c>.Flow.cs</c> flow control and the data scheduler, <c>.Errors.cs</c> the
/// RFC's reactions to a misbehaving peer.
/// </remarks>
public sealed partial class Http2Connection
{
    private const int DefaultWindow = 65_535;
    private const int MaxWindow = int.MaxValue;

    private readonly Http2ConnectionOptions _options;
    private readonly IWireTap _tap;
    private readonly bool _traceHpack;
    private readonly HpackEncoder _encoder;
    private readonly HpackDecoder _decoder;
    private readonly Dictionary<int, Http2Stream> _streams = [];
    private readonly Queue<HttpEvent> _events = new();
    private readonly ArrayBufferWriter<byte> _pending = new(64 * 1024);

    private int _nextLocalStreamId;
    private int _highestPeerStreamId;
    private int _highestLocalStreamId;

    public Http2Connection(Http2ConnectionOptions options, IWireTap? tap = null)
    {
        _options = options;
        _tap = tap ?? NullWireTap.Instance;
        _traceHpack = _tap is not NullWireTap;
        _encoder = new HpackEncoder();
        // Our SETTINGS hold only once acknowledged: until then the peer may use the defaults.
        LocalSettings = new Http2LocalSettings { MaxHeaderListSize = options.MaxHeaderListSize };
        _decoder = new HpackDecoder(LocalSettings.HeaderTableSize, LocalSettings.MaxHeaderListSize);
        _nextLocalStreamId = options.Role == Http2Role.Client ? 1 : 2;
        _connectionReceiveWindow = DefaultWindow;
        MalformedMessages = options.MalformedMessages;
    }

    /// <summary>Reject malformed messages (the RFC) or only report them; the REPL's <c>strict</c> setting changes it live.</summary>
    public MalformedMessagePolicy MalformedMessages { get; set; }

    public Http2Role Role => _options.Role;

    /// <summary>What this endpoint was configured with and announces in its first SETTINGS.</summary>
    public Http2ConnectionOptions Options => _options;

    public Http2PeerSettings PeerSettings { get; } = new();

    /// <summary>True once a GOAWAY was sent or received, or a connection error happened.</summary>
    public bool IsGoingAway => GoAwaySent || GoAwayReceivedFrom is not null;

    public bool GoAwaySent { get; private set; }

    public GoAwayFrame? GoAwayReceivedFrom { get; private set; }

    /// <summary>Set after a connection error: no more input is processed.</summary>
    public bool IsFailed { get; private set; }

    /// <summary>Streams open or half-closed that this endpoint initiated.</summary>
    public int ActiveLocalStreams => _streams.Values.Count(s => IsLocal(s.Id) && s.State != Http2StreamState.Closed);

    /// <summary>Whether the peer's MAX_CONCURRENT_STREAMS and GOAWAY leave room for another stream.</summary>
    public bool CanOpenStream => !IsGoingAway && ActiveLocalStreams < PeerSettings.MaxConcurrentStreams;

    public IHpackView Hpack => new HpackView(_encoder.Table, _decoder.Table);

    /// <summary>Whether <see cref="Transmit"/> would write anything now; cheap enough to ask after every read.</summary>
    public bool HasPendingOutput => _pending.WrittenCount > 0 || (_queuedSends > 0 && AnyStreamCanFlush());

    private bool AnyStreamCanFlush()
    {
        foreach (var stream in _streams.Values)
        {
            if (stream.HasPendingSend && CanFlush(stream))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Queues what this endpoint says first: the client preface, SETTINGS and a connection WINDOW_UPDATE.</summary>
    public void Start()
    {
        if (Role == Http2Role.Client)
        {
            _pending.Write(Http2Preface.Bytes);
            _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Http2, Http2Preface.Bytes.ToArray(), Http2Preface.Instance));
        }
        else
        {
            _awaitingPreface = true;
        }

        WriteFrame(new SettingsFrame(false, _options.ToSettings()));
        if (_options.ConnectionWindowSize > DefaultWindow)
        {
            var increment = _options.ConnectionWindowSize - DefaultWindow;
            _connectionReceiveWindow += increment;
            WriteFrame(new WindowUpdateFrame(0, increment));
        }
    }

    public bool TryPollEvent(out HttpEvent e) => _events.TryDequeue(out e!);

    /// <summary>Moves every byte that may be sent now into <paramref name="output"/>; returns how many.</summary>
    public int Transmit(IBufferWriter<byte> output)
    {
        FlushStreams();
        var count = _pending.WrittenCount;
        if (count > 0)
        {
            output.Write(_pending.WrittenSpan);
            _pending.ResetWrittenCount();
        }

        return count;
    }

    public Http2StreamState GetStreamState(int streamId)
    {
        if (_streams.TryGetValue(streamId, out var stream))
        {
            return stream.State;
        }

        var highest = IsLocal(streamId) ? _highestLocalStreamId : _highestPeerStreamId;
        return streamId <= highest ? Http2StreamState.Closed : Http2StreamState.Idle;
    }

    private bool IsLocal(int streamId) => (streamId & 1) == (Role == Http2Role.Client ? 1 : 0);

    private void Emit(HttpEvent e) => _events.Enqueue(e);

    /// <summary>Writes one frame to the pending output and shows it on the tap.</summary>
    private void WriteFrame(Http2Frame frame)
    {
        var start = _pending.WrittenCount;
        Http2FrameWriter.Write(frame, _pending);
        if (frame is SettingsFrame settings)
        {
            NoteSettingsSent(settings);
        }

        _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Http2, _pending.WrittenMemory[start..], frame));
    }

    private void ForgetIfClosed(Http2Stream stream)
    {
        if (stream.State == Http2StreamState.Closed && !stream.HasPendingSend)
        {
            _streams.Remove(stream.Id);
        }
    }

    private Http2Stream CreateStream(int id)
    {
        var stream = new Http2Stream(id, PeerSettings.InitialWindowSize, LocalSettings.InitialWindowSize);
        _streams[id] = stream;
        if (IsLocal(id))
        {
            _highestLocalStreamId = Math.Max(_highestLocalStreamId, id);
        }
        else
        {
            _highestPeerStreamId = Math.Max(_highestPeerStreamId, id);
        }

        return stream;
    }
}

/// <summary>Read-only view of both HPACK dynamic tables, for the REPL and the --hpack view.</summary>
public interface IHpackView
{
    HpackDynamicTable EncoderTable { get; }

    HpackDynamicTable DecoderTable { get; }
}

internal sealed record HpackView(HpackDynamicTable EncoderTable, HpackDynamicTable DecoderTable) : IHpackView;
