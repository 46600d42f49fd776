using Hxi.Protocols.Tls;

namespace Hxi.Fuzz.Targets;

/// <summary>
/// Key shares for targets that run a TLS handshake per input: one key pair per group and side, made once, and the
/// shared secret remembered for the peer key it was last computed with. Elliptic-curve arithmetic was most of
/// quic-connection's time (four x25519 operations per input) and says nothing about the decoders under test. A peer
/// key the fuzzer wrote is never in the cache, so it still goes through the real agreement and its checks.
/// </summary>
internal sealed class FixedKeyExchanges
{
    // One set per thread: a key exchange remembers its last peer, and test runners may run targets side by side.
    [ThreadStatic]
    private static FixedKeyExchanges? t_client;

    [ThreadStatic]
    private static FixedKeyExchanges? t_server;

    private readonly Dictionary<TlsNamedGroup, ITlsKeyExchange> _pairs = [];

    /// <summary>The client side's key shares.</summary>
    public static FixedKeyExchanges Client => t_client ??= new();

    /// <summary>The server side's: a different key pair, as between two real peers.</summary>
    public static FixedKeyExchanges Server => t_server ??= new();

    public ITlsKeyExchange Create(TlsNamedGroup group)
    {
        if (!_pairs.TryGetValue(group, out var pair))
        {
            pair = new Remembering(TlsKeyExchange.Create(group));
            _pairs[group] = pair;
        }

        return pair;
    }

    private sealed class Remembering(ITlsKeyExchange inner) : ITlsKeyExchange
    {
        private byte[]? _peer;
        private byte[]? _secret;

        public TlsNamedGroup Group => inner.Group;

        public byte[] PublicKey => inner.PublicKey;

        public byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
        {
            if (_peer is null || !peerPublicKey.SequenceEqual(_peer))
            {
                var secret = inner.DeriveSharedSecret(peerPublicKey);
                _peer = peerPublicKey.ToArray();
                _secret = secret;
            }

            // A copy: the handshake owns what it is given.
            return [.. _secret!];
        }
    }
}
