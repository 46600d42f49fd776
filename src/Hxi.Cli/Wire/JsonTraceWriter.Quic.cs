using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>QUIC datagrams, packets (header fields) and every frame as an object, plus RTT and congestion samples.</summary>
public sealed partial class JsonTraceWriter
{
    private void WriteQuic(in WireRecord record)
    {
        switch (record.Decoded)
        {
            case QuicDatagramTrace datagram:
                _json.WriteString("type", "datagram");
                _json.WriteNumber("length", datagram.Length);
                _json.WriteNumber("packets", datagram.PacketCount);
                _json.WriteString("ecn", EcnCodepoints.Name(datagram.Ecn));
                break;
            case EcnStateChange ecn:
                _json.WriteString("type", "ecn_state");
                _json.WriteString("old", EcnValidator.Name(ecn.Old));
                _json.WriteString("new", EcnValidator.Name(ecn.New));
                _json.WriteString("trigger", ecn.Trigger);
                break;
            case EcnCongestionExperienced ce:
                _json.WriteString("type", "ecn_ce");
                _json.WriteNumber("ce", ce.CeCount);
                _json.WriteNumber("congestion_window_before", ce.WindowBefore);
                _json.WriteNumber("congestion_window", ce.WindowAfter);
                break;
            case QuicPacketTrace packet:
                WriteQuicPacket(packet);
                break;
            case QuicMetricsTrace metrics:
                _json.WriteString("type", "metrics");
                _json.WriteNumber("min_rtt_ms", Milliseconds(metrics.MinRtt));
                _json.WriteNumber("smoothed_rtt_ms", Milliseconds(metrics.SmoothedRtt));
                _json.WriteNumber("latest_rtt_ms", Milliseconds(metrics.LatestRtt));
                _json.WriteNumber("rtt_variation_ms", Milliseconds(metrics.RttVariation));
                _json.WriteNumber("congestion_window", metrics.CongestionWindow);
                _json.WriteNumber("bytes_in_flight", metrics.BytesInFlight);
                break;
            default:
                WriteUnknown(record);
                break;
        }
    }

    private void WriteQuicPacket(QuicPacketTrace packet)
    {
        _json.WriteString("type", "packet");
        _json.WriteString("packet_type", QuicPacketTypes.Name(packet.Type));
        var longHeader = packet.Type != QuicPacketType.OneRtt;
        if (longHeader)
        {
            _json.WriteString("version", QuicVersion.Name(packet.Version));
        }

        WriteHex("dcid", packet.DestinationConnectionId.Span);
        if (longHeader)
        {
            WriteHex("scid", packet.SourceConnectionId.Span);
        }

        // Packets that carry no number (Retry, Version Negotiation, dropped ones) have none to show.
        if (packet.PacketNumber >= 0)
        {
            _json.WriteNumber("pn", packet.PacketNumber);
        }

        _json.WriteNumber("length", packet.Length);
        if (!longHeader)
        {
            _json.WriteNumber("key_phase", packet.KeyPhase ? 1 : 0);
        }

        WriteOptional("note", packet.Note);
        _json.WriteStartArray("frames");
        foreach (var frame in packet.Frames)
        {
            WriteQuicFrame(frame, packet.AckDelayExponent);
        }

        _json.WriteEndArray();
    }

