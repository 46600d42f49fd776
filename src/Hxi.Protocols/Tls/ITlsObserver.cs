using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Tls;

/// <summary>Watches the handshake for the wire view and the key log; called synchronously, must not call back.</summary>
public interface ITlsObserver
{
    /// <summary>A handshake message crossed at <paramref name="level"/>; received ones are shown before they are judged.</summary>
    void HandshakeMessage(WireDirection direction, TlsEncryptionLevel level, TlsHandshakeMessage message, ReadOnlySpan<byte> bytes);

    /// <summary>One SSLKEYLOGFILE line, e.g. <c>CLIENT_HANDSHAKE_TRAFFIC_SECRET &lt;client random&gt; &lt;secret&gt;</c>.</summary>
    void KeyLogLine(string line);
}
