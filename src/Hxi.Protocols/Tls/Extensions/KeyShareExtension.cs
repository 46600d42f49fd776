namespace Hxi.Protocols.Tls;

/// <summary>One offered or chosen key share: a group and its public value.</summary>
public sealed record TlsKeyShareEntry(TlsNamedGroup Group, byte[] KeyExchange);

/// <summary>key_share (RFC 9846 Section 4.2.8), in its three shapes.</summary>
/// <remarks>
/// <code>
///    struct {
///        NamedGroup group;
///        opaque key_exchange&lt;1..2^16-1&gt;;
///    } KeyShareEntry;
///
///    struct { KeyShareEntry client_shares&lt;0..2^16-1&gt;; } KeyShareClientHello;
///    struct { NamedGroup selected_group; }              KeyShareHelloRetryRequest;
///    struct { KeyShareEntry server_share; }             KeyShareServerHello;
/// </code>
/// "Clients MUST NOT offer multiple KeyShareEntry values for the same group": illegal_parameter.
/// </remarks>
internal static class KeyShareExtension
{
    public static TlsExtension CreateClient(IEnumerable<TlsKeyShareEntry> shares)
    {
        var writer = new TlsWriter();
        var list = writer.BeginVector(2);
        foreach (var share in shares)
        {
            WriteEntry(writer, share);
        }

        writer.EndVector(list);
        return new TlsExtension(TlsExtensionType.KeyShare, writer.ToArray());
    }

    public static TlsExtension CreateServer(TlsKeyShareEntry share)
    {
        var writer = new TlsWriter();
        WriteEntry(writer, share);
        return new TlsExtension(TlsExtensionType.KeyShare, writer.ToArray());
    }

    public static TlsExtension CreateHelloRetry(TlsNamedGroup group) =>
        new(TlsExtensionType.KeyShare, [(byte)((ushort)group >> 8), (byte)group]);

    public static IReadOnlyList<TlsKeyShareEntry> ReadClient(ref TlsReader reader)
    {
        var list = new TlsReader(reader.ReadVector16(0, ushort.MaxValue, "client_shares"));
        var shares = new List<TlsKeyShareEntry>();
        while (!list.IsEmpty)
        {
            var share = ReadEntry(ref list);
            if (shares.Exists(s => s.Group == share.Group))
            {
                throw TlsAlertException.Illegal($"key_share offers {TlsNamedGroups.Name(share.Group)} twice");
            }

            shares.Add(share);
        }

        return shares;
    }

    public static TlsKeyShareEntry ReadServer(ref TlsReader reader) => ReadEntry(ref reader);

    public static TlsNamedGroup ReadHelloRetry(ReadOnlySpan<byte> data)
    {
        var reader = new TlsReader(data);
        var group = (TlsNamedGroup)reader.ReadUInt16();
        reader.EnsureEnd("key_share selected_group");
        return group;
    }

    private static TlsKeyShareEntry ReadEntry(ref TlsReader reader)
    {
        var group = (TlsNamedGroup)reader.ReadUInt16();
        var keyExchange = reader.ReadVector16(1, ushort.MaxValue, "key_exchange");
        return new TlsKeyShareEntry(group, keyExchange.ToArray());
    }

    private static void WriteEntry(TlsWriter writer, TlsKeyShareEntry share)
    {
        writer.WriteUInt16((ushort)share.Group);
        writer.WriteVector16(share.KeyExchange);
    }
}
