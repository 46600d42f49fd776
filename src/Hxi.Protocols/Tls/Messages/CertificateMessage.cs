namespace Hxi.Protocols.Tls;

/// <summary>One certificate of the chain, DER bytes, and its per-certificate extensions.</summary>
public sealed record TlsCertificateEntry(byte[] Data, IReadOnlyList<TlsExtension> Extensions);

/// <summary>Certificate (RFC 9846 Section 4.4.2): the sender's chain, leaf first.</summary>
/// <remarks>
/// <code>
///    struct {
///        opaque cert_data&lt;1..2^24-1&gt;;          /* X509 */
///        Extension extensions&lt;0..2^16-1&gt;;
///    } CertificateEntry;
///
///    struct {
///        opaque certificate_request_context&lt;0..2^8-1&gt;;
///        CertificateEntry certificate_list&lt;0..2^24-1&gt;;
///    } Certificate;
/// </code>
/// </remarks>
public sealed record CertificateMessage(byte[] RequestContext, IReadOnlyList<TlsCertificateEntry> Entries) : TlsHandshakeMessage
{
    public override TlsHandshakeType Type => TlsHandshakeType.Certificate;

    internal static CertificateMessage Read(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var context = reader.ReadVector8(0, byte.MaxValue, "certificate_request_context").ToArray();
        var list = new TlsReader(reader.ReadVector24(0, 0xFFFFFF, "certificate_list"));
        reader.EnsureEnd("Certificate");
        var entries = new List<TlsCertificateEntry>();
        while (!list.IsEmpty)
        {
            var data = list.ReadVector24(1, 0xFFFFFF, "cert_data").ToArray();
            var extensions = TlsExtensionBlock.Read(ref list, 0, "CertificateEntry");
            entries.Add(new TlsCertificateEntry(data, extensions));
        }

        return new CertificateMessage(context, entries);
    }

    internal override void WriteBody(TlsWriter writer)
    {
        writer.WriteVector8(RequestContext);
        var list = writer.BeginVector(3);
        foreach (var entry in Entries)
        {
            writer.WriteVector24(entry.Data);
            TlsExtensionBlock.Write(writer, entry.Extensions);
        }

        writer.EndVector(list);
    }
}
