using System.Buffers;
using System.Diagnostics;
using Hxi.Cli.Repl.Parsing;
using Hxi.Net.Client;
using Hxi.Net.Http3;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Cli.Repl.Sessions;

public sealed partial class Http3ReplSession
{
    private static readonly TimeSpan PingWait = TimeSpan.FromSeconds(2);

    // What the last hand-made frame was, so a close or reset right after it can be tied to it.
    private string? _lastByHand;

    // Unidirectional streams of unknown types opened by hand: a STOP_SENDING on them is how the server ignores them (driver thread only).
    private readonly HashSet<long> _ignorableStreams = [];

    private async Task ExecuteRawAsync(ReplInstruction command, CancellationToken ct)
    {
        if (command is WaitFrameCommand or SettingsAckCommand or RstCommand or WindowUpdateCommand or PriorityCommand
            or GoAwayCommand or ContinuationCommand or RawFrameCommand or HeadersCommand or SettingsCommand)
        {
            throw new ReplCommandException($"{CommandName(command)} is an HTTP/2 command; help lists the HTTP/3 ones");
        }

        var connection = await ConnectionAsync(forRequest: false, ct);
        string? note;
        try
        {
            note = await InvokeAsync(connection, (h3, quic) => Apply(h3, quic, connection, command), ct);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or HxiException)
        {
            throw new ReplCommandException($"{CommandName(command)}: {ex.Message}");
        }

        if (note is not null)
        {
            _context.Note(note);
        }
    }

    /// <summary>Runs on the driver thread; a driver that stopped (the connection is over) fails the command instead of hanging it.</summary>
    private static async Task<T> InvokeAsync<T>(Http3ClientConnection connection, Func<Http3Connection, QuicConnection, T> action, CancellationToken ct)
    {
        try
        {
            return await connection.InvokeAsync(action).WaitAsync(DriverWait, ct);
        }
        catch (TimeoutException)
        {
            throw new ReplCommandException("the connection is closed (the next command reconnects)");
        }
    }

