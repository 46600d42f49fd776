using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// Session tickets and 0-RTT (RFC 9001 Section 4.6, RFC 9000 Section 7.4.1). A client with a ticket that allows it
/// writes 0-RTT packets (long header type 1, the application packet number space) under client_early_traffic_secret,
/// within the transport parameters it remembered with the ticket; if the server rejects them, everything they carried
/// is sent again in 1-RTT. A server that accepted early data reads 0-RTT until its handshake completes, and accepts
/// none when today's limits are below the ones the ticket was issued with.
/// </summary>
public sealed partial class QuicConnection
{
    private QuicPacketKeys? _zeroRttSendKeys;
    private QuicPacketKeys? _zeroRttReceiveKeys;
    private QuicTransportParameters? _rememberedParameters;
    private TimeSpan _startedAt;

    // The length of the datagram whose packets are being read: a client's first Initial may share it with 0-RTT.
    private int _receivingDatagramLength;

    /// <summary>The handshake resumed a session from a ticket.</summary>
    public bool IsResumed => _tls?.IsResumed == true;

    /// <summary>Whether 0-RTT was offered (client) or received (server), and what the server made of it.</summary>
    public TlsEarlyDataOutcome EarlyData => _tls?.EarlyData ?? TlsEarlyDataOutcome.NotOffered;

    /// <summary>A client that may write application data before the handshake completes: in 0-RTT packets.</summary>
    public bool IsSendingEarlyData => _zeroRttSendKeys is not null && !IsHandshakeComplete;

    /// <summary>Packets sent in 0-RTT (client) or received and accepted in 0-RTT (server).</summary>
    public long ZeroRttPackets { get; private set; }

    /// <summary>The remembered limits that apply to 0-RTT (RFC 9000 Section 7.4.1): only these carry over from a ticket.</summary>
    internal static QuicTransportParameters ZeroRttLimits(QuicTransportParameters p) => new()
    {
        ActiveConnectionIdLimit = p.ActiveConnectionIdLimit,
        InitialMaxData = p.InitialMaxData,
        InitialMaxStreamDataBidiLocal = p.InitialMaxStreamDataBidiLocal,
        InitialMaxStreamDataBidiRemote = p.InitialMaxStreamDataBidiRemote,
        InitialMaxStreamDataUni = p.InitialMaxStreamDataUni,
        InitialMaxStreamsBidi = p.InitialMaxStreamsBidi,
        InitialMaxStreamsUni = p.InitialMaxStreamsUni,
        MaxIdleTimeout = p.MaxIdleTimeout,
        MaxUdpPayloadSize = p.MaxUdpPayloadSize,
        DisableActiveMigration = p.DisableActiveMigration,
    };

    /// <summary>True when <paramref name="now"/> reduces none of the limits in <paramref name="remembered"/> (Section 7.4.1).</summary>
    internal static bool ReducesNone(QuicTransportParameters remembered, QuicTransportParameters now) =>
        now.InitialMaxData >= remembered.InitialMaxData
        && now.InitialMaxStreamDataBidiLocal >= remembered.InitialMaxStreamDataBidiLocal
        && now.InitialMaxStreamDataBidiRemote >= remembered.InitialMaxStreamDataBidiRemote
        && now.InitialMaxStreamDataUni >= remembered.InitialMaxStreamDataUni
        && now.InitialMaxStreamsBidi >= remembered.InitialMaxStreamsBidi
        && now.InitialMaxStreamsUni >= remembered.InitialMaxStreamsUni
        && now.ActiveConnectionIdLimit >= remembered.ActiveConnectionIdLimit
        && now.MaxUdpPayloadSize >= remembered.MaxUdpPayloadSize
        && (remembered.MaxIdleTimeout == 0 || (now.MaxIdleTimeout != 0 && now.MaxIdleTimeout >= remembered.MaxIdleTimeout))
        && (now.DisableActiveMigration == false || remembered.DisableActiveMigration);