    private void WriteQuicFrame(QuicFrame frame, int ackDelayExponent)
    {
        _json.WriteStartObject();
        _json.WriteString("frame_type", QuicFrameName(frame));
        _json.WriteNumber("type_code", frame.TypeCode);
        switch (frame)
        {
            case PaddingFrame padding:
                _json.WriteNumber("length", padding.Length);
                break;
            case AckFrame ack:
                WriteAck(ack, ackDelayExponent);
                break;
            case ResetStreamFrame reset:
                _json.WriteNumber("stream_id", reset.StreamId);
                WriteApplicationError(reset.ApplicationErrorCode);
                _json.WriteNumber("final_size", reset.FinalSize);
                break;
            case StopSendingFrame stop:
                _json.WriteNumber("stream_id", stop.StreamId);
                WriteApplicationError(stop.ApplicationErrorCode);
                break;
            case CryptoFrame crypto:
                _json.WriteNumber("offset", crypto.Offset);
                _json.WriteNumber("length", crypto.Data.Length);
                break;
            case NewTokenFrame token:
                _json.WriteNumber("length", token.Token.Length);
                WriteHex("token", token.Token.Span);
                break;
            case StreamFrame stream:
                _json.WriteNumber("stream_id", stream.StreamId);
                _json.WriteNumber("offset", stream.Offset);
                _json.WriteNumber("length", stream.Data.Length);
                _json.WriteBoolean("fin", stream.Fin);
                break;
            case MaxDataFrame maxData:
                _json.WriteNumber("maximum", maxData.MaximumData);
                break;
            case MaxStreamDataFrame maxStreamData:
                _json.WriteNumber("stream_id", maxStreamData.StreamId);
                _json.WriteNumber("maximum", maxStreamData.MaximumStreamData);
                break;
            case MaxStreamsFrame maxStreams:
                _json.WriteString("stream_type", maxStreams.Bidirectional ? "bidirectional" : "unidirectional");
                _json.WriteNumber("maximum", maxStreams.MaximumStreams);
                break;
            case DataBlockedFrame blocked:
                _json.WriteNumber("limit", blocked.MaximumData);
                break;
            case StreamDataBlockedFrame streamBlocked:
                _json.WriteNumber("stream_id", streamBlocked.StreamId);
                _json.WriteNumber("limit", streamBlocked.MaximumStreamData);
                break;
            case StreamsBlockedFrame streamsBlocked:
                _json.WriteString("stream_type", streamsBlocked.Bidirectional ? "bidirectional" : "unidirectional");
                _json.WriteNumber("limit", streamsBlocked.MaximumStreams);
                break;
            case NewConnectionIdFrame newId:
                _json.WriteNumber("sequence_number", newId.SequenceNumber);
                _json.WriteNumber("retire_prior_to", newId.RetirePriorTo);
                WriteHex("connection_id", newId.ConnectionId.Span);
                WriteHex("stateless_reset_token", newId.StatelessResetToken.Span);
                break;
            case RetireConnectionIdFrame retire:
                _json.WriteNumber("sequence_number", retire.SequenceNumber);
                break;
            case PathChallengeFrame challenge:
                _json.WriteString("data", challenge.Data.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case PathResponseFrame response:
                _json.WriteString("data", response.Data.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ConnectionCloseFrame close:
                WriteConnectionClose(close);
                break;
        }

        _json.WriteString("summary", QuicFormatter.Frame(frame, ackDelayExponent));
        _json.WriteEndObject();
    }

    private void WriteAck(AckFrame ack, int ackDelayExponent)
    {
        if (ack.Ranges.Count > 0)
        {
            _json.WriteNumber("largest", ack.LargestAcknowledged);
        }

        _json.WriteNumber("delay_us", ack.GetAckDelayMicroseconds(ackDelayExponent));
        _json.WriteNumber("ack_delay", ack.AckDelay);
        _json.WriteNumber("ack_delay_exponent", ackDelayExponent);
        _json.WriteStartArray("ranges");
        foreach (var range in ack.Ranges)
        {
            _json.WriteStartObject();
            _json.WriteNumber("smallest", range.Smallest);
            _json.WriteNumber("largest", range.Largest);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        if (ack.EcnCounts is { } ecn)
        {
            _json.WriteStartObject("ecn");
            _json.WriteNumber("ect0", ecn.Ect0);
            _json.WriteNumber("ect1", ecn.Ect1);
            _json.WriteNumber("ce", ecn.Ce);
            _json.WriteEndObject();
        }
    }

    private void WriteConnectionClose(ConnectionCloseFrame close)
    {
        if (close.IsApplicationClose)
        {
            _json.WriteString("error_space", "application");
            WriteApplicationError(close.ErrorCode);
        }
        else
        {
            _json.WriteString("error_space", "transport");
            _json.WriteString("error", QuicTransportErrorCodes.Name(close.ErrorCode));
            _json.WriteNumber("error_code", close.ErrorCode);
            _json.WriteNumber("triggering_frame_type", close.TriggeringFrameType);
        }

        _json.WriteString("reason", close.Reason);
    }

    // hxi's QUIC always carries HTTP/3, so application codes are HTTP/3's (and QPACK's, which share the space).
    private void WriteApplicationError(ulong code)
    {
        _json.WriteString("error", Protocols.Http3.Http3ErrorCodes.Name(code));
        _json.WriteNumber("error_code", code);
    }

    /// <summary>The frame's name as RFC 9000 Section 19 spells it; ACK with ECN counts and both CONNECTION_CLOSE forms keep one name.</summary>
    internal static string QuicFrameName(QuicFrame frame) => frame.Type switch
    {
        QuicFrameType.Padding => "PADDING",
        QuicFrameType.Ping => "PING",
        QuicFrameType.Ack or QuicFrameType.AckEcn => "ACK",
        QuicFrameType.ResetStream => "RESET_STREAM",
        QuicFrameType.StopSending => "STOP_SENDING",
        QuicFrameType.Crypto => "CRYPTO",
        QuicFrameType.NewToken => "NEW_TOKEN",
        QuicFrameType.Stream => "STREAM",
        QuicFrameType.MaxData => "MAX_DATA",
        QuicFrameType.MaxStreamData => "MAX_STREAM_DATA",
        QuicFrameType.MaxStreamsBidi or QuicFrameType.MaxStreamsUni => "MAX_STREAMS",
        QuicFrameType.DataBlocked => "DATA_BLOCKED",
        QuicFrameType.StreamDataBlocked => "STREAM_DATA_BLOCKED",
        QuicFrameType.StreamsBlockedBidi or QuicFrameType.StreamsBlockedUni => "STREAMS_BLOCKED",
        QuicFrameType.NewConnectionId => "NEW_CONNECTION_ID",
        QuicFrameType.RetireConnectionId => "RETIRE_CONNECTION_ID",
        QuicFrameType.PathChallenge => "PATH_CHALLENGE",
        QuicFrameType.PathResponse => "PATH_RESPONSE",
        QuicFrameType.ConnectionCloseTransport or QuicFrameType.ConnectionCloseApplication => "CONNECTION_CLOSE",
        QuicFrameType.HandshakeDone => "HANDSHAKE_DONE",
        _ => $"0x{frame.TypeCode:x}",
    };
}
