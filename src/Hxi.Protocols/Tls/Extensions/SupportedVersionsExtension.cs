namespace Hxi.Protocols.Tls;

/// <summary>supported_versions (RFC 9846 Section 4.2.1): the real version negotiation of TLS 1.3.</summary>
/// <remarks>
/// <code>
///    struct {
///        select (Handshake.msg_type) {
///            case client_hello:
///                 ProtocolVersion versions&lt;2..254&gt;;
///            case server_hello: /* and HelloRetryRequest */
///                 ProtocolVersion selected_version;
///        };
///    } SupportedVersions;
/// </code>
/// </remarks>
internal static class SupportedVersionsExtension
{
    public const ushort Tls13 = 0x0304;

    public static TlsExtension CreateClient()
    {
        var writer = new TlsWriter();
        writer.WriteVector8([0x03, 0x04]);
        return new TlsExtension(TlsExtensionType.SupportedVersions, writer.ToArray());
    }

    public static TlsExtension CreateServer() =>
        new(TlsExtensionType.SupportedVersions, [0x03, 0x04]);

    public static IReadOnlyList<ushort> ReadClient(ref TlsReader reader)
    {
        var list = new TlsReader(reader.ReadVector8(2, 254, "versions"));
        var versions = new List<ushort>();
        while (!list.IsEmpty)
        {
            versions.Add(list.ReadUInt16());
        }

        return versions;
    }

    public static ushort ReadServer(ReadOnlySpan<byte> data)
    {
        var reader = new TlsReader(data);
        var version = reader.ReadUInt16();
        reader.EnsureEnd("supported_versions");
        return version;
    }
}
