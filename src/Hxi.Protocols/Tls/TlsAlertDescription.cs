namespace Hxi.Protocols.Tls;

/// <summary>The TLS alert codes (RFC 9846 Section 6 and Appendix B.2); QUIC sends them as CRYPTO_ERROR 0x100 + code.</summary>
public enum TlsAlertDescription : byte
{
    CloseNotify = 0,
    UnexpectedMessage = 10,
    BadRecordMac = 20,
    RecordOverflow = 22,
    HandshakeFailure = 40,
    BadCertificate = 42,
    UnsupportedCertificate = 43,
    CertificateRevoked = 44,
    CertificateExpired = 45,
    CertificateUnknown = 46,
    IllegalParameter = 47,
    UnknownCa = 48,
    AccessDenied = 49,
    DecodeError = 50,
    DecryptError = 51,
    ProtocolVersion = 70,
    InsufficientSecurity = 71,
    InternalError = 80,
    InappropriateFallback = 86,
    UserCanceled = 90,
    MissingExtension = 109,
    UnsupportedExtension = 110,
    UnrecognizedName = 112,
    BadCertificateStatusResponse = 113,
    UnknownPskIdentity = 115,
    CertificateRequired = 116,
    GeneralError = 117,
    NoApplicationProtocol = 120,
}

/// <summary>The spec's snake_case names, which are what people search for.</summary>
public static class TlsAlertNames
{
    public static string Name(TlsAlertDescription alert) => alert switch
    {
        TlsAlertDescription.CloseNotify => "close_notify",
        TlsAlertDescription.UnexpectedMessage => "unexpected_message",
        TlsAlertDescription.BadRecordMac => "bad_record_mac",
        TlsAlertDescription.RecordOverflow => "record_overflow",
        TlsAlertDescription.HandshakeFailure => "handshake_failure",
        TlsAlertDescription.BadCertificate => "bad_certificate",
        TlsAlertDescription.UnsupportedCertificate => "unsupported_certificate",
        TlsAlertDescription.CertificateRevoked => "certificate_revoked",
        TlsAlertDescription.CertificateExpired => "certificate_expired",
        TlsAlertDescription.CertificateUnknown => "certificate_unknown",
        TlsAlertDescription.IllegalParameter => "illegal_parameter",
        TlsAlertDescription.UnknownCa => "unknown_ca",
        TlsAlertDescription.AccessDenied => "access_denied",
        TlsAlertDescription.DecodeError => "decode_error",
        TlsAlertDescription.DecryptError => "decrypt_error",
        TlsAlertDescription.ProtocolVersion => "protocol_version",
        TlsAlertDescription.InsufficientSecurity => "insufficient_security",
        TlsAlertDescription.InternalError => "internal_error",
        TlsAlertDescription.InappropriateFallback => "inappropriate_fallback",
        TlsAlertDescription.UserCanceled => "user_canceled",
        TlsAlertDescription.MissingExtension => "missing_extension",
        TlsAlertDescription.UnsupportedExtension => "unsupported_extension",
        TlsAlertDescription.UnrecognizedName => "unrecognized_name",
        TlsAlertDescription.BadCertificateStatusResponse => "bad_certificate_status_response",
        TlsAlertDescription.UnknownPskIdentity => "unknown_psk_identity",
        TlsAlertDescription.CertificateRequired => "certificate_required",
        TlsAlertDescription.GeneralError => "general_error",
        TlsAlertDescription.NoApplicationProtocol => "no_application_protocol",
        _ => $"alert_{(byte)alert}",
    };
}
