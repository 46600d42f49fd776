using System.Security.Cryptography;

namespace Hxi.Protocols.Tls;

/// <summary>
/// A server's session tickets (RFC 9846 Section 4.6.1): self-contained, sealed with AES-256-GCM under a key only this
/// server holds, so resuming needs no per-session memory; and the anti-replay table for 0-RTT (Section 8.1, single-use
/// tickets): 0-RTT is accepted at most once per ticket, and not at all when the table is full. Shared by every
/// connection of a server, so it locks.
/// </summary>
public sealed class TlsServerTickets
{
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] AssociatedData = "hxi session ticket v1"u8.ToArray();

    private readonly byte[] key;
    private readonly Dictionary<string, TimeSpan> earlyDataClaims = [];
    private readonly Lock claimsLock = new();

    /// <param name="key">32 bytes; null draws one, so tickets die with the process.</param>
    public TlsServerTickets(byte[]? key = null)
    {
        if (key is not null && key.Length != 32)
        {
            throw new ArgumentException("a ticket key is 32 bytes", nameof(key));
        }

        this.key = key ?? RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>ticket_lifetime; at most 7 days (Section 4.6.1).</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Tickets say early_data with max_early_data_size 0xffffffff (RFC 9001 Section 4.6.1), and 0-RTT is accepted.</summary>
    public bool AllowEarlyData { get; init; } = true;

    /// <summary>Tickets whose 0-RTT was accepted and which have not expired, at most; beyond, 0-RTT is rejected.</summary>
    public int MaxEarlyDataClaims { get; init; } = 10_000;

    /// <summary>How far the client's idea of the ticket age may be from the server's (Section 8.3) for 0-RTT.</summary>
    public TimeSpan FreshnessWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Counters for tests and the server's statistics.</summary>
    public int EarlyDataClaimCount
    {
        get
        {
            lock (claimsLock)
            {
                return earlyDataClaims.Count;
            }
        }
    }

    public byte[] Seal(TlsTicketContents contents)
    {
        var plain = contents.Encode();
        var sealedTicket = new byte[NonceLength + plain.Length + TagLength];
        var nonce = sealedTicket.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aead = new AesGcm(key, TagLength);
        aead.Encrypt(nonce, plain, sealedTicket.AsSpan(NonceLength, plain.Length), sealedTicket.AsSpan(NonceLength + plain.Length), AssociatedData);
        return sealedTicket;
    }

    /// <summary>Opens a ticket this server sealed; false for a forged, damaged or foreign one (then: a full handshake).</summary>
    public bool TryOpen(ReadOnlySpan<byte> ticket, out TlsTicketContents? contents)
    {
        contents = null;
        if (ticket.Length < NonceLength + TagLength + 1)
        {
            return false;
        }

        var plainLength = ticket.Length - NonceLength - TagLength;
        var plain = new byte[plainLength];
        using var aead = new AesGcm(key, TagLength);
        try
        {
            aead.Decrypt(ticket[..NonceLength], ticket.Slice(NonceLength, plainLength), ticket[(NonceLength + plainLength)..], plain, AssociatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        return TlsTicketContents.TryDecode(plain, out contents);
    }

    /// <summary>
    /// Claims the ticket's one 0-RTT: true the first time, false on a replay, or when the table is full of unexpired
    /// claims (a bounded table must refuse rather than forget, or a forgotten ticket could be replayed).
    /// </summary>
    public bool TryClaimEarlyData(TlsTicketContents ticket, TimeSpan now)
    {
        var id = Convert.ToHexString(ticket.TicketId);
        lock (claimsLock)
        {
            if (earlyDataClaims.ContainsKey(id))
            {
                return false;
            }

            if (earlyDataClaims.Count >= MaxEarlyDataClaims)
            {
                foreach (var (claimed, expires) in earlyDataClaims.ToList())
                {
                    if (expires <= now)
                    {
                        earlyDataClaims.Remove(claimed);
                    }
                }

                if (earlyDataClaims.Count >= MaxEarlyDataClaims)
                {
                    return false;
                }
            }

            earlyDataClaims[id] = ticket.ExpiresAt;
            return true;
        }
    }
}
