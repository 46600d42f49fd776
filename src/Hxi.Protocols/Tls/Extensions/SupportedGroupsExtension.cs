namespace Hxi.Protocols.Tls;

/// <summary>supported_groups (RFC 9846 Section 4.2.7).</summary>
/// <remarks>
/// <code>
///    struct {
///        NamedGroup named_group_list&lt;2..2^16-1&gt;;
///    } NamedGroupList;
/// </code>
/// </remarks>
internal static class SupportedGroupsExtension
{
    public static TlsExtension Create(IEnumerable<TlsNamedGroup> groups)
    {
        var writer = new TlsWriter();
        var list = writer.BeginVector(2);
        foreach (var group in groups)
        {
            writer.WriteUInt16((ushort)group);
        }

        writer.EndVector(list);
        return new TlsExtension(TlsExtensionType.SupportedGroups, writer.ToArray());
    }

    public static IReadOnlyList<TlsNamedGroup> Read(ref TlsReader reader)
    {
        var list = new TlsReader(reader.ReadVector16(2, ushort.MaxValue, "named_group_list"));
        if (list.Remaining % 2 != 0)
        {
            throw TlsAlertException.Decode("named_group_list has an odd length");
        }

        var groups = new List<TlsNamedGroup>();
        while (!list.IsEmpty)
        {
            groups.Add((TlsNamedGroup)list.ReadUInt16());
        }

        return groups;
    }
}