    /// <summary>Writes the command into the cores (driver thread); returns a note for the user, or null.</summary>
    private string? Apply(Http3Connection h3, QuicConnection quic, Http3ClientConnection connection, ReplInstruction command)
    {
        var control = $"the control stream (stream {h3.ControlStreamId})";
        switch (command)
        {
            case Http3SettingsCommand settings:
                _lastByHand = $"a second SETTINGS frame on {control}";
                h3.SendFrame(h3.ControlStreamId, new SettingsFrame(settings.Settings));
                return "the control stream began with SETTINGS already; a second one is H3_FRAME_UNEXPECTED (RFC 9114 7.2.4), so expect the server to close the connection";
            case Http3HeadersCommand headers:
                return SendHeaders(h3, headers);
            case DataCommand data:
                _lastByHand = $"a DATA frame on stream {data.StreamId}";
                h3.SendData(data.StreamId, data.Data, data.EndStream);
                return null;
            case Http3GoAwayCommand goAway:
                _lastByHand = $"GOAWAY {goAway.Id} on {control}";
                h3.SendGoAway(goAway.Id);
                return null;
            case MaxPushIdCommand maxPushId:
                return SendMaxPushId(h3, maxPushId.PushId, control);
            case CancelPushCommand cancel:
                return SendCancelPush(h3, cancel.PushId, control);
            case PriorityUpdateCommand priority:
                _lastByHand = $"PRIORITY_UPDATE for {(priority.IsPush ? "push" : "stream")} {priority.ElementId} on {control}";
                h3.SendFrame(h3.ControlStreamId, new PriorityUpdateFrame(priority.IsPush, priority.ElementId, priority.Priority));
                return null;
            case Http3RawFrameCommand raw:
                return SendRawFrame(h3, raw, control);
            case OpenUniCommand open:
                var id = h3.OpenUniStream(open.StreamType);
                if (open.StreamType > Http3StreamType.QpackDecoder)
                {
                    _ignorableStreams.Add(id);
                }

                _lastByHand = $"a unidirectional stream {id} of type {Http3StreamType.Name(open.StreamType)}";
                return $"stream {id} is open as {Http3StreamType.Name(open.StreamType)}; stream-bytes {id} HEX writes on it";
            case StreamBytesCommand bytes:
                // QUIC refuses the write only when the HTTP/3 core's queue is flushed; asked first, the command fails before it says "send".
                CheckWritable(quic, bytes.StreamId);
                _lastByHand = $"{bytes.Bytes.Length} raw bytes on stream {bytes.StreamId}{(bytes.Fin ? " with FIN" : "")}";
                h3.SendStreamBytes(bytes.StreamId, bytes.Bytes, bytes.Fin);
                Echo($"send {bytes.Bytes.Length} raw bytes on stream {bytes.StreamId}{(bytes.Fin ? " + FIN" : "")}: {Convert.ToHexStringLower(bytes.Bytes)}");
                return null;
            case ResetStreamCommand reset:
                _lastByHand = $"RESET_STREAM on stream {reset.StreamId}";
                quic.ResetStream(reset.StreamId, reset.ErrorCode);
                Echo($"send QUIC RESET_STREAM <stream_id={reset.StreamId}, error_code={Http3ErrorCodes.Name(reset.ErrorCode)}>");
                return null;
            case StopSendingCommand stop:
                _lastByHand = $"STOP_SENDING on stream {stop.StreamId}";
                quic.StopSending(stop.StreamId, stop.ErrorCode);
                Echo($"send QUIC STOP_SENDING <stream_id={stop.StreamId}, error_code={Http3ErrorCodes.Name(stop.ErrorCode)}>");
                return null;
            case KeyUpdateCommand:
                return StartKeyUpdate(quic);
            case ConnectionCloseCommand close:
                var name = close.Transport ? QuicTransportErrorCodes.Name(close.ErrorCode) : Http3ErrorCodes.Name(close.ErrorCode);
                Echo($"send QUIC CONNECTION_CLOSE <{(close.Transport ? "transport" : "application")} error_code={name}{(close.Reason.Length > 0 ? $", reason=\"{close.Reason}\"" : "")}>");
                if (close.Transport)
                {
                    quic.CloseWithTransportError(close.ErrorCode, 0, close.Reason, connection.Quic.Now);
                }
                else
                {
                    quic.Close(close.ErrorCode, close.Reason, connection.Quic.Now);
                }

                return null;
            default:
                throw new ReplCommandException($"{CommandName(command)} is not available on an HTTP/3 connection");
        }
    }

    /// <summary>The QPACK encoder for a legal request; a literal section (no table references) built here for <c>--literal</c>.</summary>
    private string SendHeaders(Http3Connection h3, Http3HeadersCommand command)
    {
        var id = command.StreamId ?? h3.OpenBidiStream();
        var fields = HeaderFields(command);
        _lastByHand = $"a HEADERS frame on stream {id}{(command.NoPseudo ? " without pseudo-header fields" : "")}";
        if (command.Literal)
        {
            var section = new ArrayBufferWriter<byte>();
            QpackEncoder.EncodeLiteralFieldSection(fields, section);
            h3.SendFrame(id, new HeadersFrame(section.WrittenMemory), command.EndStream);
            foreach (var field in fields)
            {
                _context.Out.WriteLine($"          {_context.Colours.Bold(field.Name)}: {field.Value}    (literal with literal name)");
            }
        }
        else
        {
            h3.SendHeaders(id, fields, command.EndStream);
        }

        Manual(id);
        _context.StreamOpenedByHand(id);
        return $"stream {id}: the answer prints as it arrives (in a script: wait stream {id} end)";
    }

    /// <summary>Pseudo-header fields from the request line (unless --no-pseudo), then the user's fields as given: the raw path drops nothing.</summary>
    private List<HeaderField> HeaderFields(Http3HeadersCommand command)
    {
        var given = command.Headers.Select(h => new HeaderField(h.Name.ToLowerInvariant(), h.Value)).ToList();
        var fields = new List<HeaderField>();
        if (!command.NoPseudo)
        {
            var url = new Uri(_context.BaseUrl, command.Target);
            var host = given.FirstOrDefault(h => h.Name == "host").Value;
            AddUnlessGiven(fields, given, ":method", command.Method);
            AddUnlessGiven(fields, given, ":scheme", "https");
            AddUnlessGiven(fields, given, ":authority", host ?? new HxiRequest("GET", url, []).Authority);
            AddUnlessGiven(fields, given, ":path", command.Target.StartsWith('/') || command.Target == "*" ? command.Target : url.PathAndQuery);
        }

        fields.AddRange(given.Where(h => h.IsPseudo));
        fields.AddRange(given.Where(h => !h.IsPseudo));
        return fields;
    }

    private static void AddUnlessGiven(List<HeaderField> fields, List<HeaderField> given, string name, string value)
    {
        if (!given.Any(h => h.Name == name))
        {
            fields.Add(new HeaderField(name, value));
        }
    }

    private string? SendRawFrame(Http3Connection h3, Http3RawFrameCommand raw, string control)
    {
        var stream = raw.StreamId ?? h3.ControlStreamId;
        var where = stream == h3.ControlStreamId ? control : $"stream {stream}";
        _lastByHand = $"a raw {Http3FrameType.Name(raw.Type)} frame on {where}";
        h3.SendRawFrame(stream, raw.Type, raw.Payload, raw.Fin);
        try
        {
            Http3FrameCodec.ParsePayload(raw.Type, raw.Payload);
            return null;
        }
        catch (Http3ConnectionException ex)
        {
            return $"that payload is malformed for {Http3FrameType.Name(raw.Type)}: a receiver must close with {ex.Message}";
        }
    }

    /// <summary>QUIC PING: no data and no answer frame, only an ACK of the packet; the first packet back times it.</summary>
    private async Task PingAsync(CancellationToken ct)
    {
        var connection = await ConnectionAsync(forRequest: false, ct);
        var statistics = connection.Quic.Statistics;
        var received = statistics.PacketsReceived;
        var clock = Stopwatch.StartNew();
        _lastByHand = "a QUIC PING";
        await InvokeAsync(connection, (_, quic) =>
        {
            quic.SendPing();
            return 0;
        }, ct);
        Echo("send QUIC PING (ack-eliciting, in the next 1-RTT packet)");
        while (statistics.PacketsReceived == received)
        {
            if (clock.Elapsed > PingWait || _closedReason is not null)
            {
                throw new ReplCommandException($"ping: no packet came back within {PingWait.TotalSeconds:0} s", FailureKind.Timeout);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2), ct);
        }

        var rtt = _core!.Rtt;
        _context.Note($"PING acknowledged: a packet came back in {ReplStats.Ms(clock.Elapsed)} (RTT smoothed {ReplStats.Ms(rtt.SmoothedRtt)}, min {ReplStats.Ms(rtt.MinRtt)})");
    }

    /// <summary>RFC 9001 Section 6.1: a new phase only once the current one has been acknowledged (and the handshake confirmed).</summary>
    private string? StartKeyUpdate(QuicConnection quic)
    {
        if (!quic.InitiateKeyUpdate())
        {
            throw new InvalidOperationException(quic.IsHandshakeConfirmed
                ? "the previous key update is not acknowledged yet (RFC 9001 6.1); try again after the next ACK"
                : "the handshake is not confirmed yet (RFC 9001 6.1)");
        }

        _lastByHand = "a key update";
        quic.SendPing();
        var updates = quic.Statistics.KeyUpdates;
        Echo($"send QUIC key update #{updates}: 1-RTT packets now go with key_phase={updates % 2} (a PING carries the first)");
        return null;
    }

    private static void CheckWritable(QuicConnection quic, long streamId)
    {
        if ((streamId & 0x3) == 0x3)
        {
            throw new InvalidOperationException($"stream {streamId} is a unidirectional stream the server opened: only the server writes on it");
        }

        if (!quic.IsStreamOpen(streamId))
        {
            throw new InvalidOperationException($"stream {streamId} is not open (it has ended, or was never opened; open-uni opens a new one)");
        }
    }

    /// <summary>What the wire view would show for writes below HTTP/3 framing (raw bytes, QUIC frames), in its timeline.</summary>
    private void Echo(string text)
    {
        if (_context.Renderer.View.Frames)
        {
            _context.Renderer.Note(text);
        }
        else
        {
            // With the frame view off a command is still confirmed, in one line.
            _context.Note(text);
        }
    }

    /// <summary>"StreamBytesCommand" is typed as stream-bytes.</summary>
    private static string CommandName(ReplInstruction command) => ReplCommandNames.Typed(command);
}
