using System.Globalization;
using System.Text;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Cli.Repl.Sessions;

public sealed partial class Http3ReplSession
{
    // Streams opened with the headers command: no request waits on them, so their answers are gathered here (driver thread only).
    private readonly Dictionary<long, ManualStream> _manualStreams = [];

    // Why the connection ended, once it has; completed with true when it ended with an error.
    private volatile string? _closedReason;
    private TaskCompletionSource<bool>? _closed;

    private sealed class ManualStream
    {
        public IReadOnlyList<HeaderField>? Head { get; set; }

        public MemoryStream Body { get; } = new();
    }

    /// <summary>HTTP/3 events no request waits for, on the driver thread as they arrive; the wire view has shown the frames.</summary>
    private void OnEvent(HttpEvent e)
    {
        if (OnPushEvent(e))
        {
            return;
        }

        switch (e)
        {
            case SettingsReceived settings when !_context.Renderer.View.Frames:
                _context.Note($"server SETTINGS: {string.Join(", ", settings.Settings)}");
                break;
            case GoAwayReceived goAway:
                _context.Note($"the server sent GOAWAY {goAway.Id}: it takes no request streams from {goAway.Id} on; the next request reconnects");
                break;
            case ConnectionFailed failed:
                var broke = $"the server broke a rule of RFC 9114: {failed.Reason}; hxi closes the connection with {Http3ErrorCodes.Name(failed.Code)}";
                _context.Warn(broke);
                _context.ConnectionFailed(broke);
                break;
            case StreamReset { ByPeer: true } reset:
                _context.Warn($"the server reset stream {reset.StreamId} (RESET_STREAM) with {Http3ErrorCodes.Name(reset.Code)}");
                _context.Warn($"  {Http3ErrorExplanations.Explain(reset.Code)}");
                ExplainLastByHand();
                _manualStreams.Remove(reset.StreamId);
                _pushStreams.Remove(reset.StreamId);
                _context.Watch.StreamEnded(reset.StreamId);
                break;
            case StopSendingReceived stop when _ignorableStreams.Remove(stop.StreamId):
                _context.Note($"the server stopped reading stream {stop.StreamId} with {Http3ErrorCodes.Name(stop.ErrorCode)}: "
                    + "that is how RFC 9114 6.2.3 lets it ignore a stream type it does not know");
                break;
            case StopSendingReceived stop:
                _context.Warn($"the server asked hxi to stop sending on stream {stop.StreamId} (STOP_SENDING) with {Http3ErrorCodes.Name(stop.ErrorCode)}");
                _context.Warn($"  {Http3ErrorExplanations.Explain(stop.ErrorCode)}");
                ExplainLastByHand();
                break;
            case StreamReset failed:
                _context.Warn($"stream {failed.StreamId}: the server broke a rule of RFC 9114: {failed.Reason}; hxi reset it with {Http3ErrorCodes.Name(failed.Code)}");
                _manualStreams.Remove(failed.StreamId);
                _pushStreams.Remove(failed.StreamId);
                _context.Watch.StreamEnded(failed.StreamId);
                break;
            case MalformedMessageReceived { Rejected: false } malformed:
                // strict off: the RFC's verdict, shown; the message goes on (a rejected one is reported by its reset).
                _context.Warn($"warning: {malformed.Violation}");
                break;
            case UnknownStreamReceived unknown:
                _context.Note($"the server opened stream {unknown.StreamId} of type {Http3StreamType.Name(unknown.StreamType)}; unknown types are ignored (RFC 9114 6.2.3), so hxi sent STOP_SENDING");
                break;
            case UnknownFrameReceived unknown:
                _context.Note($"a frame of type {Http3FrameType.Name(unknown.FrameType)} ({unknown.PayloadLength} bytes) arrived on stream {unknown.StreamId}; unknown types are ignored (RFC 9114 9)");
                break;
            case StreamBlocked blocked:
                _context.Note($"stream {blocked.StreamId} waits for QPACK inserts (needs {blocked.RequiredInsertCount}, has {blocked.InsertCount})");
                break;
            // Requests' own streams never come here; a stream that is not one of ours (a request given up on) is let go.
            case HeadersReceived headers when _manualStreams.TryGetValue(headers.StreamId, out var stream):
                stream.Head ??= headers.Fields;
                break;
            case DataReceived data when _manualStreams.TryGetValue(data.StreamId, out var stream):
                stream.Body.Write(data.Data.Span);
                if (data.EndStream)
                {
                    FinishManual(data.StreamId, stream);
                }

                break;
        }
    }

