namespace Hxi.Protocols.Tls;

/// <summary>NewSessionTicket (RFC 9846 Section 4.6.1): parsed and shown; hxi does not resume sessions.</summary>
/// <remarks>
/// <code>
///    struct {
///        uint32 ticket_lifetime;
///        uint32 ticket_age_add;
///        opaque ticket_nonce&lt;0..255&gt;;
///        opaque ticket&lt;1..2^16-1&gt;;
///        Extension extensions&lt;0..2^16-1&gt;;
///    } NewSessionTicket;
/// </code>
/// </remarks>
public sealed record NewSessionTicket(uint LifetimeSeconds, uint AgeAdd, byte[] Nonce, byte[] Ticket, IReadOnlyList<TlsExtension> Extensions)
    : TlsHandshakeMessage
{
    /// <summary>"Servers MUST NOT use any value greater than 604800 seconds (7 days)."</summary>
    public const uint MaxLifetimeSeconds = 604800;

    public override TlsHandshakeType Type => TlsHandshakeType.NewSessionTicket;

    /// <summary>early_data's max_early_data_size; QUIC requires 0xffffffff when present (RFC 9001 Section 4.6.1).</summary>
    public uint? MaxEarlyDataSize
    {
        get
        {
            var data = TlsExtensionBlock.Find(Extensions, TlsExtensionType.EarlyData);
            return data is { Length: 4 } ? (uint)((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) : null;
        }
    }

    internal static NewSessionTicket Read(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var lifetime = reader.ReadUInt32();
        var ageAdd = reader.ReadUInt32();
        var nonce = reader.ReadVector8(0, byte.MaxValue, "ticket_nonce").ToArray();
        var ticket = reader.ReadVector16(1, ushort.MaxValue, "ticket").ToArray();
        var extensions = TlsExtensionBlock.Read(ref reader, 0, "NewSessionTicket");
        reader.EnsureEnd("NewSessionTicket");
        if (lifetime > MaxLifetimeSeconds)
        {
            throw TlsAlertException.Illegal($"ticket_lifetime {lifetime} s exceeds 7 days");
        }

        var earlyData = TlsExtensionBlock.Find(extensions, TlsExtensionType.EarlyData);
        if (earlyData is not null && earlyData.Length != 4)
        {
            throw TlsAlertException.Decode("early_data in NewSessionTicket must hold a uint32");
        }

        return new NewSessionTicket(lifetime, ageAdd, nonce, ticket, extensions);
    }

    internal override void WriteBody(TlsWriter writer)
    {
        writer.WriteUInt32(LifetimeSeconds);
        writer.WriteUInt32(AgeAdd);
        writer.WriteVector8(Nonce);
        writer.WriteVector16(Ticket);
        TlsExtensionBlock.Write(writer, Extensions);
    }
}
