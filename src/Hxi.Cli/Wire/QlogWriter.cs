using System.Buffers;
using System.Text.Json;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>
/// qlog for one QUIC connection: a JSON-SEQ <c>.sqlog</c> (qlog 0.3, RFC 7464 records) that qvis loads,
/// named <c>&lt;ODCID&gt;_client.sqlog</c> (or <c>_server.sqlog</c> for hxi serve) as quic-go and aioquic name theirs.
/// </summary>
/// <remarks>
/// The file opens at the client's first Initial (ours, or for a server the first received), whose destination
/// connection ID is the ODCID that names it; the datagram recorded just before that packet is kept until then. Utf8JsonWriter only, so it stays AOT-safe.
/// </remarks>
public sealed class QlogWriter(Func<string, Stream> openFile, TimeProvider time, string title, bool server = false) : IWireTap, IDisposable
{
    private readonly WireDirection _clientInitials = server ? WireDirection.Received : WireDirection.Sent;

    private const byte RecordSeparator = 0x1e;

    /// <summary>How the core's Note marks a packet it dropped.</summary>
    private const string DroppedPrefix = "dropped: ";

    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json = new(Stream.Null);
    private Stream? _file;
    private bool _closed;
    private long _referenceTimestamp;
    private DateTimeOffset _referenceTime;
    private QuicDatagramTrace? _pendingDatagram;

    /// <summary>The file name once the first Initial named it.</summary>
    public string? FileName { get; private set; }

    public static string FileNameFor(ReadOnlySpan<byte> originalDestinationConnectionId, bool server = false) =>
        $"{Convert.ToHexStringLower(originalDestinationConnectionId)}_{(server ? "server" : "client")}.sqlog";

