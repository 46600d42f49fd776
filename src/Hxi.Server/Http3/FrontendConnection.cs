using System.Globalization;
using System.Net;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Trace;

namespace Hxi.Server.Http3;

/// <summary>One client's QUIC connection and its HTTP/3 session; touched only on the listener thread.</summary>
internal sealed class FrontendConnection
{
    private static long _nextId;

    private readonly Http3Frontend _frontend;
    private readonly Http3Application _application;
    private readonly Dictionary<long, FrontendExchange> _exchanges = [];

    // A snapshot of _exchanges reused by every Pump (one per datagram): a pull may finish an exchange and remove it.
    private readonly List<FrontendExchange> _pulling = [];
    private bool _started;
    private bool _aborted;

    public FrontendConnection(Http3Frontend frontend, IPEndPoint remote, QuicConnection quic, Http3Application application, IWireTap? tap = null)
    {
        _frontend = frontend;
        _application = application;
        Remote = remote;
        Quic = quic;
        Id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        H3 = new Http3Connection(Http3Role.Server, new Http3ConnectionOptions(), tap, bidirectional => quic.OpenStream(bidirectional));
    }

    public string Id { get; }

    public IPEndPoint Remote { get; }

    public IPEndPoint Local => _frontend.LocalEndPoint;

    public QuicConnection Quic { get; }

    public Http3Connection H3 { get; }

    /// <summary>Moves bytes between the QUIC streams and the HTTP/3 core, acts on what that produced, and sends what credit allows.</summary>
    public void Pump()
    {
        while (Quic.TryPollEvent(out var e))
        {
            switch (e)
            {
                case QuicHandshakeCompleted when !_started:
                    _started = true;
                    H3.Start();
                    break;
                case QuicStreamReadable readable when _exchanges.TryGetValue(readable.StreamId, out var paused) && paused.ReadingPaused:
                    // The app has not caught up with this request body; its bytes wait in QUIC, uncredited.
                    break;
                default:
                    Http3OverQuic.Deliver(H3, Quic, e, _frontend.ReadBuffer);
                    break;
            }
        }

        HandleHttp3Events();
        if (Quic.IsTerminated || Quic.CloseReason is not null)
        {
            AbortAll();
            return;
        }

        _pulling.Clear();
        _pulling.AddRange(_exchanges.Values);
        foreach (var exchange in _pulling)
        {
            exchange.PullResponse();
        }

        Drain();
    }

    private void HandleHttp3Events()
    {
        while (H3.TryPollEvent(out var e))
        {
            switch (e)
            {
                case HeadersReceived headers when !_exchanges.ContainsKey(headers.StreamId):
                    Accept(headers);
                    break;
                case DataReceived data when _exchanges.TryGetValue(data.StreamId, out var exchange):
                    if (!data.Data.IsEmpty)
                    {
                        exchange.ReceiveData(data.Data.Span);
                    }

                    if (data.EndStream)
                    {
                        exchange.ReceiveEnd();
                    }

                    break;
                case StreamReset { ByPeer: true } reset when _exchanges.TryGetValue(reset.StreamId, out var exchange):
                    exchange.Abort(resetOurs: true);
                    break;
                case StopSendingReceived stop when _exchanges.TryGetValue(stop.StreamId, out var exchange):
                    // QUIC has already answered with RESET_STREAM.
                    exchange.Abort(resetOurs: false);
                    break;
                case MalformedMessageReceived malformed:
                    // The core judged the request (RFC 9114 4.1.2) and reset its stream with H3_MESSAGE_ERROR.
                    if (_exchanges.TryGetValue(malformed.Violation.StreamId, out var judged))
                    {
                        judged.Abort(resetOurs: false);
                    }

                    _frontend.Log($"HTTP/3 {malformed.Violation} -> reset H3_MESSAGE_ERROR");
                    break;
                case StreamReset failed when _exchanges.TryGetValue(failed.StreamId, out var exchange):
                    exchange.Abort(resetOurs: false);
                    _frontend.Log($"HTTP/3 stream {failed.StreamId} -> reset {Http3ErrorCodes.Name(failed.Code)} ({failed.Reason})");
                    break;
            }
        }
    }

    private void Accept(HeadersReceived headers)
    {
        if (!RequestHead.TryParse(headers.Fields, out var head, out var problem))
        {
            // RFC 9114 Section 4.1.2: a malformed request is a stream error of type H3_MESSAGE_ERROR.
            H3.ResetStream(headers.StreamId, Http3ErrorCode.MessageError);
            _frontend.Log($"HTTP/3 malformed request on stream {headers.StreamId} -> reset H3_MESSAGE_ERROR ({problem})");
            return;
        }

        var exchange = new FrontendExchange(this, headers.StreamId, head, headers.Fields);
        _exchanges[headers.StreamId] = exchange;
        exchange.Start(_application);
    }

    /// <summary>The app drained a full request pipe: read what QUIC held back for the stream.</summary>
    public void ResumeReading(long streamId)
    {
        Http3OverQuic.Read(H3, Quic, streamId, _frontend.ReadBuffer);
        HandleHttp3Events();
    }

    public void Forget(FrontendExchange exchange) => _exchanges.Remove(exchange.StreamId);

    /// <summary>Runs <paramref name="action"/> on the listener thread, unless the connection has ended meanwhile.</summary>
    public void Post(Action action) => _frontend.Post(() => Run(action));

    private void Drain()
    {
        Http3OverQuic.Flush(H3, Quic, _frontend.Now);
        // Work posted from a request's task changed the connection outside the endpoint's calls.
        _frontend.Wake(this);
    }

    private void Run(Action action)
    {
        if (Quic.IsTerminated || Quic.CloseReason is not null)
        {
            AbortAll();
            return;
        }

        try
        {
            action();
            Drain();
        }
        catch (InvalidOperationException)
        {
            // The stream was reset or closed by the client while the answer was on its way.
        }
    }

    private void AbortAll()
    {
        if (_aborted)
        {
            return;
        }

        _aborted = true;
        foreach (var exchange in _exchanges.Values.ToList())
        {
            exchange.Abort(resetOurs: false);
        }

        _exchanges.Clear();
    }
}
