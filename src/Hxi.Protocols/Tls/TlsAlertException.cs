namespace Hxi.Protocols.Tls;

/// <summary>A fatal handshake error: the alert to send (QUIC: CRYPTO_ERROR 0x100 + alert) and why.</summary>
public sealed class TlsAlertException(TlsAlertDescription alert, string reason)
    : Exception($"{TlsAlertNames.Name(alert)}: {reason}")
{
    public TlsAlertDescription Alert { get; } = alert;

    public string Reason { get; } = reason;

    /// <summary>The QUIC transport error code for this alert (RFC 9001 Section 4.8).</summary>
    public long QuicErrorCode => 0x100 + (byte)Alert;

    internal static TlsAlertException Decode(string reason) => new(TlsAlertDescription.DecodeError, reason);

    internal static TlsAlertException Illegal(string reason) => new(TlsAlertDescription.IllegalParameter, reason);

    internal static TlsAlertException Unexpected(string reason) => new(TlsAlertDescription.UnexpectedMessage, reason);
}
