using System.Security.Cryptography;

namespace Hxi.Protocols.Tls;

/// <summary>The TLS 1.3 key schedule (RFC 9846 Section 7.1), one instance per handshake; a resumption PSK feeds the Early Secret.</summary>
/// <remarks>
/// <code>
///                 0
///                 |
///                 v
///     PSK -->  HKDF-Extract = Early Secret
///                 +--> Derive-Secret(., "res binder", "") = binder_key
///                 +--> Derive-Secret(., "c e traffic", ClientHello) = client_early_traffic_secret
///                 v
///           Derive-Secret(., "derived", "")
///                 v
///   (EC)DHE --> HKDF-Extract = Handshake Secret
///                 +--> Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
///                 +--> Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
///                 v
///           Derive-Secret(., "derived", "")
///                 v
///       0 --> HKDF-Extract = Main Secret
///                 +--> Derive-Secret(., "c ap traffic", ClientHello...server Finished)
///                 +--> Derive-Secret(., "s ap traffic", ClientHello...server Finished)
///                 +--> Derive-Secret(., "exp master", ClientHello...server Finished)
///                 +--> Derive-Secret(., "res master", ClientHello...client Finished)
/// </code>
/// </remarks>
public sealed class TlsKeySchedule
{
    private readonly HashAlgorithmName hash;
    private readonly int hashLength;
    private byte[]? handshakeSecret;
    private byte[]? masterSecret;

    public TlsKeySchedule(TlsCipherSuite suite)
        : this(suite, [])
    {
    }

    /// <summary>A schedule whose Early Secret is extracted from <paramref name="psk"/>; empty means no PSK (a string of zeros).</summary>
    public TlsKeySchedule(TlsCipherSuite suite, ReadOnlySpan<byte> psk)
    {
        Suite = suite;
        hash = TlsCipherSuites.Hash(suite);
        hashLength = TlsCipherSuites.HashLength(suite);
        EarlySecret = TlsHkdf.Extract(hash, new byte[hashLength], psk.IsEmpty ? new byte[hashLength] : psk);
    }

    public TlsCipherSuite Suite { get; }

    public byte[] EarlySecret { get; }

    public byte[] HandshakeSecret => handshakeSecret ?? throw new InvalidOperationException("no shared secret yet");

    public byte[] MasterSecret => masterSecret ??= TlsHkdf.Extract(hash, Derived(HandshakeSecret), new byte[hashLength]);

    public void SetSharedSecret(ReadOnlySpan<byte> sharedSecret) =>
        handshakeSecret = TlsHkdf.Extract(hash, Derived(EarlySecret), sharedSecret);

    /// <summary>binder_key for a resumption PSK (Section 4.2.11.2); the binder is a Finished computed with it.</summary>
    public byte[] ResumptionBinderKey() => Derive(EarlySecret, "res binder", TlsHkdf.Hash(hash, []));

    /// <summary>client_early_traffic_secret: what 0-RTT is protected with (RFC 9001 Section 4.6).</summary>
    public byte[] ClientEarlyTrafficSecret(ReadOnlySpan<byte> clientHelloHash) => Derive(EarlySecret, "c e traffic", clientHelloHash);

    public byte[] ClientHandshakeTrafficSecret(ReadOnlySpan<byte> helloHash) => Derive(HandshakeSecret, "c hs traffic", helloHash);

    public byte[] ServerHandshakeTrafficSecret(ReadOnlySpan<byte> helloHash) => Derive(HandshakeSecret, "s hs traffic", helloHash);

    public byte[] ClientApplicationTrafficSecret(ReadOnlySpan<byte> serverFinishedHash) => Derive(MasterSecret, "c ap traffic", serverFinishedHash);

    public byte[] ServerApplicationTrafficSecret(ReadOnlySpan<byte> serverFinishedHash) => Derive(MasterSecret, "s ap traffic", serverFinishedHash);

    public byte[] ExporterSecret(ReadOnlySpan<byte> serverFinishedHash) => Derive(MasterSecret, "exp master", serverFinishedHash);

    public byte[] ResumptionSecret(ReadOnlySpan<byte> clientFinishedHash) => Derive(MasterSecret, "res master", clientFinishedHash);

    /// <summary>The PSK a ticket stands for: HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length) (Section 4.6.1).</summary>
    public static byte[] ResumptionPsk(TlsCipherSuite suite, ReadOnlySpan<byte> resumptionSecret, ReadOnlySpan<byte> ticketNonce) =>
        TlsHkdf.ExpandLabel(TlsCipherSuites.Hash(suite), resumptionSecret, "resumption", ticketNonce, TlsCipherSuites.HashLength(suite));

    /// <summary>finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (Section 4.4.4).</summary>
    public byte[] FinishedKey(ReadOnlySpan<byte> baseKey) => TlsHkdf.ExpandLabel(hash, baseKey, "finished", [], hashLength);

    /// <summary>verify_data = HMAC(finished_key, Transcript-Hash(...)).</summary>
    public byte[] VerifyData(ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash) =>
        TlsHkdf.Hmac(hash, FinishedKey(baseKey), transcriptHash);

    /// <summary>application_traffic_secret_N+1 (Section 7.2): what QUIC's key update derives next keys from.</summary>
    public static byte[] NextApplicationTrafficSecret(TlsCipherSuite suite, ReadOnlySpan<byte> secret) =>
        TlsHkdf.ExpandLabel(TlsCipherSuites.Hash(suite), secret, "traffic upd", [], TlsCipherSuites.HashLength(suite));

    private byte[] Derived(byte[] secret) => Derive(secret, "derived", TlsHkdf.Hash(hash, []));

    private byte[] Derive(byte[] secret, string label, ReadOnlySpan<byte> transcriptHash) =>
        TlsHkdf.DeriveSecret(hash, secret, label, transcriptHash);
}
