namespace Hxi.Cli.Wire;

/// <summary>Which parts of the wire to show: --frames, --hex, --hpack, and for HTTP/3 --quic and --qpack.</summary>
public sealed record WireViewOptions(bool Frames, bool Hex, bool Hpack)
{
    /// <summary>Every QUIC datagram and packet with its frames, and the TLS handshake messages.</summary>
    public bool Quic { get; init; }

    /// <summary>Each QPACK field line's representation and every encoder/decoder stream instruction.</summary>
    public bool Qpack { get; init; }

    public bool Any => Frames || Hex || Hpack || Quic || Qpack;
}
