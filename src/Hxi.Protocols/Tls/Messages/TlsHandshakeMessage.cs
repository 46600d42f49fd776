namespace Hxi.Protocols.Tls;

/// <summary>A decoded handshake message; the base of ClientHello, ServerHello, Finished and the rest.</summary>
/// <remarks>
/// <code>
///    struct {
///        HandshakeType msg_type;    /* handshake type */
///        uint24 length;             /* remaining bytes in message */
///        select (Handshake.msg_type) { ... };
///    } Handshake;
/// </code>
/// </remarks>
public abstract record TlsHandshakeMessage
{
    public abstract TlsHandshakeType Type { get; }

    /// <summary>The whole message, header included: what goes into CRYPTO frames and the transcript.</summary>
    public byte[] Encode()
    {
        var writer = new TlsWriter();
        writer.WriteUInt8((byte)Type);
        var body = writer.BeginVector(3);
        WriteBody(writer);
        writer.EndVector(body);
        return writer.ToArray();
    }

    internal abstract void WriteBody(TlsWriter writer);
}