    /// <summary>How the QUIC connection ended: the server's verdict explained by its code's name, or hxi's own close.</summary>
    private void OnQuicEvent(QuicEvent e)
    {
        if (e is not QuicConnectionClosed closed)
        {
            return;
        }

        var name = closed.IsApplicationError ? Http3ErrorCodes.Name(closed.ErrorCode) : QuicTransportErrorCodes.Name(closed.ErrorCode);
        var reason = closed.Reason.Length > 0 ? $" (\"{closed.Reason}\")" : "";
        var graceful = closed.IsApplicationError ? closed.ErrorCode == (ulong)Http3ErrorCode.NoError : closed.ErrorCode == 0;
        string text;
        if (closed.ByPeer)
        {
            text = $"the server closed the connection (CONNECTION_CLOSE) with {name}{reason}";
            if (graceful)
            {
                _context.Note(text);
            }
            else
            {
                _context.Warn(text);
                _context.Warn($"  {(closed.IsApplicationError ? Http3ErrorExplanations.Explain(closed.ErrorCode) : $"{name}: a QUIC transport error (RFC 9000 20.1)")}");
                ExplainLastByHand();
                _context.ConnectionFailed(text);
            }
        }
        else if (closed.IsApplicationError || closed.ErrorCode != 0 || closed.Reason.Length == 0)
        {
            text = $"hxi closed the connection with {name}{reason}";
            _context.Note(text);
        }
        else
        {
            // Idle timeout and stateless reset come as transport NO_ERROR with only a reason.
            text = $"the connection ended: {closed.Reason}";
            _context.Note(text);
        }

        _closedReason = text;
        _context.Note("the next command reconnects");
        _closed?.TrySetResult(!graceful);
    }

    private void ExplainLastByHand()
    {
        if (Interlocked.Exchange(ref _lastByHand, null) is { } frame)
        {
            _context.Warn($"  the last thing hxi sent by hand was {frame}");
        }
    }

    /// <summary>Prints a response that arrived on a stream hxi did not send as a request (unless the wire view showed its head); returns its status.</summary>
    private string WriteResponse(IReadOnlyList<HeaderField> head, MemoryStream body)
    {
        var status = head.FirstOrDefault(h => h.Name == ":status").Value ?? "(no :status)";
        var text = new StringBuilder();
        if (!WireShowsResponseHead)
        {
            text.Append(_context.Colours.Bold("HTTP/3")).Append(' ').Append(status).Append('\n');
            foreach (var field in head.Where(h => !h.IsPseudo))
            {
                text.Append(_context.Colours.Cyan(field.Name)).Append(": ").Append(field.Value).Append('\n');
            }

            text.Append('\n');
        }

        ReplResponseWriter.AppendBody(text, _context, body.ToArray());
        _context.Out.Write(text.ToString());
        return status;
    }

    private void Manual(long streamId) => _manualStreams.TryAdd(streamId, new ManualStream());

    private void FinishManual(long streamId, ManualStream stream)
    {
        _manualStreams.Remove(streamId);
        var status = WriteResponse(stream.Head ?? [], stream.Body);
        _context.Note(string.Create(CultureInfo.InvariantCulture, $"stream {streamId} ended: {status}, {stream.Body.Length} body bytes"));
        _context.Watch.StreamEnded(streamId);
    }
}
