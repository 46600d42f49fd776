namespace Hxi.Protocols.Tls;

/// <summary>signature_algorithms and signature_algorithms_cert (RFC 9846 Section 4.2.3).</summary>
/// <remarks>
/// <code>
///    struct {
///        SignatureScheme supported_signature_algorithms&lt;2..2^16-2&gt;;
///    } SignatureSchemeList;
/// </code>
/// </remarks>
internal static class SignatureAlgorithmsExtension
{
    public static TlsExtension Create(TlsExtensionType type, IEnumerable<TlsSignatureScheme> schemes)
    {
        var writer = new TlsWriter();
        var list = writer.BeginVector(2);
        foreach (var scheme in schemes)
        {
            writer.WriteUInt16((ushort)scheme);
        }

        writer.EndVector(list);
        return new TlsExtension(type, writer.ToArray());
    }

    public static IReadOnlyList<TlsSignatureScheme> Read(ref TlsReader reader)
    {
        var list = new TlsReader(reader.ReadVector16(2, ushort.MaxValue - 1, "supported_signature_algorithms"));
        if (list.Remaining % 2 != 0)
        {
            throw TlsAlertException.Decode("supported_signature_algorithms has an odd length");
        }

        var schemes = new List<TlsSignatureScheme>();
        while (!list.IsEmpty)
        {
            schemes.Add((TlsSignatureScheme)list.ReadUInt16());
        }

        return schemes;
    }
}
