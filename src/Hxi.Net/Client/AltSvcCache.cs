using System.Globalization;

namespace Hxi.Net.Client;

/// <summary>One remembered alternative: the origin it came from, where to go instead, and until when.</summary>
/// <param name="SourceAlpn">"h1", "h2" or "h3": the protocol the advertising response came over.</param>
public sealed record AltSvcEntry(string SourceAlpn, string SourceHost, int SourcePort, string Alpn, string Host, int Port, DateTimeOffset Expires, bool Persist)
{
    public bool SameHost => string.Equals(Host, SourceHost, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// --alt-svc: alternatives servers advertised with Alt-Svc, kept in a text file between runs, one per line
/// in curl's alt-svc cache format so either tool can read the other's:
/// <c>h2 localhost 8443 h3 localhost 8443 "20261225 09:00:00" 0 0</c>
/// (source ALPN, host, port; alternative ALPN, host, port; expiry in UTC; persist; priority, always 0).
/// </summary>
public sealed class AltSvcCache
{
    /// <summary>Bounds on what a damaged or hostile file can make hxi hold.</summary>
    public const int MaxEntries = 1000;

    private const int MaxLineLength = 1024;
    private const string ExpiryFormat = "yyyyMMdd HH:mm:ss";

    private readonly List<AltSvcEntry> _entries;

    private AltSvcCache(string path, List<AltSvcEntry> entries)
    {
        Path = path;
        _entries = entries;
    }

    public string Path { get; }

    public IReadOnlyList<AltSvcEntry> Entries => _entries;

    /// <summary>$XDG_CACHE_HOME/hxi/alt-svc, else ~/.cache/hxi/alt-svc.</summary>
    public static string DefaultPath()
    {
        var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathRooted(xdg)
            ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return System.IO.Path.Combine(cacheHome, "hxi", "alt-svc");
    }

    /// <summary>Reads the file, keeping well-formed entries that have not expired; a missing file is an empty cache.</summary>
    public static AltSvcCache Load(string path, DateTimeOffset now)
    {
        var entries = new List<AltSvcEntry>();
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (entries.Count >= MaxEntries)
                {
                    break;
                }

                if (line.Length <= MaxLineLength && TryParseLine(line, out var entry) && entry.Expires > now)
                {
                    entries.Add(entry);
                }
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Nothing remembered yet.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HxiException(FailureKind.Usage, $"--alt-svc {path}: {ex.Message}", ex);
        }

        return new AltSvcCache(path, entries);
    }

    /// <summary>The HTTP/3 alternative to use for an origin, if one is fresh and on the origin's own host.</summary>
    /// <remarks>
    /// An alternative on another host is remembered but not used: hxi would have to connect to one name and
    /// authenticate another (RFC 7838 Section 2.1), which its QUIC connector does not do.
    /// </remarks>
    public AltSvcEntry? FindHttp3(string host, int port, DateTimeOffset now) =>
        _entries.FirstOrDefault(e => e.Alpn == "h3" && e.SameHost && e.SourcePort == port && e.Expires > now
            && string.Equals(e.SourceHost, host, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Applies what one response said: its Alt-Svc replaces every alternative remembered for the origin
    /// (Section 3.1), "clear" removes them. True when the cache changed and should be saved.
    /// </summary>
    public bool Remember(string host, int port, string sourceAlpn, AltSvcField field, DateTimeOffset now)
    {
        if (!field.Clear && field.Alternatives.Count == 0)
        {
            return false;
        }

        var removed = _entries.RemoveAll(e => e.SourcePort == port && string.Equals(e.SourceHost, host, StringComparison.OrdinalIgnoreCase));
        var added = 0;
        foreach (var alternative in field.Alternatives)
        {
            if (_entries.Count >= MaxEntries)
            {
                break;
            }

            var entry = new AltSvcEntry(
                sourceAlpn,
                host,
                port,
                alternative.ProtocolId,
                alternative.Host.Length == 0 ? host : alternative.Host,
                alternative.Port,
                now + alternative.MaxAge,
                alternative.Persist);
            // Caddy repeats its alternative once per bound address; one line is enough.
            if (alternative.MaxAge > TimeSpan.Zero && IsStorable(entry) && !_entries.Any(e => e with { Expires = entry.Expires } == entry))
            {
                _entries.Add(entry);
                added++;
            }
        }

        return removed > 0 || added > 0;
    }

    /// <summary>Remembers the Alt-Svc fields of a response to an https origin; true when the cache changed.</summary>
    public bool RememberFrom(Uri url, ResponseSummary summary, DateTimeOffset now)
    {
        var values = summary.Head.Headers
            .Where(h => string.Equals(h.Name, "alt-svc", StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Value)
            .ToList();
        if (url.Scheme != Uri.UriSchemeHttps || values.Count == 0)
        {
            return false;
        }

        var sourceAlpn = summary.Connection.Protocol switch
        {
            "h2" or "h3" => summary.Connection.Protocol,
            _ => "h1",
        };
        return Remember(url.IdnHost, url.Port, sourceAlpn, AltSvcParser.Parse(values), now);
    }

    /// <summary>Writes the whole cache through a temporary file and a rename, so a reader never sees half a file.</summary>
    public void Save()
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        var lines = _entries.Select(FormatLine).Prepend("# hxi alt-svc cache (curl's format): src-alpn host port alt-alpn host port \"expiry UTC\" persist priority");
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, Path, overwrite: true);
    }

    public static string FormatLine(AltSvcEntry e) =>
        $"{e.SourceAlpn} {e.SourceHost} {e.SourcePort} {e.Alpn} {e.Host} {e.Port} \"{e.Expires.UtcDateTime.ToString(ExpiryFormat, CultureInfo.InvariantCulture)}\" {(e.Persist ? 1 : 0)} 0";

    public static bool TryParseLine(string line, out AltSvcEntry entry)
    {
        entry = null!;
        if (line.StartsWith('#'))
        {
            return false;
        }

        // The expiry is the one quoted field and holds a space; split around it.
        var open = line.IndexOf('"');
        var close = open < 0 ? -1 : line.IndexOf('"', open + 1);
        if (close < 0)
        {
            return false;
        }

        var before = line[..open].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var after = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (before.Length != 6 || after.Length < 1
            || !TryPort(before[2], out var sourcePort) || !TryPort(before[5], out var port)
            || !DateTime.TryParseExact(line[(open + 1)..close], ExpiryFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var expires))
        {
            return false;
        }

        entry = new AltSvcEntry(before[0], before[1], sourcePort, before[3], before[4], port, new DateTimeOffset(expires, TimeSpan.Zero), after[0] == "1");
        return IsStorable(entry);
    }

    /// <summary>Every field must survive a round trip through the space-separated line.</summary>
    private static bool IsStorable(AltSvcEntry e) =>
        new[] { e.SourceAlpn, e.SourceHost, e.Alpn, e.Host }.All(field =>
            field.Length is > 0 and <= 255 && field.All(c => c > ' ' && c < 0x7f && c != '"'));

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
