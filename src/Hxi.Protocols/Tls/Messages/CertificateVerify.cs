namespace Hxi.Protocols.Tls;

/// <summary>CertificateVerify (RFC 9846 Section 4.4.3): a signature over the transcript with the leaf key.</summary>
/// <remarks>
/// <code>
///    struct {
///        SignatureScheme algorithm;
///        opaque signature&lt;0..2^16-1&gt;;
///    } CertificateVerify;
/// </code>
/// </remarks>
public sealed record CertificateVerify(TlsSignatureScheme Algorithm, byte[] Signature) : TlsHandshakeMessage
{
    public override TlsHandshakeType Type => TlsHandshakeType.CertificateVerify;

    internal static CertificateVerify Read(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var algorithm = (TlsSignatureScheme)reader.ReadUInt16();
        var signature = reader.ReadVector16(0, ushort.MaxValue, "signature").ToArray();
        reader.EnsureEnd("CertificateVerify");
        return new CertificateVerify(algorithm, signature);
    }

    internal override void WriteBody(TlsWriter writer)
    {
        writer.WriteUInt16((ushort)Algorithm);
        writer.WriteVector16(Signature);
    }
}
