using System.Security.Cryptography;

namespace Hxi.Protocols.Tls;

/// <summary>The server side of the TLS 1.3 handshake for QUIC: enough for in-memory tests and the embedded server.</summary>
/// <remarks>
/// <code>
///   RECVD_CH -> (HelloRetryRequest, once) -> RECVD_CH2
///            -> send ServerHello | EncryptedExtensions, Certificate, CertificateVerify, Finished
///            -> WAIT_FINISHED -> CONNECTED (optionally NewSessionTicket)
/// </code>
/// With <see cref="TlsServerOptions.Tickets"/>: tickets issued after the handshake, PSK resumption (no certificate
/// flight) and 0-RTT accepted once per ticket. No client authentication.
/// </remarks>
public sealed partial class TlsServerHandshake : TlsHandshake
{
    private static readonly Dictionary<ServerState, (TlsEncryptionLevel Level, TlsHandshakeType[] Types)> Expected = new()
    {
        [ServerState.WaitClientHello] = (TlsEncryptionLevel.Initial, [TlsHandshakeType.ClientHello]),
        [ServerState.WaitSecondClientHello] = (TlsEncryptionLevel.Initial, [TlsHandshakeType.ClientHello]),
        [ServerState.WaitFinished] = (TlsEncryptionLevel.Handshake, [TlsHandshakeType.Finished]),
    };

    private readonly TlsServerOptions options;
    private ServerState state = ServerState.WaitClientHello;
    private HelloRetryRequest? helloRetry;
    private byte[] clientHandshakeSecret = [];
    private byte[] clientApplicationSecret = [];

    public TlsServerHandshake(TlsServerOptions options, ITlsObserver? observer = null)
        : base(TlsRole.Server, observer)
    {
        if (!options.Certificate.HasPrivateKey)
        {
            throw new ArgumentException("the server certificate needs its private key", nameof(options));
        }

        this.options = options;
    }

    private enum ServerState
    {
        WaitClientHello,
        WaitSecondClientHello,
        WaitFinished,
        Connected,
    }

    /// <summary>The host name the client asked for in server_name.</summary>
    public string? RequestedServerName { get; private set; }

    private protected override void CheckExpected(TlsEncryptionLevel level, TlsHandshakeType type)
    {
        if (!Expected.TryGetValue(state, out var expected) || level != expected.Level || !expected.Types.Contains(type))
        {
            throw TlsAlertException.Unexpected($"{Describe(type)} at {level} level is not expected in state {state}");
        }
    }

    private protected override void Handle(TlsHandshakeMessage message, byte[] bytes)
    {
        switch (message)
        {
            case ClientHello hello:
                HandleClientHello(hello, bytes);
                break;
            case Finished finished:
                HandleFinished(finished, bytes);
                break;
            default:
                throw TlsAlertException.Unexpected($"{Describe(message.Type)} is not expected by a server");
        }
    }

    private void HandleFinished(Finished finished, byte[] bytes)
    {
        CheckFinished(finished, clientHandshakeSecret);
        Transcript.Append(bytes);
        Install(TlsEncryptionLevel.OneRtt, TlsSecretDirection.Read, clientApplicationSecret);
        state = ServerState.Connected;
        MoveReceiveLevel(TlsEncryptionLevel.OneRtt);
        Complete();
        if (options.Tickets is { } tickets && clientAcceptsTickets)
        {
            IssueTicket(tickets);
        }
        else if (options.SendSessionTicket)
        {
            // Shown by the client, never redeemed: hxi offers no PSK, so the ticket is random bytes.
            var ticket = new NewSessionTicket(7200, BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4)), [0], RandomNumberGenerator.GetBytes(32), []);
            Send(TlsEncryptionLevel.OneRtt, ticket);
        }
    }
}
