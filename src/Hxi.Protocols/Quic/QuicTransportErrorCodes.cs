namespace Hxi.Protocols.Quic;

/// <summary>Names of transport error codes as RFC 9000 spells them, with TLS alerts named inside CRYPTO_ERROR.</summary>
public static class QuicTransportErrorCodes
{
    private static readonly string[] Names =
    [
        "NO_ERROR", "INTERNAL_ERROR", "CONNECTION_REFUSED", "FLOW_CONTROL_ERROR", "STREAM_LIMIT_ERROR",
        "STREAM_STATE_ERROR", "FINAL_SIZE_ERROR", "FRAME_ENCODING_ERROR", "TRANSPORT_PARAMETER_ERROR",
        "CONNECTION_ID_LIMIT_ERROR", "PROTOCOL_VIOLATION", "INVALID_TOKEN", "APPLICATION_ERROR",
        "CRYPTO_BUFFER_EXCEEDED", "KEY_UPDATE_ERROR", "AEAD_LIMIT_REACHED", "NO_VIABLE_PATH", "VERSION_NEGOTIATION_ERROR",
    ];

    // RFC 8446 Section 6 and RFC 8446bis; kept here so a CONNECTION_CLOSE can be read without the TLS layer.
    private static readonly Dictionary<byte, string> AlertNames = new()
    {
        [0] = "close_notify",
        [10] = "unexpected_message",
        [20] = "bad_record_mac",
        [22] = "record_overflow",
        [40] = "handshake_failure",
        [42] = "bad_certificate",
        [43] = "unsupported_certificate",
        [44] = "certificate_revoked",
        [45] = "certificate_expired",
        [46] = "certificate_unknown",
        [47] = "illegal_parameter",
        [48] = "unknown_ca",
        [49] = "access_denied",
        [50] = "decode_error",
        [51] = "decrypt_error",
        [70] = "protocol_version",
        [71] = "insufficient_security",
        [80] = "internal_error",
        [86] = "inappropriate_fallback",
        [90] = "user_canceled",
        [109] = "missing_extension",
        [110] = "unsupported_extension",
        [112] = "unrecognized_name",
        [113] = "bad_certificate_status_response",
        [115] = "unknown_psk_identity",
        [116] = "certificate_required",
        [120] = "no_application_protocol",
    };

    /// <summary>The CRYPTO_ERROR code carrying TLS alert <paramref name="alert"/> (RFC 9001 Section 4.8).</summary>
    public static QuicTransportErrorCode CryptoError(byte alert) => QuicTransportErrorCode.CryptoErrorBase + alert;

    /// <summary>True for 0x0100-0x01ff; <paramref name="alert"/> is then the TLS alert.</summary>
    public static bool IsCryptoError(ulong code, out byte alert)
    {
        alert = (byte)code;
        return code is >= 0x100 and <= 0x1ff;
    }

    /// <summary>"PROTOCOL_VIOLATION", "CRYPTO_ERROR(bad_certificate)", or "UNKNOWN(0x...)" for codes outside the RFC.</summary>
    public static string Name(QuicTransportErrorCode code) => Name((ulong)code);

    /// <inheritdoc cref="Name(QuicTransportErrorCode)"/>
    public static string Name(ulong code)
    {
        if (code < (ulong)Names.Length)
        {
            return Names[code];
        }

        if (IsCryptoError(code, out byte alert))
        {
            return AlertNames.TryGetValue(alert, out var alertName)
                ? $"CRYPTO_ERROR({alertName})"
                : $"CRYPTO_ERROR(alert {alert})";
        }

        return $"UNKNOWN(0x{code:x})";
    }
}
