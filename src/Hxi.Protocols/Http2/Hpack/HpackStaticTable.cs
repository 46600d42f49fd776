using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2.Hpack;

/// <summary>The 61 predefined entries of RFC 7541 Appendix A, indexed from 1.</summary>
public static class HpackStaticTable
{
    public const int Count = 61;

    private static readonly HeaderField[] Entries =
    [
        new(":authority", ""),
        new(":method", "GET"),
        new(":method", "POST"),
        new(":path", "/"),
        new(":path", "/index.html"),
        new(":scheme", "http"),
        new(":scheme", "https"),
        new(":status", "200"),
        new(":status", "204"),
        new(":status", "206"),
        new(":status", "304"),
        new(":status", "400"),
        new(":status", "404"),
        new(":status", "500"),
        new("accept-charset", ""),
        new("accept-encoding", "gzip, deflate"),
        new("accept-language", ""),
        new("accept-ranges", ""),
        new("accept", ""),
        new("access-control-allow-origin", ""),
        new("age", ""),
        new("allow", ""),
        new("authorization", ""),
        new("cache-control", ""),
        new("content-disposition", ""),
        new("content-encoding", ""),
        new("content-language", ""),
        new("content-length", ""),
        new("content-location", ""),
        new("content-range", ""),
        new("content-type", ""),
        new("cookie", ""),
        new("date", ""),
        new("etag", ""),
        new("expect", ""),
        new("expires", ""),
        new("from", ""),
        new("host", ""),
        new("if-match", ""),
        new("if-modified-since", ""),
        new("if-none-match", ""),
        new("if-range", ""),
        new("if-unmodified-since", ""),
        new("last-modified", ""),
        new("link", ""),
        new("location", ""),
        new("max-forwards", ""),
        new("proxy-authenticate", ""),
        new("proxy-authorization", ""),
        new("range", ""),
        new("referer", ""),
        new("refresh", ""),
        new("retry-after", ""),
        new("server", ""),
        new("set-cookie", ""),
        new("strict-transport-security", ""),
        new("transfer-encoding", ""),
        new("user-agent", ""),
        new("vary", ""),
        new("via", ""),
        new("www-authenticate", ""),
    ];

    // The encoder looks up every field it sends; these make that a hash lookup instead of a scan.
    private static readonly Dictionary<HeaderField, int> IndexByField = BuildFieldIndex();
    private static readonly Dictionary<string, int> IndexByName = BuildNameIndex();

    /// <summary>The entry at a 1-based index (1 to <see cref="Count"/>).</summary>
    public static HeaderField Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Count);
        return Entries[index - 1];
    }

    /// <summary>The index of the entry with exactly this name and value.</summary>
    public static bool TryGetIndex(HeaderField field, out int index) => IndexByField.TryGetValue(field, out index);

    /// <summary>The lowest index of an entry with this name (names are matched exactly, case included).</summary>
    public static bool TryGetNameIndex(string name, out int index) => IndexByName.TryGetValue(name, out index);

    private static Dictionary<HeaderField, int> BuildFieldIndex()
    {
        var index = new Dictionary<HeaderField, int>(Count);
        for (int i = 0; i < Entries.Length; i++)
        {
            index.TryAdd(Entries[i], i + 1);
        }

        return index;
    }

    private static Dictionary<string, int> BuildNameIndex()
    {
        var index = new Dictionary<string, int>(Count, StringComparer.Ordinal);
        for (int i = 0; i < Entries.Length; i++)
        {
            index.TryAdd(Entries[i].Name, i + 1);
        }

        return index;
    }
}
