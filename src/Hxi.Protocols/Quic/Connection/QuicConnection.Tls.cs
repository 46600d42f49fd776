using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial class QuicConnection
{
    private TlsHandshake? _tls;
    private byte[]? _applicationReceiveSecret;
    private QuicCipherSuite _applicationSuite;

    /// <summary>Client: derives Initial keys from a fresh Destination Connection ID and queues the ClientHello.</summary>
    public void Start(TimeSpan now)
    {
        if (Role != QuicRole.Client)
        {
            // A server starts when the first Initial arrives (see AcceptInitial).
            return;
        }

        StartVersion();
        InstallInitialKeys(_destinationConnectionId);
        _startedAt = now;
        _rememberedParameters = _options.EnableEarlyData ? RememberedParameters(_options.SessionTicket) : null;
        var client = new TlsClientHandshake(
            new TlsClientOptions
            {
                ServerName = _options.ServerName,
                ApplicationProtocols = _options.ApplicationProtocols,
                TransportParameters = LocalTransportParameters().ToArray(),
                CipherSuites = _options.CipherSuites,
                Groups = _options.Groups,
                KeyExchangeFactory = _options.KeyExchangeFactory,
                CustomRoots = _options.CustomRoots,
                Insecure = _options.Insecure,
                Now = _options.CertificateTime,
                Resumption = _options.SessionTicket,
                OfferEarlyData = _rememberedParameters is not null,
            },
            _options.TlsObserver);
        _tls = client;
        client.Start();
        _idleDeadline = now + _idleTimeout;
        DriveTls(now);
    }

    /// <summary>Server: the client's first Initial sets the Initial keys, the peer's CID, and starts TLS.</summary>
    private void AcceptInitial(ReadOnlySpan<byte> clientDestinationConnectionId, ReadOnlySpan<byte> clientSourceConnectionId, ReadOnlySpan<byte> originalDestinationConnectionId, TimeSpan now)
    {
        _originalDestinationConnectionId = originalDestinationConnectionId.ToArray();
        _destinationConnectionId = clientSourceConnectionId.ToArray();
        InstallInitialKeys(clientDestinationConnectionId);
        if (_options.Certificate is null)
        {
            throw new InvalidOperationException("a QUIC server needs a certificate with its private key");
        }

        var earlyData = _options.SessionTickets is null ? ([], _ => false) : ServerEarlyDataPolicy();
        _tls = new TlsServerHandshake(
            new TlsServerOptions
            {
                Certificate = _options.Certificate,
                ApplicationProtocols = _options.ApplicationProtocols,
                TransportParameters = LocalTransportParameters().ToArray(),
                TransportParametersFor = ServerTransportParametersFor,
                CipherSuites = _options.CipherSuites,
                Groups = _options.Groups,
                KeyExchangeFactory = _options.KeyExchangeFactory,
                Tickets = _options.SessionTickets,
                Now = now,
                EarlyDataContext = earlyData.Context,
                AcceptEarlyDataContext = earlyData.Accept,
            },
            _options.TlsObserver);
    }

    private void InstallInitialKeys(ReadOnlySpan<byte> clientDestinationConnectionId)
    {
        _initialKeysConnectionId = clientDestinationConnectionId.ToArray();
        var (client, server) = QuicPacketKeys.CreateInitial(clientDestinationConnectionId, _version);
        var initial = _spaces[0];
        initial.SendKeys = Role == QuicRole.Client ? client : server;
        initial.ReceiveKeys = Role == QuicRole.Client ? server : client;
    }

    private QuicTransportParameters LocalTransportParameters() =>
        _options.RewriteTransportParameters is { } rewrite ? rewrite(BuildTransportParameters()) : BuildTransportParameters();

    private QuicTransportParameters BuildTransportParameters() => new()
    {
        OriginalDestinationConnectionId = Role == QuicRole.Server ? _originalDestinationConnectionId : null,
        RetrySourceConnectionId = Role == QuicRole.Server ? _retrySourceConnectionId : null,
        InitialSourceConnectionId = _sourceConnectionId,
        MaxIdleTimeout = (ulong)_options.IdleTimeout.TotalMilliseconds,
        MaxUdpPayloadSize = 65_527,
        InitialMaxData = (ulong)_options.InitialMaxData,
        InitialMaxStreamDataBidiLocal = (ulong)_options.InitialMaxStreamData,
        InitialMaxStreamDataBidiRemote = (ulong)_options.InitialMaxStreamData,
        InitialMaxStreamDataUni = (ulong)_options.InitialMaxStreamData,
        InitialMaxStreamsBidi = (ulong)_options.MaxStreamsBidirectional,
        InitialMaxStreamsUni = (ulong)_options.MaxStreamsUnidirectional,
        ActiveConnectionIdLimit = (ulong)_options.ActiveConnectionIdLimit,
        StatelessResetToken = Role == QuicRole.Server ? ResetTokenFor(_sourceConnectionId) : null,
        PreferredAddress = Role == QuicRole.Server ? OfferPreferredAddress() : null,
        UnknownParameters = VersionInformationParameters(),
    };

    /// <summary>Moves handshake bytes from TLS into CRYPTO streams and installs keys as TLS releases them.</summary>
    private void DriveTls(TimeSpan now)
    {
        if (_tls is null)
        {
            return;
        }

        while (_tls.TryGetOutput(out var level, out var bytes))
        {
            SpaceFor(level).CryptoOut.Write(bytes.Span, fin: false);
        }

        while (_tls.TryPollEvent(out var e))
        {
            switch (e)
            {
                case TlsSecretAvailable secret:
                    InstallSecret(secret);
                    break;
                case TlsHandshakeCompleted completed:
                    OnHandshakeCompleted(completed, now);
                    break;
                case TlsEarlySecretAvailable early:
                    InstallEarlySecret(early);
                    break;
                case TlsSessionTicketReceived ticket:
                    OnSessionTicket(ticket, now);
                    break;
            }
        }
    }

    private void InstallSecret(TlsSecretAvailable secret)
    {
        var suite = (QuicCipherSuite)(ushort)secret.CipherSuite;
        var keys = new QuicPacketKeys(suite, secret.Secret, _version);
        var space = SpaceFor(secret.Level);
        var sending = secret.Direction == TlsSecretDirection.Write;
        if (sending)
        {
            space.SendKeys = keys;
        }
        else
        {
            space.ReceiveKeys = keys;
            if (secret.Level == TlsEncryptionLevel.OneRtt)
            {
                _applicationReceiveSecret = secret.Secret;
                _applicationSuite = suite;
                _nextReceiveKeys = keys.NextGeneration();
            }
        }

        if (secret.Level == TlsEncryptionLevel.Handshake)
        {
            _loss.HasHandshakeKeys = true;
        }
    }

    private void OnHandshakeCompleted(TlsHandshakeCompleted completed, TimeSpan now)
    {
        var peerRole = Role == QuicRole.Client ? QuicRole.Server : QuicRole.Client;
        var parameters = QuicTransportParametersCodec.Decode(_tls!.PeerTransportParameters ?? [], peerRole);
        if (Role == QuicRole.Client)
        {
            // Not a conditional expression: null would convert to an empty ReadOnlyMemory, not to "no Retry".
            ReadOnlyMemory<byte>? retry = null;
            if (_retrySourceConnectionId is not null)
            {
                retry = _retrySourceConnectionId;
            }

            QuicConnectionIdAuthentication.ValidateServer(parameters, _originalDestinationConnectionId, _destinationConnectionId, retry);
        }
        else
        {
            QuicConnectionIdAuthentication.ValidateClient(parameters, _destinationConnectionId);
        }

        ValidateVersionInformation(parameters);
        ValidatePreferredAddress(parameters);
        ApplyPeerParameters(parameters);
        SettleEarlyData(parameters, now);
        IsHandshakeComplete = true;
        ApplicationProtocol = completed.ApplicationProtocol;
        Emit(new QuicHandshakeCompleted(completed.ApplicationProtocol, parameters, TlsCipherSuites.Name(completed.CipherSuite), completed.Group.ToString()));
        if (completed.Resumed || completed.EarlyData != TlsEarlyDataOutcome.NotOffered || _options.SessionTicket is not null)
        {
            Emit(new QuicResumptionSettled(completed.Resumed, completed.EarlyData, ZeroRttPackets));
        }
        if (Role == QuicRole.Server)
        {
            // RFC 9001 Section 4.1.2: the server's handshake is confirmed at completion; tell the client.
            _pendingControl.Enqueue(new Frames.HandshakeDoneFrame());
            ConfirmHandshake(now);
        }

        IssueConnectionIds();
    }

    private void ConfirmHandshake(TimeSpan now)
    {
        if (IsHandshakeConfirmed)
        {
            return;
        }

        IsHandshakeConfirmed = true;
        _loss.HandshakeConfirmed = true;
        DiscardSpace(QuicPacketNumberSpace.Handshake, now);
        Emit(new QuicHandshakeConfirmed());
    }

    private void DiscardSpace(QuicPacketNumberSpace which, TimeSpan now)
    {
        var space = _spaces[(int)which];
        if (space.Discarded)
        {
            return;
        }

        space.Discarded = true;
        // The keys hold native cipher contexts: free them now rather than at some finalizer's leisure.
        space.SendKeys?.Dispose();
        space.ReceiveKeys?.Dispose();
        space.SendKeys = null;
        space.ReceiveKeys = null;
        _loss.DiscardSpace(which, now);
    }

    private void ApplyPeerParameters(QuicTransportParameters parameters)
    {
        _peerParameters = parameters;
        _connectionSendCredit.Raise((long)Math.Min(parameters.InitialMaxData, long.MaxValue));
        _peerMaxStreamsBidi = (long)Math.Min(parameters.InitialMaxStreamsBidi, 1UL << 60);
        _peerMaxStreamsUni = (long)Math.Min(parameters.InitialMaxStreamsUni, 1UL << 60);
        _loss.MaxAckDelay = TimeSpan.FromMilliseconds(parameters.MaxAckDelay);
        if (parameters.MaxIdleTimeout > 0)
        {
            var peerIdle = TimeSpan.FromMilliseconds(parameters.MaxIdleTimeout);
            _idleTimeout = _idleTimeout == TimeSpan.Zero || peerIdle < _idleTimeout ? peerIdle : _idleTimeout;
        }

        if (parameters.StatelessResetToken is { } token)
        {
            // The server's token belongs to its handshake connection ID, sequence 0 (RFC 9000 Section 10.3).
            _peerIds.CurrentResetToken = token;
        }

        AcceptPreferredAddressId(parameters);

        // Streams opened before the parameters arrived (none today) get their initial credit now.
        foreach (var stream in _streams.Values)
        {
            stream.SendCredit.Raise(InitialSendLimit(stream.Id));
        }
    }
}
