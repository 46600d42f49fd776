namespace Hxi.Protocols.Tls;

/// <summary>
/// What a client keeps from a NewSessionTicket to resume later (RFC 9846 Sections 4.6.1 and 2.2): the opaque ticket,
/// the PSK it stands for, and the context it was issued in (suite, ALPN, SNI), plus the server's QUIC transport
/// parameters that 0-RTT must respect (RFC 9000 Section 7.4.1).
/// </summary>
public sealed record TlsSessionTicket
{
    /// <summary>The server's opaque ticket: sent back as the PSK identity.</summary>
    public required byte[] Ticket { get; init; }

    /// <summary>HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce): the PSK itself. A secret.</summary>
    public required byte[] Psk { get; init; }

    public required TlsCipherSuite CipherSuite { get; init; }

    /// <summary>The application protocol of the connection that got the ticket; 0-RTT needs the same (Section 4.2.10).</summary>
    public string? ApplicationProtocol { get; init; }

    /// <summary>The server name the ticket was issued for; it is offered only to the same name.</summary>
    public string? ServerName { get; init; }

    /// <summary>max_early_data_size from the ticket's early_data extension; null when the server allows no 0-RTT.</summary>
    public uint? MaxEarlyDataSize { get; init; }

    public uint AgeAdd { get; init; }

    public uint LifetimeSeconds { get; init; }

    /// <summary>When the ticket arrived, by the client's wall clock: the ticket age counts from here.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The server's encoded quic_transport_parameters from the connection that got the ticket.</summary>
    public byte[]? PeerTransportParameters { get; init; }

    /// <summary>QUIC allows 0-RTT only with max_early_data_size 0xffffffff (RFC 9001 Section 4.6.1).</summary>
    public bool AllowsEarlyData => MaxEarlyDataSize == uint.MaxValue;

    /// <summary>
    /// Past its lifetime (Section 4.6.1). A ticket that seems to come from the future is not expired: its age counts as
    /// zero, as <see cref="ObfuscatedAgeAt"/> sends it. The wall clock may step back, and a connection's clock (its start
    /// plus monotonic time) may run ahead of the next connection's start by a few milliseconds; the server judges the
    /// age against its own clock anyway.
    /// </summary>
    public bool IsExpiredAt(DateTimeOffset now) => now - ReceivedAt > TimeSpan.FromSeconds(LifetimeSeconds);

    /// <summary>obfuscated_ticket_age: the age in milliseconds plus ticket_age_add, modulo 2^32 (Section 4.2.11.1).</summary>
    public uint ObfuscatedAgeAt(DateTimeOffset now) =>
        unchecked((uint)(long)Math.Max(0, (now - ReceivedAt).TotalMilliseconds) + AgeAdd);
}
