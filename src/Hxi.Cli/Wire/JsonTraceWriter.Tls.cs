using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Tls;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>
/// TLS 1.3 handshake messages as QUIC carries them in CRYPTO frames: offers, choices, certificates, transport parameters.
/// (Over TCP, SslStream does the handshake out of sight; its outcome is in the "connected" record.)
/// </summary>
public sealed partial class JsonTraceWriter
{
    /// <summary>One handshake message; <paramref name="sender"/> says whose transport parameters it carries.</summary>
    public void TlsMessage(WireDirection direction, TlsEncryptionLevel level, TlsHandshakeMessage message, ReadOnlySpan<byte> bytes, QuicRole sender)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Begin("tls", direction);
            _json.WriteString("type", TlsMessageName(message));
            _json.WriteString("level", level switch
            {
                TlsEncryptionLevel.Initial => "initial",
                TlsEncryptionLevel.Handshake => "handshake",
                _ => "1rtt",
            });
            WriteTlsFields(message, sender);
            WriteBytes(bytes);
            End();
        }
    }

    private static string TlsMessageName(TlsHandshakeMessage message) => message switch
    {
        HelloRetryRequest => "hello_retry_request",
        _ => message.Type switch
        {
            TlsHandshakeType.ClientHello => "client_hello",
            TlsHandshakeType.ServerHello => "server_hello",
            TlsHandshakeType.NewSessionTicket => "new_session_ticket",
            TlsHandshakeType.EndOfEarlyData => "end_of_early_data",
            TlsHandshakeType.EncryptedExtensions => "encrypted_extensions",
            TlsHandshakeType.Certificate => "certificate",
            TlsHandshakeType.CertificateRequest => "certificate_request",
            TlsHandshakeType.CertificateVerify => "certificate_verify",
            TlsHandshakeType.Finished => "finished",
            TlsHandshakeType.KeyUpdate => "key_update",
            _ => $"handshake_type_{(byte)message.Type}",
        },
    };

    private void WriteTlsFields(TlsHandshakeMessage message, QuicRole sender)
    {
        switch (message)
        {
            case ClientHello hello:
                WriteHex("random", hello.Random);
                WriteOptional("server_name", hello.ServerName);
                WriteStrings("alpn", hello.Alpn);
                WriteStrings("cipher_suites", hello.CipherSuites.Select(s => TlsCipherSuites.Name(s)));
                WriteStrings("supported_versions", hello.SupportedVersions?.Select(VersionName));
                WriteStrings("supported_groups", hello.SupportedGroups?.Select(g => TlsNamedGroups.Name(g)));
                WriteStrings("key_shares", hello.KeyShares?.Select(k => TlsNamedGroups.Name(k.Group)));
                WriteStrings("signature_algorithms", hello.SignatureAlgorithms?.Select(s => TlsSignatureSchemes.Name(s)));
                WriteStrings("extensions", hello.Extensions.Select(e => e.Name));
                WriteTransportParameters(hello.TransportParameters, sender);
                break;
            case HelloRetryRequest retry:
                _json.WriteString("cipher_suite", TlsCipherSuites.Name(retry.CipherSuite));
                if (retry.SelectedGroup is { } group)
                {
                    _json.WriteString("selected_group", TlsNamedGroups.Name(group));
                }

                WriteStrings("extensions", retry.Extensions.Select(e => e.Name));
                break;
            case ServerHello server:
                WriteHex("random", server.Random);
                _json.WriteString("cipher_suite", TlsCipherSuites.Name(server.CipherSuite));
                if (server.SelectedVersion is { } version)
                {
                    _json.WriteString("selected_version", VersionName(version));
                }

                if (server.KeyShare is { } share)
                {
                    _json.WriteString("key_share", TlsNamedGroups.Name(share.Group));
                }

                WriteStrings("extensions", server.Extensions.Select(e => e.Name));
                break;
            case EncryptedExtensions extensions:
                WriteStrings("alpn", extensions.Alpn);
                WriteStrings("extensions", extensions.Extensions.Select(e => e.Name));
                WriteTransportParameters(extensions.TransportParameters, sender);
                break;
            case CertificateMessage certificates:
                _json.WriteStartArray("certificates");
                foreach (var entry in certificates.Entries)
                {
                    WriteCertificate(entry.Data);
                }

                _json.WriteEndArray();
                break;
            case CertificateRequestMessage request:
                WriteStrings("extensions", request.Extensions.Select(e => e.Name));
                break;
            case CertificateVerify verify:
                _json.WriteString("algorithm", TlsSignatureSchemes.Name(verify.Algorithm));
                _json.WriteNumber("signature_length", verify.Signature.Length);
                break;
            case Finished finished:
                WriteHex("verify_data", finished.VerifyData);
                break;
            case NewSessionTicket ticket:
                _json.WriteNumber("lifetime_s", ticket.LifetimeSeconds);
                _json.WriteNumber("ticket_length", ticket.Ticket.Length);
                break;
        }
    }

    private static string VersionName(ushort version) => version switch
    {
        0x0304 => "TLS 1.3",
        0x0303 => "TLS 1.2",
        _ => $"0x{version:x4}",
    };

    private void WriteCertificate(byte[] der)
    {
        _json.WriteStartObject();
        _json.WriteNumber("length", der.Length);
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            _json.WriteString("subject", certificate.Subject);
            _json.WriteString("issuer", certificate.Issuer);
            _json.WriteString("not_before", certificate.NotBefore.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            _json.WriteString("not_after", certificate.NotAfter.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        }
        catch (CryptographicException ex)
        {
            _json.WriteString("error", ex.Message);
        }

        _json.WriteEndObject();
    }

    private void WriteTransportParameters(byte[]? bytes, QuicRole sender)
    {
        if (bytes is null)
        {
            return;
        }

        QuicTransportParameters parameters;
        try
        {
            parameters = QuicTransportParametersCodec.Decode(bytes, sender);
        }
        catch (QuicTransportException ex)
        {
            _json.WriteString("transport_parameters_error", ex.Reason);
            return;
        }

        _json.WriteStartObject("transport_parameters");
        WriteOptionalHex("original_destination_connection_id", parameters.OriginalDestinationConnectionId);
        _json.WriteNumber("max_idle_timeout", parameters.MaxIdleTimeout);
        WriteOptionalHex("stateless_reset_token", parameters.StatelessResetToken);
        _json.WriteNumber("max_udp_payload_size", parameters.MaxUdpPayloadSize);
        _json.WriteNumber("initial_max_data", parameters.InitialMaxData);
        _json.WriteNumber("initial_max_stream_data_bidi_local", parameters.InitialMaxStreamDataBidiLocal);
        _json.WriteNumber("initial_max_stream_data_bidi_remote", parameters.InitialMaxStreamDataBidiRemote);
        _json.WriteNumber("initial_max_stream_data_uni", parameters.InitialMaxStreamDataUni);
        _json.WriteNumber("initial_max_streams_bidi", parameters.InitialMaxStreamsBidi);
        _json.WriteNumber("initial_max_streams_uni", parameters.InitialMaxStreamsUni);
        _json.WriteNumber("ack_delay_exponent", parameters.AckDelayExponent);
        _json.WriteNumber("max_ack_delay", parameters.MaxAckDelay);
        _json.WriteBoolean("disable_active_migration", parameters.DisableActiveMigration);
        if (parameters.PreferredAddress is { } preferred)
        {
            _json.WriteStartObject("preferred_address");
            _json.WriteString("ipv4", preferred.IPv4.ToString());
            _json.WriteString("ipv6", preferred.IPv6.ToString());
            WriteHex("connection_id", preferred.ConnectionId);
            WriteHex("stateless_reset_token", preferred.StatelessResetToken);
            _json.WriteEndObject();
        }

        _json.WriteNumber("active_connection_id_limit", parameters.ActiveConnectionIdLimit);
        WriteOptionalHex("initial_source_connection_id", parameters.InitialSourceConnectionId);
        WriteOptionalHex("retry_source_connection_id", parameters.RetrySourceConnectionId);
        if (parameters.UnknownParameters.Count > 0)
        {
            _json.WriteStartArray("unknown");
            foreach (var unknown in parameters.UnknownParameters)
            {
                _json.WriteStartObject();
                _json.WriteString("name", QuicTransportParameterIds.Name(unknown.Id));
                _json.WriteNumber("id", unknown.Id);
                WriteHex("value", unknown.Value);
                _json.WriteEndObject();
            }

            _json.WriteEndArray();
        }

        _json.WriteEndObject();
    }

    private void WriteOptionalHex(string name, byte[]? bytes)
    {
        if (bytes is not null)
        {
            WriteHex(name, bytes);
        }
    }
}
