using Hxi.Fuzz.Targets;

namespace Hxi.Fuzz;

/// <summary>Every fuzz target, by the name used on the command line and as the corpus folder.</summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyList<FuzzTarget> All =
    [
        new("hpack", "HPACK field blocks (RFC 7541)", HpackTarget.Run, HpackTarget.Seeds),
        new("http2-frame", "HTTP/2 frame decoder (RFC 9113 Section 4, 6)", Http2FrameTarget.Run, Http2FrameTarget.Seeds),
        new("http2-connection", "HTTP/2 connection fed a byte stream, client or server", Http2ConnectionTarget.Run, Http2ConnectionTarget.Seeds, 500),
        new("http1-response", "HTTP/1.1 response parser (RFC 9112)", Http1ResponseTarget.Run, Http1ResponseTarget.Seeds),
        new("qpack-field-section", "QPACK field sections with encoder-stream inserts (RFC 9204)", QpackFieldSectionTarget.Run, QpackFieldSectionTarget.Seeds),
        new("qpack-encoder-stream", "QPACK encoder stream, decoder side (RFC 9204 Section 4.3)", QpackEncoderStreamTarget.Run, QpackEncoderStreamTarget.Seeds),
        new("qpack-decoder-stream", "QPACK decoder stream, encoder side (RFC 9204 Section 4.4)", QpackDecoderStreamTarget.Run, QpackDecoderStreamTarget.Seeds),
        new("http3-frame", "HTTP/3 frame reader and codec (RFC 9114 Section 7)", Http3FrameTarget.Run, Http3FrameTarget.Seeds),
        new("http3-connection", "HTTP/3 connection fed stream bytes, client or server", Http3ConnectionTarget.Run, Http3ConnectionTarget.Seeds, 500),
        new("quic-packet", "QUIC datagram after decryption: packet headers and frames (RFC 9000 Section 17)", QuicPacketTarget.Run, QuicPacketTarget.Seeds),
        new("quic-connection", "QUIC frames applied by a connected client or server (RFC 9000)", QuicConnectionTarget.Run, QuicConnectionTarget.Seeds, 20),
        new("quic-frames", "QUIC frame decoder (RFC 9000 Section 19)", QuicFramesTarget.Run, QuicFramesTarget.Seeds),
        new("transport-parameters", "QUIC transport parameters (RFC 9000 Section 18)", TransportParametersTarget.Run, TransportParametersTarget.Seeds),
        new("tls-messages", "TLS 1.3 handshake messages (RFC 8446 Section 4)", TlsMessagesTarget.Run, TlsMessagesTarget.Seeds),
        new("tls-handshake", "TLS 1.3 client and server handshakes fed CRYPTO bytes (RFC 9001 Section 4)", TlsHandshakeTarget.Run, TlsHandshakeTarget.Seeds, 150),
        new("alt-svc", "Alt-Svc field parser (RFC 7838)", AltSvcTarget.Run, AltSvcTarget.Seeds),
        new("repl", "REPL command parser", ReplCommandTarget.Run, ReplCommandTarget.Seeds),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
