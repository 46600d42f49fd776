using System.Text.Json;
using System.Text.Json.Serialization;
using Hxi.Protocols.Tls;

namespace Hxi.Net.Quic;

/// <summary>
/// --session FILE: TLS session tickets kept between runs, one per origin (https://host:port), as a small JSON file
/// of mode 0600 since each ticket holds its PSK. A ticket is taken out when used (RFC 9846 Appendix C.4: a client
/// uses a ticket once), and the one the new connection receives is put back. Thread-safe: tickets arrive on a driver thread.
/// </summary>
public sealed class SessionTicketFile
{
    private readonly Dictionary<string, SessionTicketRecord> _tickets;
    private readonly Lock _lock = new();

    private SessionTicketFile(string path, Dictionary<string, SessionTicketRecord> tickets)
    {
        Path = path;
        _tickets = tickets;
    }

    public string Path { get; }

    /// <summary>Tickets now held, by origin.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _tickets.Count;
            }
        }
    }

    /// <summary>Reads FILE; a missing or empty file is an empty store, an unreadable one a usage error naming it.</summary>
    public static SessionTicketFile Load(string path)
    {
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length == 0)
            {
                return new SessionTicketFile(path, new(StringComparer.OrdinalIgnoreCase));
            }

            var document = JsonSerializer.Deserialize(File.ReadAllBytes(path), SessionFileJson.Default.SessionFileDocument);
            var tickets = new Dictionary<string, SessionTicketRecord>(StringComparer.OrdinalIgnoreCase);
            foreach (var (origin, record) in document?.Tickets ?? [])
            {
                if (record is not null)
                {
                    tickets[origin] = record;
                }
            }

            return new SessionTicketFile(path, tickets);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new Client.HxiException(Client.FailureKind.Usage, $"--session {path}: not a session file hxi can read ({ex.Message})", ex);
        }
    }

    public static string Origin(Uri url) => $"https://{url.IdnHost}:{url.Port}";

    /// <summary>Takes the origin's ticket out of the store, if it holds one that is well-formed and not expired.</summary>
    public TlsSessionTicket? Take(Uri url, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_tickets.Remove(Origin(url), out var record))
            {
                return null;
            }

            var ticket = record.ToTicket();
            return ticket is null || ticket.IsExpiredAt(now) ? null : ticket;
        }
    }

    public void Put(Uri url, TlsSessionTicket ticket)
    {
        lock (_lock)
        {
            _tickets[Origin(url)] = SessionTicketRecord.From(ticket);
        }
    }

    /// <summary>Writes the file (0600, created so before any secret goes in), replacing it whole.</summary>
    public void Save()
    {
        byte[] bytes;
        lock (_lock)
        {
            bytes = JsonSerializer.SerializeToUtf8Bytes(new SessionFileDocument { Tickets = _tickets.ToDictionary(p => p.Key, p => (SessionTicketRecord?)p.Value) }, SessionFileJson.Default.SessionFileDocument);
        }

        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Client.HxiException(Client.FailureKind.Usage, $"--session {Path}: cannot write it ({ex.Message})", ex);
        }
    }
}

/// <summary>The session file: { "version": 1, "tickets": { "https://host:port": { ... } } }.</summary>
public sealed class SessionFileDocument
{
    public int Version { get; set; } = 1;

    public Dictionary<string, SessionTicketRecord?> Tickets { get; set; } = [];
}

/// <summary>One ticket as stored: byte strings in base64, times as ISO 8601.</summary>
public sealed class SessionTicketRecord
{
    public string Ticket { get; set; } = "";

    /// <summary>The resumption PSK: the secret that makes the file 0600.</summary>
    public string Psk { get; set; } = "";

    public ushort CipherSuite { get; set; }

    public string? Alpn { get; set; }

    public string? ServerName { get; set; }

    public uint? MaxEarlyDataSize { get; set; }

    public uint AgeAdd { get; set; }

    public uint LifetimeSeconds { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The server's quic_transport_parameters, remembered for 0-RTT (RFC 9000 Section 7.4.1).</summary>
    public string? TransportParameters { get; set; }

    public static SessionTicketRecord From(TlsSessionTicket t) => new()
    {
        Ticket = Convert.ToBase64String(t.Ticket),
        Psk = Convert.ToBase64String(t.Psk),
        CipherSuite = (ushort)t.CipherSuite,
        Alpn = t.ApplicationProtocol,
        ServerName = t.ServerName,
        MaxEarlyDataSize = t.MaxEarlyDataSize,
        AgeAdd = t.AgeAdd,
        LifetimeSeconds = t.LifetimeSeconds,
        ReceivedAt = t.ReceivedAt,
        TransportParameters = t.PeerTransportParameters is { } p ? Convert.ToBase64String(p) : null,
    };

    /// <summary>The ticket, or null when a field does not hold what hxi wrote (an edited or damaged file).</summary>
    public TlsSessionTicket? ToTicket()
    {
        try
        {
            var psk = Convert.FromBase64String(Psk);
            var ticket = Convert.FromBase64String(Ticket);
            if (ticket.Length == 0 || !TlsCipherSuites.IsKnown(CipherSuite) || psk.Length != TlsCipherSuites.HashLength((TlsCipherSuite)CipherSuite))
            {
                return null;
            }

            return new TlsSessionTicket
            {
                Ticket = ticket,
                Psk = psk,
                CipherSuite = (TlsCipherSuite)CipherSuite,
                ApplicationProtocol = Alpn,
                ServerName = ServerName,
                MaxEarlyDataSize = MaxEarlyDataSize,
                AgeAdd = AgeAdd,
                LifetimeSeconds = Math.Min(LifetimeSeconds, NewSessionTicket.MaxLifetimeSeconds),
                ReceivedAt = ReceivedAt,
                PeerTransportParameters = TransportParameters is { } p ? Convert.FromBase64String(p) : null,
            };
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(SessionFileDocument))]
internal sealed partial class SessionFileJson : JsonSerializerContext;