    /// <summary>Server: what a ticket remembers of our transport parameters, and the check against them when it comes back.</summary>
    private (byte[] Context, Func<byte[], bool> Accept) ServerEarlyDataPolicy()
    {
        var ours = ZeroRttLimits(LocalTransportParameters());
        return (ours.ToArray(), remembered =>
        {
            try
            {
                return ReducesNone(QuicTransportParametersCodec.Decode(remembered, QuicRole.Server), ours);
            }
            catch (QuicTransportException)
            {
                return false;
            }
        }
        );
    }

    /// <summary>Client: the limits the ticket's connection had, if they can be read.</summary>
    private static QuicTransportParameters? RememberedParameters(TlsSessionTicket? ticket)
    {
        if (ticket?.PeerTransportParameters is not { } raw)
        {
            return null;
        }

        try
        {
            return ZeroRttLimits(QuicTransportParametersCodec.Decode(raw, QuicRole.Server));
        }
        catch (QuicTransportException)
        {
            return null;
        }
    }

    private void InstallEarlySecret(TlsEarlySecretAvailable early)
    {
        // 0-RTT stays in the version the client started in (RFC 9368 Section 4).
        var keys = new QuicPacketKeys((QuicCipherSuite)(ushort)early.CipherSuite, early.Secret, _originalVersion);
        if (Role == QuicRole.Server)
        {
            _zeroRttReceiveKeys = keys;
            return;
        }

        if (_rememberedParameters is not { } remembered)
        {
            // Without the limits to respect, 0-RTT would have to guess: send nothing early (the server just sees none).
            keys.Dispose();
            return;
        }

        _zeroRttSendKeys = keys;
        ApplyPeerParameters(remembered);
    }

    /// <summary>The client learns at completion what the server did with its 0-RTT (EncryptedExtensions).</summary>
    private void SettleEarlyData(QuicTransportParameters parameters, TimeSpan now)
    {
        if (Role == QuicRole.Server)
        {
            DropZeroRttKeys();
            return;
        }

        if (_zeroRttSendKeys is null)
        {
            return;
        }

        if (EarlyData == TlsEarlyDataOutcome.Accepted)
        {
            if (_rememberedParameters is { } remembered && !ReducesNone(remembered, parameters))
            {
                throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, 0, "the server accepted 0-RTT but lowered limits it had given with the ticket (RFC 9000 Section 7.4.1)");
            }
        }
        else
        {
            // RFC 9001 Section 4.6.2: rejected 0-RTT is lost. Its packets leave the flight, and what they carried
            // (stream data, control frames) goes again under 1-RTT keys.
            foreach (var packet in _loss.Unacknowledged(Recovery.QuicPacketNumberSpace.ApplicationData).ToList())
            {
                OnFramesLost(packet);
            }

            _loss.DiscardSpace(Recovery.QuicPacketNumberSpace.ApplicationData, now);
        }

        DropZeroRttKeys();
    }

    private void DropZeroRttKeys()
    {
        _zeroRttSendKeys?.Dispose();
        _zeroRttReceiveKeys?.Dispose();
        _zeroRttSendKeys = null;
        _zeroRttReceiveKeys = null;
    }

    /// <summary>A ticket for a later connection: stamped with the wall-clock time it arrived and the limits to remember.</summary>
    private void OnSessionTicket(TlsSessionTicketReceived received, TimeSpan now)
    {
        // RFC 9001 Section 4.6.1: in QUIC, early_data's max_early_data_size is 0xffffffff or absent.
        if (received.Ticket.MaxEarlyDataSize is { } size && size != uint.MaxValue)
        {
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, 0, $"NewSessionTicket allows {size} bytes of early data; QUIC requires 0xffffffff");
        }

        if (Role != QuicRole.Client || received.Session is not { } session)
        {
            return;
        }

        Emit(new QuicSessionTicketReceived(session with
        {
            ReceivedAt = _options.CertificateTime + (now - _startedAt),
            PeerTransportParameters = _tls!.PeerTransportParameters,
        }));
    }
}
