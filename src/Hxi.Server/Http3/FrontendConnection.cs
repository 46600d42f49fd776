using System.Net;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Server.Http3;

/// <summary>One client's QUIC connection and its HTTP/3 session; touched only on the listener thread.</summary>
internal sealed class FrontendConnection
{
    private readonly Http3Frontend _frontend;
    private readonly Http3Connection _h3;
    private readonly Dictionary<long, FrontendRequest> _requests = [];
    private readonly byte[] _readBuffer = new byte[65_536];

    public FrontendConnection(Http3Frontend frontend, IPEndPoint remote, QuicConnection quic)
    {
        _frontend = frontend;
        Remote = remote;
        Quic = quic;
        _h3 = new Http3Connection(Http3Role.Server, new Http3ConnectionOptions(), null, bidirectional => quic.OpenStream(bidirectional));
    }

    public IPEndPoint Remote { get; }

    public QuicConnection Quic { get; }

    private bool _started;

    /// <summary>Moves bytes between the QUIC streams and the HTTP/3 core, and acts on what that produced.</summary>
    public void Pump()
    {
        while (Quic.TryPollEvent(out var e))
        {
            switch (e)
            {
                case QuicHandshakeCompleted when !_started:
                    _started = true;
                    _h3.Start();
                    break;
                default:
                    Http3OverQuic.Deliver(_h3, Quic, e, _readBuffer);
                    break;
            }
        }

        while (_h3.TryPollEvent(out var e))
        {
            switch (e)
            {
                case HeadersReceived headers when !headers.IsTrailers:
                    _requests[headers.StreamId] = new FrontendRequest(headers.StreamId, headers.Fields);
                    break;
                case DataReceived data when _requests.TryGetValue(data.StreamId, out var request):
                    request.Body.Write(data.Data.Span);
                    break;
                case StreamEnded ended when _requests.Remove(ended.StreamId, out var request):
                    _ = ForwardAsync(request);
                    break;
            }
        }

        Drain();
    }

    private void Drain()
    {
        Http3OverQuic.Flush(_h3, Quic, _frontend.Now);
        // Work posted from the forwarding task changed the connection outside the endpoint's calls.
        _frontend.Wake(this);
    }

    /// <summary>Sends the request to the Kestrel routes over h2c and streams the answer back as HTTP/3.</summary>
    private async Task ForwardAsync(FrontendRequest request)
    {
        try
        {
            using var message = request.ToBackendRequest(_frontend.BackendUri);
            using var response = await _frontend.Backend.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            var head = ResponseFields(response);
            _frontend.Post(() => Run(() => _h3.SendHeaders(request.StreamId, head, endStream: false)));
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                var chunk = buffer.AsSpan(0, read).ToArray();
                _frontend.Post(() => Run(() => _h3.SendData(request.StreamId, chunk, endStream: false)));
            }

            var trailers = response.TrailingHeaders.SelectMany(h => h.Value.Select(v => new HeaderField(h.Key.ToLowerInvariant(), v))).ToList();
            _frontend.Post(() => Run(() =>
            {
                if (trailers.Count > 0)
                {
                    _h3.SendHeaders(request.StreamId, trailers, endStream: true);
                }
                else
                {
                    _h3.EndStream(request.StreamId);
                }
            }));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
        {
            _frontend.Post(() => Run(() => _h3.ResetStream(request.StreamId, Http3ErrorCode.InternalError)));
            _frontend.Log($"HTTP/3 {request.Method} {request.Path} -> reset H3_INTERNAL_ERROR ({ex.Message})");
        }
    }

    // Work for a connection that may have closed meanwhile: skipped then, never thrown on the listener thread.
    private void Run(Action action)
    {
        if (Quic.IsTerminated || Quic.CloseReason is not null)
        {
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

    private static List<HeaderField> ResponseFields(HttpResponseMessage response)
    {
        var fields = new List<HeaderField> { new(":status", ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            var lower = name.ToLowerInvariant();
            if (lower is "connection" or "transfer-encoding" or "keep-alive" or "upgrade")
            {
                continue;
            }

            fields.AddRange(values.Select(value => new HeaderField(lower, value)));
        }

        return fields;
    }
}
