namespace Hxi.Protocols.Tls;

/// <summary>ClientHello (RFC 9846 Section 4.1.2), with typed views of the extensions hxi understands.</summary>
/// <remarks>
/// <code>
///    struct {
///        ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
///        Random random;
///        opaque legacy_session_id&lt;0..32&gt;;
///        CipherSuite cipher_suites&lt;2..2^16-2&gt;;
///        opaque legacy_compression_methods&lt;1..2^8-1&gt;;
///        Extension extensions&lt;8..2^16-1&gt;;
///    } ClientHello;
/// </code>
/// </remarks>
public sealed record ClientHello : TlsHandshakeMessage
{
    private ClientHello(
        ushort legacyVersion,
        byte[] random,
        byte[] legacySessionId,
        IReadOnlyList<TlsCipherSuite> cipherSuites,
        byte[] compressionMethods,
        IReadOnlyList<TlsExtension> extensions)
    {
        LegacyVersion = legacyVersion;
        Random = random;
        LegacySessionId = legacySessionId;
        CipherSuites = cipherSuites;
        CompressionMethods = compressionMethods;
        Extensions = extensions;
        ServerName = TlsExtensionBlock.Decode(extensions, TlsExtensionType.ServerName, ServerNameExtension.Read);
        Alpn = TlsExtensionBlock.Decode(extensions, TlsExtensionType.ApplicationLayerProtocolNegotiation, AlpnExtension.Read);
        SupportedVersions = TlsExtensionBlock.Decode(extensions, TlsExtensionType.SupportedVersions, SupportedVersionsExtension.ReadClient);
        SupportedGroups = TlsExtensionBlock.Decode(extensions, TlsExtensionType.SupportedGroups, SupportedGroupsExtension.Read);
        KeyShares = TlsExtensionBlock.Decode(extensions, TlsExtensionType.KeyShare, KeyShareExtension.ReadClient);
        SignatureAlgorithms = TlsExtensionBlock.Decode(extensions, TlsExtensionType.SignatureAlgorithms, SignatureAlgorithmsExtension.Read);
        SignatureAlgorithmsCert = TlsExtensionBlock.Decode(extensions, TlsExtensionType.SignatureAlgorithmsCert, SignatureAlgorithmsExtension.Read);
        Cookie = TlsExtensionBlock.Decode(extensions, TlsExtensionType.Cookie, CookieExtension.Read);
        TransportParameters = TlsExtensionBlock.Find(extensions, TlsExtensionType.QuicTransportParameters);
        PreSharedKey = TlsExtensionBlock.Decode(extensions, TlsExtensionType.PreSharedKey, PreSharedKeyExtension.ReadClient);
        PskModes = TlsExtensionBlock.Decode(extensions, TlsExtensionType.PskKeyExchangeModes, PskKeyExchangeModesExtension.Read);
        var earlyData = TlsExtensionBlock.Find(extensions, TlsExtensionType.EarlyData);
        if (earlyData is { Length: > 0 })
        {
            throw TlsAlertException.Decode("early_data in ClientHello must be empty");
        }

        OffersEarlyData = earlyData is not null;
    }

    public override TlsHandshakeType Type => TlsHandshakeType.ClientHello;

    public ushort LegacyVersion { get; }

    public byte[] Random { get; }

    public byte[] LegacySessionId { get; }

    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; }

    public byte[] CompressionMethods { get; }

    public IReadOnlyList<TlsExtension> Extensions { get; }

    public string? ServerName { get; }

    public IReadOnlyList<string>? Alpn { get; }

    public IReadOnlyList<ushort>? SupportedVersions { get; }

    public IReadOnlyList<TlsNamedGroup>? SupportedGroups { get; }

    public IReadOnlyList<TlsKeyShareEntry>? KeyShares { get; }

    public IReadOnlyList<TlsSignatureScheme>? SignatureAlgorithms { get; }

    public IReadOnlyList<TlsSignatureScheme>? SignatureAlgorithmsCert { get; }

    public byte[]? Cookie { get; }

    /// <summary>quic_transport_parameters (0x39), opaque to TLS: QUIC decodes them.</summary>
    public byte[]? TransportParameters { get; }

    /// <summary>pre_shared_key: the tickets offered for resumption, with their binders.</summary>
    public TlsOfferedPsks? PreSharedKey { get; }

    /// <summary>psk_key_exchange_modes; 1 is psk_dhe_ke.</summary>
    public byte[]? PskModes { get; }

    /// <summary>The client sends 0-RTT data under the first PSK (empty early_data, RFC 9846 Section 4.2.10).</summary>
    public bool OffersEarlyData { get; }

    /// <summary>A TLS 1.3 ClientHello as a QUIC client sends it: empty session id (RFC 9001 Section 8.4), null compression.</summary>
    public static ClientHello Create(byte[] random, IReadOnlyList<TlsCipherSuite> cipherSuites, IReadOnlyList<TlsExtension> extensions) =>
        new(0x0303, random, [], cipherSuites, [0], extensions);

    internal static ClientHello Read(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var legacyVersion = reader.ReadUInt16();
        var random = reader.ReadBytes(32).ToArray();
        var sessionId = reader.ReadVector8(0, 32, "legacy_session_id").ToArray();
        var suiteBytes = new TlsReader(reader.ReadVector16(2, ushort.MaxValue - 1, "cipher_suites"));
        if (suiteBytes.Remaining % 2 != 0)
        {
            throw TlsAlertException.Decode("cipher_suites has an odd length");
        }

        var suites = new List<TlsCipherSuite>();
        while (!suiteBytes.IsEmpty)
        {
            suites.Add((TlsCipherSuite)suiteBytes.ReadUInt16());
        }

        var compression = reader.ReadVector8(1, byte.MaxValue, "legacy_compression_methods").ToArray();
        var extensions = TlsExtensionBlock.Read(ref reader, 0, "ClientHello");
        reader.EnsureEnd("ClientHello");
        return new ClientHello(legacyVersion, random, sessionId, suites, compression, extensions);
    }

    internal override void WriteBody(TlsWriter writer)
    {
        writer.WriteUInt16(LegacyVersion);
        writer.WriteBytes(Random);
        writer.WriteVector8(LegacySessionId);
        var suites = writer.BeginVector(2);
        foreach (var suite in CipherSuites)
        {
            writer.WriteUInt16((ushort)suite);
        }

        writer.EndVector(suites);
        writer.WriteVector8(CompressionMethods);
        TlsExtensionBlock.Write(writer, Extensions);
    }
}
