namespace Hxi.Protocols.Tls;

/// <summary>CertificateRequest (RFC 9846 Section 4.3.2): hxi has no client certificate and answers with an empty Certificate.</summary>
/// <remarks>
/// <code>
///    struct {
///        opaque certificate_request_context&lt;0..2^8-1&gt;;
///        Extension extensions&lt;2..2^16-1&gt;;
///    } CertificateRequest;
/// </code>
/// </remarks>
public sealed record CertificateRequestMessage(byte[] RequestContext, IReadOnlyList<TlsExtension> Extensions) : TlsHandshakeMessage
{
    public override TlsHandshakeType Type => TlsHandshakeType.CertificateRequest;

    internal static CertificateRequestMessage Read(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var context = reader.ReadVector8(0, byte.MaxValue, "certificate_request_context").ToArray();
        var extensions = TlsExtensionBlock.Read(ref reader, 2, "CertificateRequest");
        reader.EnsureEnd("CertificateRequest");
        if (TlsExtensionBlock.Find(extensions, TlsExtensionType.SignatureAlgorithms) is null)
        {
            throw new TlsAlertException(TlsAlertDescription.MissingExtension, "CertificateRequest without signature_algorithms");
        }

        return new CertificateRequestMessage(context, extensions);
    }

    internal override void WriteBody(TlsWriter writer)
    {
        writer.WriteVector8(RequestContext);
        TlsExtensionBlock.Write(writer, Extensions);
    }
}
