using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Hxi.Cli.Repl.Parsing;
using Hxi.Net.Client;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Sessions;

public sealed partial class Http2ReplSession
{
    private readonly ConcurrentDictionary<ulong, long> _pingsSent = new();
    private int _pingCount;

    // What the last hand-made frame was, so a GOAWAY or RST_STREAM right after it can be tied to it.
    private string? _lastByHand;

    private async Task ExecuteFrameCommandAsync(ReplInstruction command, CancellationToken ct)
    {
        var connection = await ConnectionAsync(forRequest: false, ct);
        int? openedStream = null;
        try
        {
            await connection.ExecuteAsync(core => openedStream = Apply(core, command), ct);
        }
        catch (HxiException ex)
        {
            throw ReplCommandException.From(ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ReplCommandException($"{CommandName(command)}: {ex.Message}");
        }

        if (openedStream is { } id)
        {
            _context.StreamOpenedByHand(id);
            _context.Note($"stream {id}: the answer prints as it arrives (in a script: wait stream {id} end)");
        }
    }

    /// <summary>Writes the command's frames into the core (under the connection's lock); returns a stream a HEADERS opened.</summary>
    private int? Apply(Http2Connection core, ReplInstruction command)
    {
        _lastByHand = $"{CommandName(command)} frame";
        switch (command)
        {
            case PingCommand ping:
                var data = ping.OpaqueData ?? NextPingData();
                _pingsSent[data] = Stopwatch.GetTimestamp();
                core.SendPing(data);
                return null;
            case SettingsCommand settings:
                core.SendSettings(settings.Settings);
                return null;
            case SettingsAckCommand:
                core.SendRawFrame(SettingsFrame.Acknowledgement);
                return null;
            case HeadersCommand headers:
                return SendHeaders(core, headers);
            case DataCommand data1:
                SendData(core, data1);
                return null;
            case RstCommand rst:
                core.ResetStream(rst.StreamId, (Http2ErrorCode)rst.ErrorCode);
                return null;
            case WindowUpdateCommand update:
                core.SendWindowUpdate(update.StreamId, update.Increment);
                return null;
            case PriorityCommand priority:
                core.SendRawFrame(new PriorityFrame(priority.StreamId, priority.Priority));
                return null;
            case GoAwayCommand goAway:
                core.SendGoAway((Http2ErrorCode)goAway.ErrorCode, goAway.DebugData, goAway.LastStreamId);
                return null;
            case ContinuationCommand continuation:
                var fragment = continuation.RawFragment ?? EncodeHeld(core, continuation.Headers, continuation.StreamId);
                core.SendRawFrame(new ContinuationFrame(continuation.StreamId, fragment, continuation.EndHeaders));
                return null;
            case RawFrameCommand raw:
                _lastByHand = $"raw {Http2FrameNames.Name(raw.Type)} frame (flags 0x{raw.Flags:x2}) on stream {raw.StreamId}, which was {StateName(core.GetStreamState(raw.StreamId), raw.StreamId)}";
                core.SendRawFrame(new UnknownFrame(raw.Type, raw.Flags, raw.StreamId, raw.Payload));
                return null;
            default:
                throw new ReplCommandException(ReplCommandNames.IsHttp3Only(command)
                    ? $"{CommandName(command)} is an HTTP/3 command, but this connection speaks HTTP/2 (start hxi repl with --http3-only)"
                    : $"{CommandName(command)} is not available on an HTTP/2 connection");
        }
    }

    /// <summary>Uses the core's HEADERS writer when the request is legal; builds the frames by hand for the rest.</summary>
    private int SendHeaders(Http2Connection core, HeadersCommand command)
    {
        var id = command.StreamId ?? core.OpenStream();
        var fields = HeaderFields(command);
        if (command.EndHeaders && core.GetStreamState(id) == Http2StreamState.Idle)
        {
            core.SendHeaders(id, fields, command.EndStream, new Http2HeadersOptions
            {
                Priority = command.Priority,
                PadLength = command.PadLength,
                MaxFragmentSize = command.SplitSize,
            });
            return id;
        }

        var block = EncodeHeld(core, fields, id);
        var size = Math.Max(1, Math.Min(command.SplitSize ?? int.MaxValue, core.PeerSettings.MaxFrameSize));
        var first = Math.Min(size, block.Length);
        core.SendRawFrame(new HeadersFrame(id, block[..first], command.EndStream, command.EndHeaders && first == block.Length, command.Priority, command.PadLength));
        for (var offset = first; offset < block.Length; offset += size)
        {
            var length = Math.Min(size, block.Length - offset);
            core.SendRawFrame(new ContinuationFrame(id, block.Slice(offset, length), command.EndHeaders && offset + length == block.Length));
        }

        return id;
    }

    private ReadOnlyMemory<byte> EncodeHeld(Http2Connection core, IReadOnlyList<HeaderField> fields, int streamId)
    {
        _echo.HoldNextHeaderBlock = true;
        return core.EncodeHeaderBlock(fields, streamId);
    }

    /// <summary>Pseudo-header fields from the request line, then the user's fields as given: nothing is dropped, this is the raw path.</summary>
    private List<HeaderField> HeaderFields(HeadersCommand command)
    {
        var given = command.Headers.Select(h => new HeaderField(h.Name.ToLowerInvariant(), h.Value)).ToList();
        var host = given.FirstOrDefault(h => h.Name == "host").Value;
        var url = new Uri(_context.BaseUrl, command.Target);
        var fields = new List<HeaderField>();
        AddUnlessGiven(fields, given, ":method", command.Method);
        AddUnlessGiven(fields, given, ":scheme", Scheme);
        AddUnlessGiven(fields, given, ":authority", host ?? new HxiRequest("GET", url, []).Authority);
        AddUnlessGiven(fields, given, ":path", command.Target.StartsWith('/') || command.Target == "*" ? command.Target : url.PathAndQuery);
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

    /// <summary>Legal DATA goes through the core (flow control, stream state); anything else leaves as written.</summary>
    private static void SendData(Http2Connection core, DataCommand command)
    {
        if (command.PadLength is null && core.GetStreamState(command.StreamId) is Http2StreamState.Open or Http2StreamState.HalfClosedRemote)
        {
            core.SendData(command.StreamId, command.Data, command.EndStream);
            return;
        }

        core.SendRawFrame(new DataFrame(command.StreamId, command.Data, command.EndStream, command.PadLength));
    }

    /// <summary>"ping0001", "ping0002": readable in the hex view and unique per session, so each ACK finds its PING.</summary>
    private ulong NextPingData()
    {
        var text = $"ping{Interlocked.Increment(ref _pingCount) % 10_000:0000}";
        return BinaryPrimitives.ReadUInt64BigEndian(Encoding.ASCII.GetBytes(text));
    }

    private static string StateName(Http2StreamState state, int streamId) => streamId == 0 ? "the connection itself (stream 0)" : state switch
    {
        Http2StreamState.Idle => "idle (never opened)",
        Http2StreamState.Closed => "closed",
        Http2StreamState.HalfClosedLocal => "half-closed (local)",
        Http2StreamState.HalfClosedRemote => "half-closed (remote)",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string CommandName(ReplInstruction command) => ReplCommandNames.Typed(command);
}
