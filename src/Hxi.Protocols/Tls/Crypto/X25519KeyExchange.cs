using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Hxi.Protocols.Tls;

/// <summary>x25519 (RFC 7748) via BouncyCastle, since the BCL has no Curve25519.</summary>
public sealed class X25519KeyExchange : ITlsKeyExchange
{
    private readonly byte[] privateKey;

    public X25519KeyExchange()
        : this(RandomNumberGenerator.GetBytes(X25519.ScalarSize))
    {
    }

    /// <summary>A fixed private key: for test vectors only.</summary>
    public X25519KeyExchange(byte[] privateKey)
    {
        if (privateKey.Length != X25519.ScalarSize)
        {
            throw new ArgumentException("an x25519 private key is 32 bytes", nameof(privateKey));
        }

        this.privateKey = privateKey;
        PublicKey = new byte[X25519.PointSize];
        X25519.GeneratePublicKey(privateKey, PublicKey);
    }

    public TlsNamedGroup Group => TlsNamedGroup.X25519;

    public byte[] PublicKey { get; }

    public byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != X25519.PointSize)
        {
            throw TlsAlertException.Illegal($"x25519 key share is {peerPublicKey.Length} bytes, not 32");
        }

        var secret = new byte[X25519.PointSize];

        // RFC 9846 Section 7.4.2: an all-zero result means a small-order point; abort.
        if (!X25519.CalculateAgreement(privateKey, peerPublicKey, secret))
        {
            throw TlsAlertException.Illegal("x25519 key share gives an all-zero shared secret");
        }

        return secret;
    }
}
