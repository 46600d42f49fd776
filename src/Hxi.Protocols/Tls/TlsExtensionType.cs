namespace Hxi.Protocols.Tls;

/// <summary>Extension code points hxi reads or writes (RFC 9846 Section 4.2, RFC 9001 Section 8.2).</summary>
public enum TlsExtensionType : ushort
{
    ServerName = 0,
    StatusRequest = 5,
    SupportedGroups = 10,
    SignatureAlgorithms = 13,
    ApplicationLayerProtocolNegotiation = 16,
    SignedCertificateTimestamp = 18,
    Padding = 21,
    RecordSizeLimit = 28,
    SessionTicket = 35,
    PreSharedKey = 41,
    EarlyData = 42,
    SupportedVersions = 43,
    Cookie = 44,
    PskKeyExchangeModes = 45,
    CertificateAuthorities = 47,
    PostHandshakeAuth = 49,
    SignatureAlgorithmsCert = 50,
    KeyShare = 51,
    QuicTransportParameters = 57,
    RenegotiationInfo = 0xff01,
}

/// <summary>Names for the wire view.</summary>
public static class TlsExtensionTypes
{
    public static string Name(ushort value) => value switch
    {
        0 => "server_name",
        1 => "max_fragment_length",
        5 => "status_request",
        10 => "supported_groups",
        11 => "ec_point_formats",
        13 => "signature_algorithms",
        14 => "use_srtp",
        15 => "heartbeat",
        16 => "application_layer_protocol_negotiation",
        18 => "signed_certificate_timestamp",
        19 => "client_certificate_type",
        20 => "server_certificate_type",
        21 => "padding",
        23 => "extended_master_secret",
        27 => "compress_certificate",
        28 => "record_size_limit",
        35 => "session_ticket",
        41 => "pre_shared_key",
        42 => "early_data",
        43 => "supported_versions",
        44 => "cookie",
        45 => "psk_key_exchange_modes",
        47 => "certificate_authorities",
        48 => "oid_filters",
        49 => "post_handshake_auth",
        50 => "signature_algorithms_cert",
        51 => "key_share",
        57 => "quic_transport_parameters",
        0xff01 => "renegotiation_info",
        0xfe0d => "encrypted_client_hello",
        _ when (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff) => "GREASE",
        _ => $"0x{value:x4}",
    };
}
