namespace Hxi.Protocols.Tls;

/// <summary>Finished (RFC 9846 Section 4.4.4): an HMAC over the transcript that proves nobody tampered with it.</summary>
/// <remarks>
/// <code>
///    struct {
///        opaque verify_data[Hash.length];
///    } Finished;
/// </code>
/// The length depends on the negotiated hash, so the handshake checks it, not the decoder.
/// </remarks>
public sealed record Finished(byte[] VerifyData) : TlsHandshakeMessage
{
    public override TlsHandshakeType Type => TlsHandshakeType.Finished;

    internal static Finished Read(ReadOnlySpan<byte> body) => new(body.ToArray());

    internal override void WriteBody(TlsWriter writer) => writer.WriteBytes(VerifyData);
}
