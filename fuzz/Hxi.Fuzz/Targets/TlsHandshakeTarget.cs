using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Tests.Quic;
using Hxi.Protocols.Tls;

namespace Hxi.Fuzz.Targets;

/// <summary>
/// The TLS 1.3 handshake state machines (RFC 8446, as QUIC carries it, RFC 9001 Section 4) fed the peer's CRYPTO bytes
/// at each encryption level: a client after its ClientHello, or a server waiting for one.
/// </summary>
/// <remarks>
/// Input: one option byte (bit 0: server role), then records of a level byte (0 Initial, 1 Handshake, 2 1-RTT) and a
/// two-byte-length piece. Only <see cref="TlsAlertException"/> may come out.
/// </remarks>
public static class TlsHandshakeTarget
{
    /// <summary>A self-signed ECDSA P-256 certificate, made once: the server targets need one, the clients do not check it.</summary>
    internal static readonly Lazy<X509Certificate2> ServerCertificate = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return request.CreateSelfSigned(now.AddYears(-1), now.AddYears(5));
    });

    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        bool server = (input.TakeByte() & 1) != 0;
        TlsHandshake handshake;
        if (server)
        {
            handshake = new TlsServerHandshake(new TlsServerOptions
            {
                Certificate = ServerCertificate.Value,
                ApplicationProtocols = ["h3"],
                TransportParameters = SeedBuilder.Hex(QuicVectors.ClientTransportParameters),
                KeyExchangeFactory = FixedKeyExchanges.Server.Create,
            });
        }
        else
        {
            var client = new TlsClientHandshake(new TlsClientOptions
            {
                ServerName = "example.com",
                ApplicationProtocols = ["h3"],
                TransportParameters = SeedBuilder.Hex(QuicVectors.ClientTransportParameters),
                Insecure = true,
                Now = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero),
                KeyExchangeFactory = FixedKeyExchanges.Client.Create,
            });
            client.Start();
            handshake = client;
        }

        try
        {
            while (!input.IsEmpty)
            {
                var level = (TlsEncryptionLevel)(input.TakeByte() % 3);
                handshake.ReceiveHandshakeBytes(level, input.TakeLongPiece());
                while (handshake.TryGetOutput(out _, out _))
                {
                }

                while (handshake.TryPollEvent(out var e))
                {
                    _ = e.ToString();
                }
            }
        }
        catch (TlsAlertException)
        {
        }
    }

    private static byte[] Record(TlsEncryptionLevel level, params byte[][] messages)
    {
        var bytes = SeedBuilder.Concat(messages);
        return [(byte)level, (byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }

    public static IEnumerable<byte[]> Seeds()
    {
        var m = QuicVectors.Rfc8448Messages.Select(SeedBuilder.Hex).ToArray();
        const TlsEncryptionLevel Initial = TlsEncryptionLevel.Initial;
        const TlsEncryptionLevel Handshake = TlsEncryptionLevel.Handshake;

        // As a server: RFC 9001's and RFC 8448's ClientHello, then a (wrong) client Finished.
        yield return [1, .. Record(Initial, QuicVectors.QuicClientHello)];
        yield return [1, .. Record(Initial, m[0]), .. Record(Handshake, m[5])];

        // As a client: RFC 8448's and RFC 9001's ServerHello, then the server's encrypted flight.
        yield return [0, .. Record(Initial, m[1]), .. Record(Handshake, m[2], m[3], m[4], m[5])];
        yield return [0, .. Record(Initial, SeedBuilder.Hex(Rfc9001Vectors.ServerPayload)[9..]), .. Record(Handshake, m[2])];
        yield return [0, .. Record(Initial, m[1], m[2])];
    }
}
