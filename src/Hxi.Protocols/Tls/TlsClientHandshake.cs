using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Protocols.Tls;

/// <summary>The client side of the TLS 1.3 handshake for QUIC (RFC 9846, RFC 9001), with ticket resumption and 0-RTT.</summary>
/// <remarks>
/// <code>
///   Start -> WAIT_SH -> WAIT_EE -> WAIT_CERT_CR -> WAIT_CERT -> WAIT_CV -> WAIT_FINISHED -> CONNECTED
///              ^  | HelloRetryRequest (once)  |    (CertificateRequest: answered with an empty Certificate)
///              +--+                           +---- resumed with a PSK ----------------> WAIT_FINISHED
/// </code>
/// </remarks>
public sealed partial class TlsClientHandshake : TlsHandshake
{
    /// <summary>Which message types may arrive in each state, and at which level: everything else is unexpected_message.</summary>
    private static readonly Dictionary<ClientState, (TlsEncryptionLevel Level, TlsHandshakeType[] Types)> Expected = new()
    {
        [ClientState.WaitServerHello] = (TlsEncryptionLevel.Initial, [TlsHandshakeType.ServerHello]),
        [ClientState.WaitEncryptedExtensions] = (TlsEncryptionLevel.Handshake, [TlsHandshakeType.EncryptedExtensions]),
        [ClientState.WaitCertificateOrRequest] = (TlsEncryptionLevel.Handshake, [TlsHandshakeType.Certificate, TlsHandshakeType.CertificateRequest]),
        [ClientState.WaitCertificate] = (TlsEncryptionLevel.Handshake, [TlsHandshakeType.Certificate]),
        [ClientState.WaitCertificateVerify] = (TlsEncryptionLevel.Handshake, [TlsHandshakeType.CertificateVerify]),
        [ClientState.WaitFinished] = (TlsEncryptionLevel.Handshake, [TlsHandshakeType.Finished]),
        [ClientState.Connected] = (TlsEncryptionLevel.OneRtt, [TlsHandshakeType.NewSessionTicket]),
    };

    private readonly TlsClientOptions options;
    private readonly List<ITlsKeyExchange> keyShares = [];
    private ClientState state = ClientState.Idle;
    private IReadOnlyList<TlsExtension> offeredExtensions = [];
    private byte[] firstClientHello = [];
    private HelloRetryRequest? helloRetry;
    private byte[] clientHandshakeSecret = [];
    private byte[] serverHandshakeSecret = [];
    private byte[]? certificateRequestContext;

    public TlsClientHandshake(TlsClientOptions options, ITlsObserver? observer = null)
        : base(TlsRole.Client, observer)
    {
        if (options.CipherSuites.Count == 0 || options.Groups.Count == 0)
        {
            throw new ArgumentException("offer at least one cipher suite and one group", nameof(options));
        }

        foreach (var group in options.Groups)
        {
            if (!TlsNamedGroups.IsImplemented((ushort)group))
            {
                throw new ArgumentException($"group {TlsNamedGroups.Name(group)} is not implemented", nameof(options));
            }
        }

        this.options = options;
    }

    private enum ClientState
    {
        Idle,
        WaitServerHello,
        WaitEncryptedExtensions,
        WaitCertificateOrRequest,
        WaitCertificate,
        WaitCertificateVerify,
        WaitFinished,
        Connected,
    }

    /// <summary>The server's chain, leaf first, once its Certificate message arrived.</summary>
    public IReadOnlyList<X509Certificate2> PeerCertificates { get; private set; } = [];

    /// <summary>Queues the ClientHello at the Initial level.</summary>
    public void Start()
    {
        if (state != ClientState.Idle)
        {
            throw new InvalidOperationException("the handshake has already started");
        }

        ClientRandom = RandomNumberGenerator.GetBytes(32);
        foreach (var group in options.KeyShareGroups ?? [options.Groups[0]])
        {
            if (!options.Groups.Contains(group))
            {
                throw new InvalidOperationException($"key share group {TlsNamedGroups.Name(group)} is not in Groups");
            }

            keyShares.Add(options.KeyExchangeFactory(group));
        }

        ChooseTicket();
        offeredExtensions = BuildExtensions(cookie: null);
        var hello = BindPsk(ClientHello.Create(ClientRandom, options.CipherSuites, offeredExtensions));
        firstClientHello = Send(TlsEncryptionLevel.Initial, hello);
        Transcript.Append(firstClientHello);
        state = ClientState.WaitServerHello;
        StartEarlyData();
    }

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
            case HelloRetryRequest retry:
                HandleHelloRetryRequest(retry, bytes);
                break;
            case ServerHello hello:
                HandleServerHello(hello, bytes);
                break;
            case EncryptedExtensions extensions:
                HandleEncryptedExtensions(extensions, bytes);
                break;
            case CertificateRequestMessage request:
                HandleCertificateRequest(request, bytes);
                break;
            case CertificateMessage certificate:
                HandleCertificate(certificate, bytes);
                break;
            case CertificateVerify verify:
                HandleCertificateVerify(verify, bytes);
                break;
            case Finished finished:
                HandleFinished(finished, bytes);
                break;
            case NewSessionTicket ticket:
                Emit(new TlsSessionTicketReceived(ticket, KeepTicket(ticket)));
                break;
            default:
                throw TlsAlertException.Unexpected($"{Describe(message.Type)} is not expected by a client");
        }
    }

    private IReadOnlyList<TlsExtension> BuildExtensions(byte[]? cookie)
    {
        var extensions = new List<TlsExtension>();

        // RFC 6066 Section 3: "Literal IPv4 and IPv6 addresses are not permitted in HostName."
        if (options.ServerName is { Length: > 0 } name && !IPAddress.TryParse(name, out _))
        {
            extensions.Add(ServerNameExtension.Create(name));
        }

        extensions.Add(SupportedVersionsExtension.CreateClient());
        extensions.Add(SupportedGroupsExtension.Create(options.Groups));
        extensions.Add(KeyShareExtension.CreateClient(keyShares.Select(k => new TlsKeyShareEntry(k.Group, k.PublicKey))));
        extensions.Add(SignatureAlgorithmsExtension.Create(TlsExtensionType.SignatureAlgorithms, TlsSignatureSchemes.ForCertificateVerify));
        extensions.Add(SignatureAlgorithmsExtension.Create(TlsExtensionType.SignatureAlgorithmsCert, TlsSignatureSchemes.ForCertificates));
        if (options.ApplicationProtocols.Count > 0)
        {
            extensions.Add(AlpnExtension.Create(options.ApplicationProtocols));
        }

        if (cookie is not null)
        {
            extensions.Add(CookieExtension.Create(cookie));
        }

        extensions.Add(new TlsExtension(TlsExtensionType.QuicTransportParameters, options.TransportParameters));
        AddResumptionExtensions(extensions, afterHelloRetry: cookie is not null || helloRetry is not null);
        return extensions;
    }

    private bool Offered(ushort extensionType) => offeredExtensions.Any(e => e.Type == extensionType);
}
