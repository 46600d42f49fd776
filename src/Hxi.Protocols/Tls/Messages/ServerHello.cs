namespace Hxi.Protocols.Tls;

/// <summary>ServerHello (RFC 9846 Section 4.1.3): the chosen cipher suite and the server's key share.</summary>
/// <remarks>
/// <code>
///    struct {
///        ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
///        Random random;
///        opaque legacy_session_id_echo&lt;0..32&gt;;
///        CipherSuite cipher_suite;
///        uint8 legacy_compression_method = 0;
///        Extension extensions&lt;6..2^16-1&gt;;
///    } ServerHello;
/// </code>
/// A HelloRetryRequest has the same layout with a fixed Random; <see cref="ReadEither"/> tells them apart.
/// </remarks>
public sealed record ServerHello : TlsHandshakeMessage
{
    public ServerHello(ushort legacyVersion, byte[] random, byte[] legacySessionIdEcho, TlsCipherSuite cipherSuite, IReadOnlyList<TlsExtension> extensions)
    {
        LegacyVersion = legacyVersion;
        Random = random;
        LegacySessionIdEcho = legacySessionIdEcho;
        CipherSuite = cipherSuite;
        Extensions = extensions;
        var version = TlsExtensionBlock.Find(extensions, TlsExtensionType.SupportedVersions);
        SelectedVersion = version is null ? null : SupportedVersionsExtension.ReadServer(version);
        KeyShare = TlsExtensionBlock.Decode(extensions, TlsExtensionType.KeyShare, KeyShareExtension.ReadServer);
        var psk = TlsExtensionBlock.Find(extensions, TlsExtensionType.PreSharedKey);
        SelectedIdentity = psk is null ? null : PreSharedKeyExtension.ReadServer(psk);
    }

    public override TlsHandshakeType Type => TlsHandshakeType.ServerHello;

    public ushort LegacyVersion { get; }

    public byte[] Random { get; }

    public byte[] LegacySessionIdEcho { get; }

    public TlsCipherSuite CipherSuite { get; }

    public IReadOnlyList<TlsExtension> Extensions { get; }

    public ushort? SelectedVersion { get; }

    public TlsKeyShareEntry? KeyShare { get; }

    /// <summary>pre_shared_key's selected_identity: the server resumes with that offered ticket.</summary>
    public ushort? SelectedIdentity { get; }

    /// <summary>Decodes a server_hello body as a ServerHello or, when Random is the magic value, a HelloRetryRequest.</summary>
    internal static TlsHandshakeMessage ReadEither(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var legacyVersion = reader.ReadUInt16();
        var random = reader.ReadBytes(32).ToArray();
        var sessionId = reader.ReadVector8(0, 32, "legacy_session_id_echo").ToArray();
        var suite = (TlsCipherSuite)reader.ReadUInt16();
        var compression = reader.ReadUInt8();
        if (compression != 0)
        {
            throw TlsAlertException.Illegal($"legacy_compression_method is {compression}, not 0");
        }

        var extensions = TlsExtensionBlock.Read(ref reader, 0, "ServerHello");
        reader.EnsureEnd("ServerHello");
        return random.AsSpan().SequenceEqual(HelloRetryRequest.MagicRandom)
            ? new HelloRetryRequest(legacyVersion, sessionId, suite, extensions)
            : new ServerHello(legacyVersion, random, sessionId, suite, extensions);
    }

    internal static void WriteLayout(TlsWriter writer, ushort legacyVersion, ReadOnlySpan<byte> random, ReadOnlySpan<byte> sessionId, TlsCipherSuite suite, IReadOnlyList<TlsExtension> extensions)
    {
        writer.WriteUInt16(legacyVersion);
        writer.WriteBytes(random);
        writer.WriteVector8(sessionId);
        writer.WriteUInt16((ushort)suite);
        writer.WriteUInt8(0);
        TlsExtensionBlock.Write(writer, extensions);
    }

    internal override void WriteBody(TlsWriter writer) =>
        WriteLayout(writer, LegacyVersion, Random, LegacySessionIdEcho, CipherSuite, Extensions);
}
