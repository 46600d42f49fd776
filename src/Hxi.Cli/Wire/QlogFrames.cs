using System.Text.Json;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Parameters;

namespace Hxi.Cli.Wire;

/// <summary>QUIC frames as qlog 0.3 QuicFrame objects (draft-ietf-quic-qlog-quic-events, "frames" of packet events).</summary>
public static class QlogFrames
{
    public static void Write(Utf8JsonWriter json, QuicFrame frame)
    {
        json.WriteStartObject();
        switch (frame)
        {
            case PaddingFrame padding:
                json.WriteString("frame_type", "padding");
                json.WriteNumber("length", padding.Length);
                json.WriteNumber("payload_length", padding.Length);
                break;
            case PingFrame:
                json.WriteString("frame_type", "ping");
                break;
            case AckFrame ack:
                WriteAck(json, ack);
                break;
            case ResetStreamFrame reset:
                json.WriteString("frame_type", "reset_stream");
                json.WriteNumber("stream_id", reset.StreamId);
                json.WriteNumber("error_code", reset.ApplicationErrorCode);
                json.WriteNumber("final_size", reset.FinalSize);
                break;
            case StopSendingFrame stop:
                json.WriteString("frame_type", "stop_sending");
                json.WriteNumber("stream_id", stop.StreamId);
                json.WriteNumber("error_code", stop.ApplicationErrorCode);
                break;
            case CryptoFrame crypto:
                json.WriteString("frame_type", "crypto");
                json.WriteNumber("offset", crypto.Offset);
                json.WriteNumber("length", crypto.Data.Length);
                break;
            case NewTokenFrame token:
                json.WriteString("frame_type", "new_token");
                json.WriteStartObject("token");
                WriteRaw(json, token.Token);
                json.WriteEndObject();
                break;
            case StreamFrame stream:
                json.WriteString("frame_type", "stream");
                json.WriteNumber("stream_id", stream.StreamId);
                json.WriteNumber("offset", stream.Offset);
                json.WriteNumber("length", stream.Data.Length);
                json.WriteBoolean("fin", stream.Fin);
                break;
            case MaxDataFrame maxData:
                json.WriteString("frame_type", "max_data");
                json.WriteNumber("maximum", maxData.MaximumData);
                break;
            case MaxStreamDataFrame maxStreamData:
                json.WriteString("frame_type", "max_stream_data");
                json.WriteNumber("stream_id", maxStreamData.StreamId);
                json.WriteNumber("maximum", maxStreamData.MaximumStreamData);
                break;
            case MaxStreamsFrame maxStreams:
                json.WriteString("frame_type", "max_streams");
                json.WriteString("stream_type", StreamType(maxStreams.Bidirectional));
                json.WriteNumber("maximum", maxStreams.MaximumStreams);
                break;
            case DataBlockedFrame blocked:
                json.WriteString("frame_type", "data_blocked");
                json.WriteNumber("limit", blocked.MaximumData);
                break;
            case StreamDataBlockedFrame blocked:
                json.WriteString("frame_type", "stream_data_blocked");
                json.WriteNumber("stream_id", blocked.StreamId);
                json.WriteNumber("limit", blocked.MaximumStreamData);
                break;
            case StreamsBlockedFrame blocked:
                json.WriteString("frame_type", "streams_blocked");
                json.WriteString("stream_type", StreamType(blocked.Bidirectional));
                json.WriteNumber("limit", blocked.MaximumStreams);
                break;
            case NewConnectionIdFrame newId:
                json.WriteString("frame_type", "new_connection_id");
                json.WriteNumber("sequence_number", newId.SequenceNumber);
                json.WriteNumber("retire_prior_to", newId.RetirePriorTo);
                json.WriteNumber("connection_id_length", newId.ConnectionId.Length);
                json.WriteString("connection_id", Convert.ToHexStringLower(newId.ConnectionId.Span));
                json.WriteString("stateless_reset_token", Convert.ToHexStringLower(newId.StatelessResetToken.Span));
                break;
            case RetireConnectionIdFrame retire:
                json.WriteString("frame_type", "retire_connection_id");
                json.WriteNumber("sequence_number", retire.SequenceNumber);
                break;
            case PathChallengeFrame challenge:
                json.WriteString("frame_type", "path_challenge");
                json.WriteString("data", challenge.Data.ToString("x16"));
                break;
            case PathResponseFrame response:
                json.WriteString("frame_type", "path_response");
                json.WriteString("data", response.Data.ToString("x16"));
                break;
            case ConnectionCloseFrame close:
                WriteConnectionClose(json, close);
                break;
            case HandshakeDoneFrame:
                json.WriteString("frame_type", "handshake_done");
                break;
            default:
                json.WriteString("frame_type", "unknown");
                json.WriteNumber("raw_frame_type", frame.TypeCode);
                break;
        }

        json.WriteEndObject();
    }

