using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Quic.Streams;
using Hxi.Protocols.Tls;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// A QUIC v1 connection (RFC 9000, 9001, 9002) as a sans-IO state machine: datagrams and time in
/// (<see cref="ReceiveDatagram"/>, <see cref="HandleTimeout"/>), datagrams out (<see cref="WriteDatagram"/>),
/// one timer (<see cref="NextTimeout"/>), facts out (<see cref="TryPollEvent"/>). It never reads a clock.
/// </summary>
/// <remarks>
/// Split by concern: <c>.Receive.cs</c> (packets in), <c>.Frames.cs</c> (what each frame does),
/// <c>.Send.cs</c> (packets out), <c>.Tls.cs</c> (the handshake and keys), <c>.Streams.cs</c> (the
/// application's streams), <c>.ConnectionIds.cs</c> (issuing, retiring and switching connection IDs),
/// <c>.Close.cs</c> (closing, draining, idle).
/// </remarks>
public sealed partial class QuicConnection
{
    private readonly QuicConnectionOptions _options;
    private readonly IWireTap _tap;

    // Trace records are built only when someone watches: on a bulk transfer they are a copy per datagram.
    private readonly bool _tracing;
    private readonly QuicPacketSpace[] _spaces =
    [
        new(QuicPacketNumberSpace.Initial), new(QuicPacketNumberSpace.Handshake), new(QuicPacketNumberSpace.ApplicationData),
    ];

    private readonly Queue<QuicEvent> _events = new();
    private readonly RttEstimator _rtt = new();
    private readonly ICongestionController _congestion;
    private readonly LossDetector _loss;
    private readonly Pacer _pacer;
    private readonly QuicServerBinding? _binding;

    private byte[] _sourceConnectionId;
    private byte[] _destinationConnectionId;
    private byte[] _originalDestinationConnectionId;
    private byte[]? _retrySourceConnectionId;
    private byte[] _token = [];
    private bool _receivedFirstPacket;
    private QuicTransportParameters? _peerParameters;

    public QuicConnection(QuicConnectionOptions options, IWireTap? tap = null)
        : this(options, tap, null)
    {
    }

    /// <summary>A server connection accepted by a <see cref="Endpoint.QuicEndpoint"/>, which routes its connection IDs.</summary>
    internal QuicConnection(QuicConnectionOptions options, IWireTap? tap, QuicServerBinding? binding)
    {
        if (binding is not null && options.Role != QuicRole.Server)
        {
            throw new InvalidOperationException("only a server connection is bound to an endpoint");
        }

        _binding = binding;
        _options = options;
        _tap = tap ?? NullWireTap.Instance;
        _tracing = _tap is not NullWireTap;
        _congestion = CongestionControllers.Create(options.CongestionControl, 1200, _rtt);
        _loss = new LossDetector(options.Role == QuicRole.Server, _rtt, _congestion);
        _pacer = new Pacer(options.MaxDatagramSize);
        _ecn = options.EcnMarking ? new Ecn.EcnValidator() : null;
        if (options.ConnectionIdLength is < 0 or > QuicConnectionId.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ConnectionIdLength, "a QUIC v1 connection ID is 0..20 bytes");
        }

        if (options.ActiveConnectionIdLimit < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ActiveConnectionIdLimit, "active_connection_id_limit is at least 2 (RFC 9000 Section 18.2)");
        }

        _sourceConnectionId = NewConnectionId(options.ConnectionIdLength);
        _localIds = new LocalConnectionIdSet(_sourceConnectionId);
        _peerIds = new PeerConnectionIdSet(options.ActiveConnectionIdLimit);
        _destinationConnectionId = RandomBytes(8);
        _originalDestinationConnectionId = _destinationConnectionId;
        _connectionReceiveCredit = new ReceiveCredit(options.InitialMaxData);
        _localMaxStreamsBidi = options.MaxStreamsBidirectional;
        _localMaxStreamsUni = options.MaxStreamsUnidirectional;
        _idleTimeout = options.IdleTimeout;
    }

    public QuicRole Role => _options.Role;

    /// <summary>The connection ID we chose in the handshake (sequence 0); see <see cref="LocalConnectionIds"/> for all active ones.</summary>
    public ReadOnlyMemory<byte> SourceConnectionId => _sourceConnectionId;

    public ReadOnlyMemory<byte> DestinationConnectionId => _destinationConnectionId;

    public bool IsHandshakeComplete { get; private set; }

    public bool IsHandshakeConfirmed { get; private set; }

    public string? ApplicationProtocol { get; private set; }

    public QuicTransportParameters? PeerParameters => _peerParameters;

    public TlsHandshake? Tls => _tls;

    public QuicConnectionStatistics Statistics { get; } = new();

    public RttEstimator Rtt => _rtt;

    public long CongestionWindow => _congestion.CongestionWindow;

    public long BytesInFlight => _congestion.BytesInFlight;

    /// <summary>Packets declared lost by loss detection (RFC 9002 Section 6), for the REPL's statistics.</summary>
    public long PacketsLost => _loss.PacketsLost;

    /// <summary>Packets declared lost that the peer acknowledged later: reordering mistaken for loss (RFC 9002 Section 6.1).</summary>
    public long SpuriousLosses => _loss.SpuriousLosses;

    public bool TryPollEvent(out QuicEvent e)
    {
        if (!_events.TryDequeue(out e!))
        {
            return false;
        }

        if (e is QuicStreamReadable readable && _streams.TryGetValue(readable.StreamId, out var stream))
        {
            stream.ReadablePending = false;
        }

        return true;
    }

    /// <summary>When <see cref="HandleTimeout"/> must run: the earliest of loss detection, ACK delay, pacing, idle and closing.</summary>
    public TimeSpan? NextTimeout
    {
        get
        {
            if (IsTerminated)
            {
                return null;
            }

            if (_closeDeadline is { } closing)
            {
                return closing;
            }

            var next = Earliest(_loss.Timer, _idleDeadline);
            foreach (var space in _spaces)
            {
                if (!space.Discarded && space.ReceiveKeys is not null)
                {
                    next = Earliest(next, space.Acks.AckDeadline);
                }
            }

            next = Earliest(next, PathValidationDeadline);
            next = Earliest(next, ProbeDeadline);
            return Earliest(next, _pacer.NextSendTime);
        }
    }

    private void Emit(QuicEvent e) => _events.Enqueue(e);

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        if (_options.Random is { } seeded)
        {
            seeded.NextBytes(bytes);
        }
        else
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        }

        return bytes;
    }

    // An endpoint hands out IDs no other connection of it uses; alone, a connection draws them from its random source.
    private byte[] NewConnectionId(int length) => _binding?.Host.NewConnectionId(length) ?? RandomBytes(length);

    private QuicPacketSpace SpaceFor(TlsEncryptionLevel level) => _spaces[(int)level];

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}

/// <summary>Counters for the wire view's summary and the REPL's stats.</summary>
public sealed class QuicConnectionStatistics
{
    public long DatagramsSent { get; internal set; }

    public long DatagramsReceived { get; internal set; }

    public long PacketsSent { get; internal set; }

    public long PacketsReceived { get; internal set; }

    public long PacketsDropped { get; internal set; }

    public long BytesSent { get; internal set; }

    public long BytesReceived { get; internal set; }

    public int KeyUpdates { get; internal set; }
}
