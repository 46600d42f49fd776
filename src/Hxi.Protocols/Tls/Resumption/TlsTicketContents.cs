namespace Hxi.Protocols.Tls;

/// <summary>What a server seals into a self-contained ticket: everything it needs to resume without remembering the session.</summary>
/// <remarks>
/// <code>
///    struct {
///        uint8 version = 1;
///        opaque ticket_id[16];             /* the anti-replay key */
///        uint16 cipher_suite;
///        uint64 issued_at_ms;              /* the server's own clock */
///        uint32 lifetime_seconds;
///        uint32 age_add;
///        uint8 allows_early_data;
///        opaque psk&lt;32..48&gt;;
///        opaque alpn&lt;0..255&gt;;
///        opaque server_name&lt;0..255&gt;;
///        opaque early_data_context&lt;0..2^16-1&gt;;   /* QUIC: the transport parameters 0-RTT may rely on */
///    } TicketContents;
/// </code>
/// </remarks>
public sealed record TlsTicketContents(
    byte[] TicketId,
    TlsCipherSuite CipherSuite,
    TimeSpan IssuedAt,
    uint LifetimeSeconds,
    uint AgeAdd,
    bool AllowsEarlyData,
    byte[] Psk,
    string? ApplicationProtocol,
    string? ServerName,
    byte[] EarlyDataContext)
{
    private const byte Version = 1;

    public TimeSpan ExpiresAt => IssuedAt + TimeSpan.FromSeconds(LifetimeSeconds);

    internal byte[] Encode()
    {
        var writer = new TlsWriter();
        writer.WriteUInt8(Version);
        writer.WriteBytes(TicketId);
        writer.WriteUInt16((ushort)CipherSuite);
        var issued = (ulong)IssuedAt.TotalMilliseconds;
        writer.WriteUInt32((uint)(issued >> 32));
        writer.WriteUInt32((uint)issued);
        writer.WriteUInt32(LifetimeSeconds);
        writer.WriteUInt32(AgeAdd);
        writer.WriteUInt8(AllowsEarlyData ? (byte)1 : (byte)0);
        writer.WriteVector8(Psk);
        writer.WriteVector8(System.Text.Encoding.ASCII.GetBytes(ApplicationProtocol ?? ""));
        writer.WriteVector8(System.Text.Encoding.ASCII.GetBytes(ServerName ?? ""));
        writer.WriteVector16(EarlyDataContext);
        return writer.ToArray();
    }

    /// <summary>Decodes opened ticket bytes; false for anything this server would not have written.</summary>
    internal static bool TryDecode(ReadOnlySpan<byte> bytes, out TlsTicketContents? contents)
    {
        contents = null;
        try
        {
            var reader = new TlsReader(bytes);
            if (reader.ReadUInt8() != Version)
            {
                return false;
            }

            var id = reader.ReadBytes(16).ToArray();
            var suite = (TlsCipherSuite)reader.ReadUInt16();
            var issued = ((ulong)reader.ReadUInt32() << 32) | reader.ReadUInt32();
            var lifetime = reader.ReadUInt32();
            var ageAdd = reader.ReadUInt32();
            var early = reader.ReadUInt8() == 1;
            var psk = reader.ReadVector8(32, 48, "psk").ToArray();
            var alpn = System.Text.Encoding.ASCII.GetString(reader.ReadVector8(0, 255, "alpn"));
            var name = System.Text.Encoding.ASCII.GetString(reader.ReadVector8(0, 255, "server_name"));
            var context = reader.ReadVector16(0, ushort.MaxValue, "early_data_context").ToArray();
            reader.EnsureEnd("ticket");
            if (!TlsCipherSuites.IsKnown((ushort)suite) || issued > (ulong)TimeSpan.MaxValue.TotalMilliseconds / 2)
            {
                return false;
            }

            contents = new TlsTicketContents(id, suite, TimeSpan.FromMilliseconds(issued), lifetime, ageAdd, early, psk,
                alpn.Length == 0 ? null : alpn, name.Length == 0 ? null : name, context);
            return true;
        }
        catch (TlsAlertException)
        {
            return false;
        }
    }
}
