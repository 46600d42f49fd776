namespace Hxi.Protocols.Tls;

/// <summary>One ticket a client offers: its opaque identity and its obfuscated age in milliseconds.</summary>
public sealed record TlsPskIdentity(byte[] Identity, uint ObfuscatedTicketAge);

/// <summary>A ClientHello's pre_shared_key: the identities and one binder per identity, in order.</summary>
public sealed record TlsOfferedPsks(IReadOnlyList<TlsPskIdentity> Identities, IReadOnlyList<byte[]> Binders)
{
    /// <summary>Bytes of the binders list at the very end of the ClientHello: what a binder's transcript leaves out.</summary>
    public int BindersLength => 2 + Binders.Sum(b => 1 + b.Length);
}

/// <summary>pre_shared_key (RFC 9846 Section 4.2.11): offered PSKs in ClientHello, the chosen one in ServerHello.</summary>
/// <remarks>
/// <code>
///    struct {
///        opaque identity&lt;1..2^16-1&gt;;
///        uint32 obfuscated_ticket_age;
///    } PskIdentity;
///
///    opaque PskBinderEntry&lt;32..255&gt;;
///
///    struct {
///        PskIdentity identities&lt;7..2^16-1&gt;;
///        PskBinderEntry binders&lt;33..2^16-1&gt;;
///    } OfferedPsks;
///
///    struct {
///        select (Handshake.msg_type) {
///            case client_hello: OfferedPsks;
///            case server_hello: uint16 selected_identity;
///        };
///    } PreSharedKeyExtension;
/// </code>
/// "The "pre_shared_key" extension MUST be the last extension in the ClientHello."
/// </remarks>
internal static class PreSharedKeyExtension
{
    public static TlsExtension CreateClient(TlsOfferedPsks offered)
    {
        var writer = new TlsWriter();
        var identities = writer.BeginVector(2);
        foreach (var identity in offered.Identities)
        {
            writer.WriteVector16(identity.Identity);
            writer.WriteUInt32(identity.ObfuscatedTicketAge);
        }

        writer.EndVector(identities);
        var binders = writer.BeginVector(2);
        foreach (var binder in offered.Binders)
        {
            writer.WriteVector8(binder);
        }

        writer.EndVector(binders);
        return new TlsExtension(TlsExtensionType.PreSharedKey, writer.ToArray());
    }

    public static TlsExtension CreateServer(ushort selectedIdentity)
    {
        var writer = new TlsWriter();
        writer.WriteUInt16(selectedIdentity);
        return new TlsExtension(TlsExtensionType.PreSharedKey, writer.ToArray());
    }

    public static TlsOfferedPsks ReadClient(ref TlsReader reader)
    {
        var identityBytes = new TlsReader(reader.ReadVector16(7, ushort.MaxValue, "pre_shared_key identities"));
        var identities = new List<TlsPskIdentity>();
        while (!identityBytes.IsEmpty)
        {
            var identity = identityBytes.ReadVector16(1, ushort.MaxValue, "PskIdentity.identity").ToArray();
            identities.Add(new TlsPskIdentity(identity, identityBytes.ReadUInt32()));
        }

        var binderBytes = new TlsReader(reader.ReadVector16(33, ushort.MaxValue, "pre_shared_key binders"));
        var binders = new List<byte[]>();
        while (!binderBytes.IsEmpty)
        {
            binders.Add(binderBytes.ReadVector8(32, byte.MaxValue, "PskBinderEntry").ToArray());
        }

        if (binders.Count != identities.Count)
        {
            throw TlsAlertException.Illegal($"pre_shared_key offers {identities.Count} identities and {binders.Count} binders");
        }

        return new TlsOfferedPsks(identities, binders);
    }

    public static ushort ReadServer(ReadOnlySpan<byte> data)
    {
        var reader = new TlsReader(data);
        var selected = reader.ReadUInt16();
        reader.EnsureEnd("pre_shared_key");
        return selected;
    }
}

/// <summary>psk_key_exchange_modes (RFC 9846 Section 4.2.9): hxi offers and accepts only psk_dhe_ke.</summary>
/// <remarks>
/// <code>
///    enum { psk_ke(0), psk_dhe_ke(1), (255) } PskKeyExchangeMode;
///
///    struct {
///        PskKeyExchangeMode ke_modes&lt;1..255&gt;;
///    } PskKeyExchangeModes;
/// </code>
/// </remarks>
internal static class PskKeyExchangeModesExtension
{
    /// <summary>PSK with (EC)DHE: forward secrecy even when a ticket key leaks.</summary>
    public const byte PskDheKe = 1;

    public static TlsExtension Create()
    {
        var writer = new TlsWriter();
        writer.WriteVector8([PskDheKe]);
        return new TlsExtension(TlsExtensionType.PskKeyExchangeModes, writer.ToArray());
    }

    public static byte[] Read(ref TlsReader reader) => reader.ReadVector8(1, byte.MaxValue, "ke_modes").ToArray();
}
