namespace Hxi.Protocols.Tls;

/// <summary>Codec for an extension list (RFC 9846 Section 4.2).</summary>
/// <remarks>
/// <code>
///    struct {
///        ExtensionType extension_type;
///        opaque extension_data&lt;0..2^16-1&gt;;
///    } Extension;
///
///    Extension extensions&lt;min..2^16-1&gt;;
/// </code>
/// "There MUST NOT be more than one extension of the same type in a given extension block":
/// a duplicate is an illegal_parameter, whatever its type.
/// </remarks>
internal static class TlsExtensionBlock
{
    public static IReadOnlyList<TlsExtension> Read(ref TlsReader reader, int min, string where)
    {
        var block = new TlsReader(reader.ReadVector16(min, ushort.MaxValue, $"{where} extensions"));
        var extensions = new List<TlsExtension>();
        var seen = new HashSet<ushort>();
        while (!block.IsEmpty)
        {
            var type = block.ReadUInt16();
            var data = block.ReadVector16(0, ushort.MaxValue, $"extension {TlsExtensionTypes.Name(type)}");
            if (!seen.Add(type))
            {
                throw TlsAlertException.Illegal($"{where} carries extension {TlsExtensionTypes.Name(type)} twice");
            }

            extensions.Add(new TlsExtension(type, data.ToArray()));
        }

        return extensions;
    }

    public static void Write(TlsWriter writer, IReadOnlyList<TlsExtension> extensions)
    {
        var block = writer.BeginVector(2);
        foreach (var extension in extensions)
        {
            writer.WriteUInt16(extension.Type);
            writer.WriteVector16(extension.Data);
        }

        writer.EndVector(block);
    }

    public static byte[]? Find(IReadOnlyList<TlsExtension> extensions, TlsExtensionType type)
    {
        foreach (var extension in extensions)
        {
            if (extension.Type == (ushort)type)
            {
                return extension.Data;
            }
        }

        return null;
    }

    /// <summary>Decodes an extension's body with <paramref name="read"/>, insisting it is consumed exactly.</summary>
    public static T? Decode<T>(IReadOnlyList<TlsExtension> extensions, TlsExtensionType type, ReadBody<T> read)
        where T : class?
    {
        var data = Find(extensions, type);
        if (data is null)
        {
            return null;
        }

        var reader = new TlsReader(data);
        var value = read(ref reader);
        reader.EnsureEnd(TlsExtensionTypes.Name((ushort)type));
        return value;
    }

    public delegate T ReadBody<T>(ref TlsReader reader);
}