    public void Record(in WireRecord record)
    {
        if (record.Layer != WireLayer.Quic)
        {
            return;
        }

        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            var now = time.GetTimestamp();
            if (_file is null)
            {
                switch (record.Decoded)
                {
                    case QuicDatagramTrace datagram when record.Direction == _clientInitials:
                        _pendingDatagram = datagram;
                        SetReferenceTime(now);
                        return;
                    case QuicPacketTrace packet when record.Direction == _clientInitials && packet.Type == QuicPacketType.Initial:
                        if (!TryOpen(packet.DestinationConnectionId.Span, now))
                        {
                            return;
                        }

                        break;
                    default:
                        return;
                }
            }

            Write(record, now);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            _json.Dispose();
            _file?.Dispose();
            _file = null;
        }
    }

    private bool TryOpen(ReadOnlySpan<byte> originalDestinationConnectionId, long now)
    {
        if (_pendingDatagram is null)
        {
            SetReferenceTime(now);
        }

        FileName = FileNameFor(originalDestinationConnectionId, server);
        try
        {
            _file = openFile(FileName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // qlog is a debugging aid: a file that cannot be written must not fail the connection.
            _closed = true;
            return false;
        }

        WriteHeader(Convert.ToHexStringLower(originalDestinationConnectionId));
        if (_pendingDatagram is { } datagram)
        {
            BeginEvent(_referenceTimestamp, server ? "transport:datagrams_received" : "transport:datagrams_sent");
            WriteDatagramData(datagram);
            EndEvent();
            _pendingDatagram = null;
        }

        return true;
    }

    /// <summary>Event times count from here; the wall clock at the same moment is the header's reference_time.</summary>
    private void SetReferenceTime(long now)
    {
        _referenceTimestamp = now;
        _referenceTime = time.GetUtcNow();
    }

    private void Write(in WireRecord record, long now)
    {
        switch (record.Decoded)
        {
            case QuicDatagramTrace datagram:
                BeginEvent(now, record.Direction == WireDirection.Sent ? "transport:datagrams_sent" : "transport:datagrams_received");
                WriteDatagramData(datagram);
                EndEvent();
                break;
            case QuicPacketTrace { Note: { } note } packet when note.StartsWith(DroppedPrefix, StringComparison.Ordinal):
                BeginEvent(now, "transport:packet_dropped");
                WritePacketHeader(packet);
                WriteRawLength(packet.Length);
                var reason = note[DroppedPrefix.Length..];
                if (DropTrigger(reason) is { } trigger)
                {
                    _json.WriteString("trigger", trigger);
                }

                _json.WriteString("details", reason);
                EndEvent();
                break;
            case QuicPacketTrace packet:
                BeginEvent(now, record.Direction == WireDirection.Sent ? "transport:packet_sent" : "transport:packet_received");
                WritePacketHeader(packet);
                WriteRawLength(packet.Length);
                _json.WriteStartArray("frames");
                foreach (var frame in packet.Frames)
                {
                    QlogFrames.Write(_json, frame);
                }

                _json.WriteEndArray();
                EndEvent();
                break;
            case QuicMetricsTrace metrics:
                BeginEvent(now, "recovery:metrics_updated");
                WriteMetricsData(metrics);
                EndEvent();
                break;
            case EcnStateChange ecn:
                BeginEvent(now, "recovery:ecn_state_updated");
                _json.WriteString("old", EcnValidator.Name(ecn.Old));
                _json.WriteString("new", EcnValidator.Name(ecn.New));
                _json.WriteString("trigger", ecn.Trigger);
                EndEvent();
                break;
            case EcnCongestionExperienced { ReducedWindow: true }:
                // The window itself follows in metrics_updated; this says why it fell.
                BeginEvent(now, "recovery:congestion_state_updated");
                _json.WriteString("new", "recovery");
                _json.WriteString("trigger", "ECN");
                EndEvent();
                break;
        }
    }

    private void WriteHeader(string originalDestinationConnectionId)
    {
        StartRecord();
        _json.WriteStartObject();
        _json.WriteString("qlog_version", "0.3");
        _json.WriteString("qlog_format", "JSON-SEQ");
        _json.WriteString("title", title);
        _json.WriteStartObject("trace");
        _json.WriteStartObject("vantage_point");
        _json.WriteString("name", "hxi");
        _json.WriteString("type", server ? "server" : "client");
        _json.WriteEndObject();
        _json.WriteStartObject("common_fields");
        _json.WriteString("ODCID", originalDestinationConnectionId);
        _json.WriteString("group_id", originalDestinationConnectionId);
        _json.WriteString("time_format", "relative");
        _json.WriteNumber("reference_time", _referenceTime.ToUnixTimeMilliseconds());
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndObject();
        EndRecord();
    }

    private void BeginEvent(long timestamp, string name)
    {
        StartRecord();
        _json.WriteStartObject();
        _json.WriteNumber("time", Math.Round(time.GetElapsedTime(_referenceTimestamp, timestamp).TotalMilliseconds, 3));
        _json.WriteString("name", name);
        _json.WriteStartObject("data");
    }

    private void EndEvent()
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
        EndRecord();
    }

    private void StartRecord()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
    }

    /// <summary>RFC 7464: RS, the JSON text, LF.</summary>
    private void EndRecord()
    {
        _json.Flush();
        var file = _file!;
        file.WriteByte(RecordSeparator);
        file.Write(_buffer.WrittenSpan);
        file.WriteByte((byte)'\n');
    }

    private void WritePacketHeader(QuicPacketTrace packet)
    {
        _json.WriteStartObject("header");
        _json.WriteString("packet_type", PacketType(packet.Type));
        if (packet.PacketNumber >= 0)
        {
            _json.WriteNumber("packet_number", packet.PacketNumber);
        }

        if (packet.Type != QuicPacketType.OneRtt)
        {
            _json.WriteString("version", packet.Version.ToString("x8"));
            _json.WriteNumber("scil", packet.SourceConnectionId.Length);
            _json.WriteString("scid", Convert.ToHexStringLower(packet.SourceConnectionId.Span));
        }
        else
        {
            _json.WriteNumber("key_phase_bit", packet.KeyPhase ? 1 : 0);
        }

        _json.WriteNumber("dcil", packet.DestinationConnectionId.Length);
        _json.WriteString("dcid", Convert.ToHexStringLower(packet.DestinationConnectionId.Span));
        _json.WriteEndObject();
    }

    private void WriteRawLength(int length)
    {
        _json.WriteStartObject("raw");
        _json.WriteNumber("length", length);
        _json.WriteEndObject();
    }

    private void WriteDatagramData(QuicDatagramTrace datagram)
    {
        _json.WriteNumber("count", 1);
        _json.WriteStartArray("raw");
        _json.WriteStartObject();
        _json.WriteNumber("length", datagram.Length);
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteStartArray("ecn");
        _json.WriteStringValue(EcnCodepoints.Name(datagram.Ecn));
        _json.WriteEndArray();
    }

    private void WriteMetricsData(QuicMetricsTrace metrics)
    {
        // Zero latest and min RTT mean no sample yet (RFC 9002 Section 5.2); qlog leaves unknown fields out.
        if (metrics.LatestRtt > TimeSpan.Zero)
        {
            _json.WriteNumber("min_rtt", metrics.MinRtt.TotalMilliseconds);
            _json.WriteNumber("latest_rtt", metrics.LatestRtt.TotalMilliseconds);
        }

        _json.WriteNumber("smoothed_rtt", metrics.SmoothedRtt.TotalMilliseconds);
        _json.WriteNumber("rtt_variance", metrics.RttVariation.TotalMilliseconds);
        _json.WriteNumber("congestion_window", metrics.CongestionWindow);
        _json.WriteNumber("bytes_in_flight", metrics.BytesInFlight);
    }

    /// <summary>qlog's PacketType names.</summary>
    public static string PacketType(QuicPacketType type) => type switch
    {
        QuicPacketType.Initial => "initial",
        QuicPacketType.Handshake => "handshake",
        QuicPacketType.ZeroRtt => "0RTT",
        QuicPacketType.OneRtt => "1RTT",
        QuicPacketType.Retry => "retry",
        QuicPacketType.VersionNegotiation => "version_negotiation",
        _ => "unknown",
    };

    /// <summary>qlog's packet_dropped trigger for the core's drop reasons; null when none of its values fits.</summary>
    public static string? DropTrigger(string reason) => reason switch
    {
        _ when reason.StartsWith("keys ", StringComparison.Ordinal) => "key_unavailable",
        _ when reason.StartsWith("duplicate", StringComparison.Ordinal) => "duplicate",
        "packet could not be decrypted" => "payload_decrypt_error",
        "unsupported packet type or version" => "unsupported_version",
        "unexpected Retry" => "unexpected_packet",
        _ when reason.StartsWith("client Initial in a datagram shorter", StringComparison.Ordinal) => "dos_prevention",
        _ => null,
    };
}
