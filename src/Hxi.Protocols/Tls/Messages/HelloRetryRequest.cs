namespace Hxi.Protocols.Tls;

/// <summary>HelloRetryRequest (RFC 9846 Section 4.1.4): "send me a share for this group", in ServerHello's clothes.</summary>
/// <remarks>
/// Same layout as <see cref="ServerHello"/>, with Random = SHA-256("HelloRetryRequest"):
/// <code>
///    CF 21 AD 74 E5 9A 61 11 BE 1D 8C 02 1E 65 B8 91
///    C2 A2 11 16 7A BB 8C 5E 07 9E 09 E2 C8 A8 33 9C
/// </code>
/// Its key_share carries only <c>NamedGroup selected_group;</c>.
/// </remarks>
public sealed record HelloRetryRequest : TlsHandshakeMessage
{
    internal static readonly byte[] MagicRandom = Convert.FromHexString(
        "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    public HelloRetryRequest(ushort legacyVersion, byte[] legacySessionIdEcho, TlsCipherSuite cipherSuite, IReadOnlyList<TlsExtension> extensions)
    {
        LegacyVersion = legacyVersion;
        LegacySessionIdEcho = legacySessionIdEcho;
        CipherSuite = cipherSuite;
        Extensions = extensions;
        var version = TlsExtensionBlock.Find(extensions, TlsExtensionType.SupportedVersions);
        SelectedVersion = version is null ? null : SupportedVersionsExtension.ReadServer(version);
        var group = TlsExtensionBlock.Find(extensions, TlsExtensionType.KeyShare);
        SelectedGroup = group is null ? null : KeyShareExtension.ReadHelloRetry(group);
        Cookie = TlsExtensionBlock.Decode(extensions, TlsExtensionType.Cookie, CookieExtension.Read);
    }

    public override TlsHandshakeType Type => TlsHandshakeType.ServerHello;

    public ushort LegacyVersion { get; }

    public byte[] LegacySessionIdEcho { get; }

    public TlsCipherSuite CipherSuite { get; }

    public IReadOnlyList<TlsExtension> Extensions { get; }

    public ushort? SelectedVersion { get; }

    public TlsNamedGroup? SelectedGroup { get; }

    public byte[]? Cookie { get; }

    internal override void WriteBody(TlsWriter writer) =>
        ServerHello.WriteLayout(writer, LegacyVersion, MagicRandom, LegacySessionIdEcho, CipherSuite, Extensions);
}
