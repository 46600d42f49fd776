using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

/// <summary>Lookups into the QPACK static table; unlike HPACK's, it is indexed from 0 (RFC 9204 Section 3.1).</summary>
public static partial class QpackStaticTable
{
    /// <summary>The entry at <paramref name="index"/>; the caller has checked it is below <see cref="Count"/>.</summary>
    public static HeaderField Get(int index) => Entries[index];

    public static bool TryGet(int index, out HeaderField field)
    {
        if ((uint)index < Count)
        {
            field = Entries[index];
            return true;
        }

        field = default;
        return false;
    }

    public static bool TryGetIndex(HeaderField field, out int index) => Lookup.FieldIndexes.TryGetValue(field, out index);

    public static bool TryGetNameIndex(string name, out int index) => Lookup.NameIndexes.TryGetValue(name, out index);

    // A nested type so the maps are built after Entries: static fields of a partial class in two files have no defined order.
    private static class Lookup
    {
        // The encoder asks for exact matches and for names; the first (lowest) index wins because it encodes shortest.
        public static readonly Dictionary<HeaderField, int> FieldIndexes = BuildFieldIndexes();
        public static readonly Dictionary<string, int> NameIndexes = BuildNameIndexes();
    }

    private static Dictionary<HeaderField, int> BuildFieldIndexes()
    {
        var map = new Dictionary<HeaderField, int>(Count);
        for (int i = Count - 1; i >= 0; i--)
        {
            map[Entries[i]] = i;
        }

        return map;
    }

    private static Dictionary<string, int> BuildNameIndexes()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = Count - 1; i >= 0; i--)
        {
            map[Entries[i].Name] = i;
        }

        return map;
    }
}