    private static void WriteAck(Utf8JsonWriter json, AckFrame ack)
    {
        json.WriteString("frame_type", "ack");
        // The tap does not see transport parameters, so the delay is scaled by the default exponent;
        // quic-go, aioquic and hxi itself all send that default.
        json.WriteNumber("ack_delay", ack.GetAckDelayMicroseconds((int)QuicTransportParameters.DefaultAckDelayExponent) / 1000.0);
        json.WriteStartArray("acked_ranges");
        // qlog lists ranges in ascending order; the frame holds them largest first, as on the wire.
        for (var i = ack.Ranges.Count - 1; i >= 0; i--)
        {
            var range = ack.Ranges[i];
            json.WriteStartArray();
            json.WriteNumberValue(range.Smallest);
            json.WriteNumberValue(range.Largest);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        if (ack.EcnCounts is { } ecn)
        {
            json.WriteNumber("ect0", ecn.Ect0);
            json.WriteNumber("ect1", ecn.Ect1);
            json.WriteNumber("ce", ecn.Ce);
        }
    }

    private static void WriteConnectionClose(Utf8JsonWriter json, ConnectionCloseFrame close)
    {
        json.WriteString("frame_type", "connection_close");
        json.WriteString("error_space", close.IsApplicationClose ? "application" : "transport");
        if (!close.IsApplicationClose && TransportErrorName(close.ErrorCode) is { } name)
        {
            json.WriteString("error_code", name);
        }
        else
        {
            json.WriteNumber("error_code", close.ErrorCode);
        }

        json.WriteNumber("raw_error_code", close.ErrorCode);
        json.WriteString("reason", close.Reason);
        if (!close.IsApplicationClose)
        {
            json.WriteNumber("trigger_frame_type", close.TriggeringFrameType);
        }
    }

    /// <summary>qlog's TransportError names (snake_case RFC 9000 names) and crypto_error_0x1XX for TLS alerts.</summary>
    public static string? TransportErrorName(ulong code) => code switch
    {
        >= (ulong)QuicTransportErrorCode.CryptoErrorBase and <= 0x1ff => $"crypto_error_0x{code:x3}",
        _ => (QuicTransportErrorCode)code switch
        {
            QuicTransportErrorCode.NoError => "no_error",
            QuicTransportErrorCode.InternalError => "internal_error",
            QuicTransportErrorCode.ConnectionRefused => "connection_refused",
            QuicTransportErrorCode.FlowControlError => "flow_control_error",
            QuicTransportErrorCode.StreamLimitError => "stream_limit_error",
            QuicTransportErrorCode.StreamStateError => "stream_state_error",
            QuicTransportErrorCode.FinalSizeError => "final_size_error",
            QuicTransportErrorCode.FrameEncodingError => "frame_encoding_error",
            QuicTransportErrorCode.TransportParameterError => "transport_parameter_error",
            QuicTransportErrorCode.ConnectionIdLimitError => "connection_id_limit_error",
            QuicTransportErrorCode.ProtocolViolation => "protocol_violation",
            QuicTransportErrorCode.InvalidToken => "invalid_token",
            QuicTransportErrorCode.ApplicationError => "application_error",
            QuicTransportErrorCode.CryptoBufferExceeded => "crypto_buffer_exceeded",
            QuicTransportErrorCode.KeyUpdateError => "key_update_error",
            QuicTransportErrorCode.AeadLimitReached => "aead_limit_reached",
            QuicTransportErrorCode.NoViablePath => "no_viable_path",
            _ => null,
        },
    };

    private static string StreamType(bool bidirectional) => bidirectional ? "bidirectional" : "unidirectional";

    private static void WriteRaw(Utf8JsonWriter json, ReadOnlyMemory<byte> bytes)
    {
        json.WriteStartObject("raw");
        json.WriteNumber("length", bytes.Length);
        json.WriteString("data", Convert.ToHexStringLower(bytes.Span));
        json.WriteEndObject();
    }
}
