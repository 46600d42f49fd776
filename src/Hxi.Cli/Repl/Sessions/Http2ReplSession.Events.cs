using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Sessions;

public sealed partial class Http2ReplSession
{
    // Streams opened with the headers command: no request waits on them, so their answers are gathered here.
    private readonly Dictionary<long, ManualStream> _manualStreams = [];

    private sealed class ManualStream(Stopwatch clock)
    {
        public Stopwatch Clock { get; } = clock;

        public IReadOnlyList<HeaderField>? Head { get; set; }

        public MemoryStream Body { get; } = new();
    }

    /// <summary>Frames' meanings, on the connection's reading thread as they arrive; the wire view has shown the frames themselves.</summary>
    private void OnEvent(HttpEvent e)
    {
        switch (e)
        {
            case GoAwayReceived goAway:
                var debug = goAway.DebugData.Length > 0 ? $" (debug data: \"{goAway.DebugData}\")" : "";
                var text = $"the server sent GOAWAY {Http2ErrorCodes.Name(goAway.ErrorCode)} with last stream {goAway.LastStreamId}{debug}";
                if (goAway.ErrorCode == 0)
                {
                    _context.Note($"{text}: a graceful shutdown");
                }
                else
                {
                    _context.Warn(text);
                    _context.Warn($"  {Http2ErrorExplanations.Explain(goAway.ErrorCode)}");
                    ExplainLastByHand();
                    _context.ConnectionFailed(text);
                }

                _context.Note("the connection takes no new streams; the next request reconnects");
                break;
            case ConnectionFailed failed:
                var broke = $"the server broke a rule of RFC 9113: {failed.Reason}; hxi sent GOAWAY {Http2ErrorCodes.Name(failed.Code)} and closes the connection";
                _context.Warn(broke);
                _context.ConnectionFailed(broke);
                break;
            case StreamReset reset:
                var who = reset.ByPeer ? "the server reset" : "hxi reset";
                var why = reset.Reason is null ? "" : $" ({reset.Reason})";
                _context.Warn($"{who} stream {reset.StreamId} with {Http2ErrorCodes.Name(reset.Code)}{why}");
                _context.Warn($"  {Http2ErrorExplanations.Explain((uint)reset.Code)}");
                if (reset.ByPeer)
                {
                    ExplainLastByHand();
                }

                _manualStreams.Remove(reset.StreamId);
                break;
            case MalformedMessageReceived { Rejected: false } malformed:
                // strict off: the RFC's verdict, shown; the message goes on (a rejected one is reported by its reset).
                _context.Warn($"warning: {malformed.Violation}");
                break;
            case PingAcknowledged ack when _pingsSent.TryRemove(ack.OpaqueData, out var sent):
                _context.Note($"PING answered in {ReplStats.Ms(Stopwatch.GetElapsedTime(sent))}");
                break;
            case PingReceived:
                _context.Note("the server sent a PING; hxi answered with PING ACK");
                break;
            case SettingsReceived settings when !_context.Renderer.View.Frames:
                _context.Note($"server SETTINGS: {string.Join(", ", settings.Settings)}");
                break;
            case PushPromiseReceived push:
                var path = push.Headers.FirstOrDefault(h => h.Name == ":path").Value;
                _context.Note($"the server promised stream {push.PromisedStreamId} for {path}; push is off, so hxi refused it with RST_STREAM CANCEL");
                break;
            case HeadersReceived headers:
                OnManualHeaders(headers);
                break;
            case TrailersReceived trailers:
                OnManualTrailers(trailers);
                break;
            case DataReceived data:
                OnManualData(data);
                break;
        }
    }

    private void ExplainLastByHand()
    {
        if (Interlocked.Exchange(ref _lastByHand, null) is { } frame)
        {
            _context.Warn($"  the last frame hxi sent by hand was a {frame}");
        }
    }

    private void OnManualHeaders(HeadersReceived headers)
    {
        if (!_manualStreams.TryGetValue(headers.StreamId, out var stream))
        {
            _manualStreams[headers.StreamId] = stream = new ManualStream(Stopwatch.StartNew());
        }

        stream.Head ??= headers.Fields;
        if (headers.EndStream)
        {
            FinishManual(headers.StreamId, stream);
        }
    }

    private void OnManualTrailers(TrailersReceived trailers)
    {
        if (trailers.EndStream && _manualStreams.TryGetValue(trailers.StreamId, out var stream))
        {
            FinishManual(trailers.StreamId, stream);
        }
    }

    private void OnManualData(DataReceived data)
    {
        if (!_manualStreams.TryGetValue(data.StreamId, out var stream))
        {
            _manualStreams[data.StreamId] = stream = new ManualStream(Stopwatch.StartNew());
        }

        stream.Body.Write(data.Data.Span);
        if (data.EndStream)
        {
            FinishManual(data.StreamId, stream);
        }
    }

    private void FinishManual(long streamId, ManualStream stream)
    {
        _manualStreams.Remove(streamId);
        var head = stream.Head ?? [];
        var status = head.FirstOrDefault(h => h.Name == ":status").Value ?? "(no :status)";
        var text = new StringBuilder();
        if (!_context.Renderer.View.Frames)
        {
            text.Append(_context.Colours.Bold("HTTP/2")).Append(' ').Append(status).Append('\n');
            foreach (var field in head.Where(h => !h.IsPseudo))
            {
                text.Append(_context.Colours.Cyan(field.Name)).Append(": ").Append(field.Value).Append('\n');
            }

            text.Append('\n');
        }

        ReplResponseWriter.AppendBody(text, _context, stream.Body.ToArray());
        _context.Out.Write(text.ToString());
        _context.Note(string.Create(CultureInfo.InvariantCulture, $"stream {streamId} ended: {status}, {stream.Body.Length} body bytes"));
    }

    private void OnClosed(string reason)
    {
        if (reason.StartsWith("connection lost", StringComparison.Ordinal))
        {
            _context.ConnectionFailed(reason);
            _context.Warn($"{reason}; the next command reconnects");
        }
        else
        {
            _context.Note($"connection closed: {reason}; the next command reconnects");
        }
    }
}
