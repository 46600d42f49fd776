using System.Security.Cryptography;

namespace Hxi.Protocols.Tls;

/// <summary>secp256r1 ECDHE with the BCL; key shares are uncompressed points (RFC 9846 Section 4.2.8.2).</summary>
/// <remarks>
/// <code>
///    struct {
///        uint8 legacy_form = 4;
///        opaque X[coordinate_length];
///        opaque Y[coordinate_length];
///    } UncompressedPointRepresentation;
/// </code>
/// The shared secret is the raw x coordinate: DeriveRawSecretAgreement, not DeriveKeyMaterial (which hashes it).
/// </remarks>
public sealed class P256KeyExchange : ITlsKeyExchange
{
    private const int CoordinateLength = 32;
    private readonly ECDiffieHellman key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public P256KeyExchange()
    {
        var parameters = key.ExportParameters(false);
        PublicKey = [4, .. parameters.Q.X!, .. parameters.Q.Y!];
    }

    public TlsNamedGroup Group => TlsNamedGroup.Secp256r1;

    public byte[] PublicKey { get; }

    public byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != 1 + (2 * CoordinateLength) || peerPublicKey[0] != 4)
        {
            throw TlsAlertException.Illegal("secp256r1 key share is not a 65-byte uncompressed point");
        }

        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = peerPublicKey.Slice(1, CoordinateLength).ToArray(),
                Y = peerPublicKey.Slice(1 + CoordinateLength, CoordinateLength).ToArray(),
            },
        };
        try
        {
            // ImportParameters checks that the point lies on the curve (Section 4.2.8.2 requires the check).
            using var peer = ECDiffieHellman.Create(parameters);
            return key.DeriveRawSecretAgreement(peer.PublicKey);
        }
        catch (CryptographicException ex)
        {
            throw TlsAlertException.Illegal($"secp256r1 key share is not a valid point: {ex.Message}");
        }
    }
}
