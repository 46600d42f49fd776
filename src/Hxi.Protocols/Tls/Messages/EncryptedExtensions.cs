namespace Hxi.Protocols.Tls;

/// <summary>EncryptedExtensions (RFC 9846 Section 4.3.1): ALPN and QUIC transport parameters, among others.</summary>
/// <remarks>
/// <code>
///    struct {
///        Extension extensions&lt;0..2^16-1&gt;;
///    } EncryptedExtensions;
/// </code>
/// </remarks>
public sealed record EncryptedExtensions : TlsHandshakeMessage
{
    public EncryptedExtensions(IReadOnlyList<TlsExtension> extensions)
    {
        Extensions = extensions;
        Alpn = TlsExtensionBlock.Decode(extensions, TlsExtensionType.ApplicationLayerProtocolNegotiation, AlpnExtension.Read);
        TransportParameters = TlsExtensionBlock.Find(extensions, TlsExtensionType.QuicTransportParameters);
        var earlyData = TlsExtensionBlock.Find(extensions, TlsExtensionType.EarlyData);
        if (earlyData is { Length: > 0 })
        {
            throw TlsAlertException.Decode("early_data in EncryptedExtensions must be empty");
        }

        AcceptsEarlyData = earlyData is not null;
    }

    public override TlsHandshakeType Type => TlsHandshakeType.EncryptedExtensions;

    public IReadOnlyList<TlsExtension> Extensions { get; }

    /// <summary>The server's ALPN answer; valid only when it holds exactly one name (checked by the client).</summary>
    public IReadOnlyList<string>? Alpn { get; }

    public byte[]? TransportParameters { get; }

    /// <summary>The server accepted the client's 0-RTT data (an empty early_data, RFC 9846 Section 4.2.10).</summary>
    public bool AcceptsEarlyData { get; }

    internal static EncryptedExtensions Read(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var extensions = TlsExtensionBlock.Read(ref reader, 0, "EncryptedExtensions");
        reader.EnsureEnd("EncryptedExtensions");
        return new EncryptedExtensions(extensions);
    }

    internal override void WriteBody(TlsWriter writer) => TlsExtensionBlock.Write(writer, Extensions);
}
