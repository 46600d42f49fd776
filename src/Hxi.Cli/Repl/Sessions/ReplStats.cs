using System.Globalization;
using Hxi.Cli.Output;
using Hxi.Net.Http1;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>Counts what the session did, from the wire tap (frames, bytes, streams) and from the sessions (requests, connections, QUIC figures).</summary>
public sealed class ReplStats : IWireTap
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _durations = [];
    private readonly SortedDictionary<string, int> _framesSent = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _framesReceived = new(StringComparer.Ordinal);
    // Stream ids start again at 1 on every connection, so a stream is (connection, id).
    private readonly HashSet<(int Connection, int Stream)> _streams = [];
    private long _bytesOut;
    private long _bytesIn;
    private int _requestsFailed;
    private int _connectionsOpened;
    private int _reconnects;
    private int _reuses;
    private int _http1MessagesSent;

    public void Record(in WireRecord record)
    {
        lock (_gate)
        {
            if (record is { Layer: WireLayer.Http3, Decoded: Http3FrameTrace http3 })
            {
                CountHttp3(record.Direction, record.Bytes.Length, http3);
                return;
            }

            if (record.Layer is not (WireLayer.Http2 or WireLayer.Http1))
            {
                return;
            }

            if (record.Direction == WireDirection.Sent)
            {
                _bytesOut += record.Bytes.Length;
            }
            else
            {
                _bytesIn += record.Bytes.Length;
            }

            switch (record.Decoded)
            {
                case Http2Frame frame:
                    var counts = record.Direction == WireDirection.Sent ? _framesSent : _framesReceived;
                    var name = Http2FrameNames.Name(frame.TypeCode);
                    counts[name] = counts.GetValueOrDefault(name) + 1;
                    if (frame is HeadersFrame { StreamId: > 0 } headers && record.Direction == WireDirection.Sent)
                    {
                        _streams.Add((_connectionsOpened, headers.StreamId));
                    }

                    break;
                case Http1Text when record.Direction == WireDirection.Sent:
                    _http1MessagesSent++;
                    break;
            }
        }
    }

    /// <summary>Lines about the transport under HTTP (QUIC's packets, loss, RTT), supplied by the session that has one.</summary>
    public Func<IEnumerable<string>>? TransportFigures { get; set; }

    // A traced DATA frame carries only its header's bytes, so the payload length is added.
    private void CountHttp3(WireDirection direction, int traced, Http3FrameTrace trace)
    {
        var bytes = traced + (trace.Frame is Protocols.Http3.Frames.DataFrame ? trace.PayloadLength : 0);
        if (direction == WireDirection.Sent)
        {
            _bytesOut += bytes;
        }
        else
        {
            _bytesIn += bytes;
        }

        var counts = direction == WireDirection.Sent ? _framesSent : _framesReceived;
        var name = trace.Frame.TypeName;
        counts[name] = counts.GetValueOrDefault(name) + 1;
        // Client-initiated bidirectional streams (ids 0, 4, 8...) are the request streams hxi opened.
        if (trace.Frame is Protocols.Http3.Frames.HeadersFrame && direction == WireDirection.Sent && (trace.StreamId & 3) == 0)
        {
            _streams.Add((_connectionsOpened, (int)Math.Min(trace.StreamId, int.MaxValue)));
        }
    }

    public void RequestCompleted(TimeSpan duration)
    {
        lock (_gate)
        {
            _durations.Add(duration);
        }
    }

    public void RequestFailed()
    {
        lock (_gate)
        {
            _requestsFailed++;
        }
    }

    /// <param name="reconnect">True when it replaces a connection that ended (GOAWAY, close).</param>
    public void ConnectionOpened(bool reconnect)
    {
        lock (_gate)
        {
            _connectionsOpened++;
            _reconnects += reconnect ? 1 : 0;
        }
    }

    /// <summary>A request went on a connection that had already carried one.</summary>
    public void ConnectionReused()
    {
        lock (_gate)
        {
            _reuses++;
        }
    }

    public int RequestsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _durations.Count;
            }
        }
    }

    public List<string> Describe(Palette colours)
    {
        lock (_gate)
        {
            var lines = new List<string> { colours.Bold("session statistics") };
            var requests = _durations.Count + _requestsFailed;
            lines.Add($"  requests      {requests} ({_durations.Count} completed, {_requestsFailed} failed)");
            if (_durations.Count > 0)
            {
                var sorted = _durations.Order().ToList();
                var median = sorted.Count % 2 == 1
                    ? sorted[sorted.Count / 2]
                    : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
                lines.Add($"  durations     min {Ms(sorted[0])}, median {Ms(median)}, max {Ms(sorted[^1])}");
            }

            if (_streams.Count > 0)
            {
                var connections = _streams.Select(s => s.Connection).Distinct().Count();
                lines.Add($"  streams       {_streams.Count} opened by hxi, on {connections} connection(s)");
            }

            if (_framesSent.Count + _framesReceived.Count > 0)
            {
                lines.Add($"  frames sent   {Counts(_framesSent)}");
                lines.Add($"  frames recv   {Counts(_framesReceived)}");
            }

            if (_http1MessagesSent > 0)
            {
                lines.Add($"  http/1.1      {_http1MessagesSent} request writes");
            }

            lines.Add($"  bytes         {_bytesOut} out, {_bytesIn} in (HTTP layer, before TLS)");
            lines.Add($"  connections   {_connectionsOpened} opened ({_reconnects} reconnects after a close or GOAWAY), reused for {_reuses} requests");
            if (TransportFigures is { } transport)
            {
                lines.AddRange(transport());
            }

            return lines;
        }
    }

    private static string Counts(SortedDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : $"{counts.Values.Sum()}: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));

    internal static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
