namespace Hxi.Protocols.Tls;

/// <summary>The handshake transcript (RFC 9846 Section 4.4.1), kept as bytes because the hash is chosen after ClientHello.</summary>
/// <remarks>
/// A handshake is a few kilobytes, so hashing the whole of it at each of the half-dozen points
/// that need a hash costs less than keeping incremental hash states for every candidate suite.
/// </remarks>
internal sealed class TlsTranscript
{
    private readonly TlsWriter bytes = new();

    public void Append(ReadOnlySpan<byte> message) => bytes.WriteBytes(message);

    public byte[] Hash(TlsCipherSuite suite) => TlsHkdf.Hash(TlsCipherSuites.Hash(suite), bytes.WrittenSpan);

    /// <summary>The hash of the transcript followed by <paramref name="partial"/>, not recorded: a PSK binder's input (RFC 9846 Section 4.2.11.2).</summary>
    public byte[] HashWith(TlsCipherSuite suite, ReadOnlySpan<byte> partial)
    {
        var all = new byte[bytes.Length + partial.Length];
        bytes.WrittenSpan.CopyTo(all);
        partial.CopyTo(all.AsSpan(bytes.Length));
        return TlsHkdf.Hash(TlsCipherSuites.Hash(suite), all);
    }

    /// <summary>
    /// After a HelloRetryRequest, ClientHello1 is replaced by a synthetic message_hash message:
    /// <c>message_hash(254) || 00 00 Hash.length || Hash(ClientHello1)</c>.
    /// </summary>
    public static TlsTranscript StartAfterHelloRetry(ReadOnlySpan<byte> clientHello1, TlsCipherSuite suite)
    {
        var digest = TlsHkdf.Hash(TlsCipherSuites.Hash(suite), clientHello1);
        var transcript = new TlsTranscript();
        transcript.Append([(byte)TlsHandshakeType.MessageHash, 0, 0, (byte)digest.Length]);
        transcript.Append(digest);
        return transcript;
    }
}
