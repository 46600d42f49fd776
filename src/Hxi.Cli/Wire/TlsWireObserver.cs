using Hxi.Net.Quic;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Tls;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>Shows QUIC's TLS messages in the wire view and the --trace file, and writes their secrets to SSLKEYLOGFILE.</summary>
public sealed class TlsWireObserver(WireRenderer? renderer, JsonTraceWriter? trace = null) : ITlsObserver
{
    public void HandshakeMessage(WireDirection direction, TlsEncryptionLevel level, TlsHandshakeMessage message, ReadOnlySpan<byte> bytes)
    {
        // We are the client: what we send is the client's, what we receive the server's.
        var sender = direction == WireDirection.Sent ? QuicRole.Client : QuicRole.Server;
        renderer?.TlsMessage(direction, message, bytes.Length, sender);
        trace?.TlsMessage(direction, level, message, bytes, sender);
    }

    public void KeyLogLine(string line) => KeyLogFile.Append(line);
}
