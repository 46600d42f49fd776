using System.Buffers;
using System.Diagnostics;
using System.Text;
using Hxi.Net.Client;
using Hxi.Net.Transport;
using Hxi.Protocols.Http1;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Net.Http1;

/// <summary>Drives the HTTP/1.1 codec over a byte stream: one request at a time, kept alive when allowed.</summary>
public sealed class Http1ClientConnection(TransportConnection transport, ClientOptions options, ConnectionInfo info) : IHttpConnection
{
    private const int ReadBufferSize = 64 * 1024;

    // The parser shows each response part on the tap as it decodes it: head, chunk lines, body, trailers.
    private readonly Http1ResponseParser _parser = new(tap: options.Tap);
    private readonly byte[] _readBuffer = new byte[ReadBufferSize];
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private bool _reusable = true;
    private bool _upgradeRequested;
    private int _requestsCompleted;

    public string Protocol => "HTTP/1.1";

    public ConnectionInfo Info { get; } = info;

    public bool IsReusable => _reusable;

    public int RequestsCompleted => _requestsCompleted;

    /// <summary>Set when the server answered an Upgrade with 101; the connection now belongs to the new protocol.</summary>
    public Http1SwitchingProtocols? SwitchedProtocols { get; private set; }

    /// <summary>Bytes that followed the 101 in the same read: the start of the new protocol.</summary>
    public ReadOnlyMemory<byte> TakeBytesAfterSwitch() => _parser.TakeRemainingBytes();

    /// <summary>
    /// Sends a request carrying Upgrade headers. Either the server answers it normally over HTTP/1.1
    /// (the summary), or it switches with 101 (<see cref="SwitchedProtocols"/> is set, the summary's status is 101).
    /// </summary>
    public async Task<ResponseSummary> SendUpgradeAsync(HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        _upgradeRequested = true;
        return await SendAsync(request, handler, ct);
    }

    /// <summary>The header fields as they go on the wire: Host first, then the user's, then body framing.</summary>
    public static List<HeaderField> BuildHeaders(HxiRequest request)
    {
        var fields = new List<HeaderField>();
        if (!request.Headers.Any(h => h.Name.Equals("host", StringComparison.OrdinalIgnoreCase)))
        {
            fields.Add(new HeaderField("Host", request.Authority));
        }

        fields.AddRange(request.Headers);
        var framed = request.Headers.Any(h => h.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
            || h.Name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase));
        if (request.Body is not null && !framed)
        {
            fields.Add(request.Body.Length is { } length
                ? new HeaderField("Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture))
                : new HeaderField("Transfer-Encoding", "chunked"));
        }

        return fields;
    }

    public async Task<ResponseSummary> SendAsync(HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            return await ExchangeAsync(request, handler, ct);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _reusable = false;
            throw new HxiException(FailureKind.Protocol, $"connection lost: {ex.Message}", ex);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<ResponseSummary> ExchangeAsync(HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var reused = _requestsCompleted > 0;
        await WriteRequestAsync(request, BuildHeaders(request), ct);
        try
        {
            // Bytes that came before the request (a server that speaks first, as an HTTP/2-only one does) parse here.
            _parser.ExpectResponse(request.Method);
        }
        catch (Http1ProtocolException ex)
        {
            _reusable = false;
            throw Malformed(ex);
        }

        var (head, bodyBytes, firstByte) = await ReadResponseAsync(handler, clock, ct);
        _requestsCompleted++;
        return new ResponseSummary(head, bodyBytes, firstByte, clock.Elapsed, Info, reused);
    }

    /// <summary>Writes the request head, then the body (Content-Length or chunked), as one flush when small.</summary>
    public async Task WriteRequestAsync(HxiRequest request, IReadOnlyList<HeaderField> fields, CancellationToken ct)
    {
        var head = new ArrayBufferWriter<byte>();
        var chunked = request.Body is not null && fields.Any(h => h.Name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase));
        // The fields already carry the body's framing (BuildHeaders adds Content-Length or Transfer-Encoding),
        // so the writer must not add a second Content-Length: it refuses the request if asked to.
        Http1RequestWriter.Write(head, request.Method, request.Target, fields, contentLength: null);
        options.Tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Http1, head.WrittenMemory, new Http1Text(Encoding.Latin1.GetString(head.WrittenSpan))));
        await transport.Stream.WriteAsync(head.WrittenMemory, ct);
        if (request.Body is not null)
        {
            await using var body = request.Body.Open();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (chunked)
                {
                    var chunk = new ArrayBufferWriter<byte>(read + 16);
                    Http1RequestWriter.WriteChunk(chunk, buffer.AsSpan(0, read));
                    await transport.Stream.WriteAsync(chunk.WrittenMemory, ct);
                }
                else
                {
                    await transport.Stream.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                options.Tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Http1, buffer.AsMemory(0, read), new Http1BodyBytes(read)));
            }

            if (chunked)
            {
                var last = new ArrayBufferWriter<byte>();
                Http1RequestWriter.WriteLastChunk(last, null);
                await transport.Stream.WriteAsync(last.WrittenMemory, ct);
            }
        }

        await transport.Stream.FlushAsync(ct);
    }

    private async Task<(ResponseHead Head, long BodyBytes, TimeSpan FirstByte)> ReadResponseAsync(IResponseHandler handler, Stopwatch clock, CancellationToken ct)
    {
        ResponseHead? head = null;
        long bodyBytes = 0;
        var firstByte = TimeSpan.Zero;
        var endOfStream = false;
        while (true)
        {
            while (_parser.TryPollEvent(out var e))
            {
                switch (e)
                {
                    case Http1InterimResponseReceived interim:
                        handler.OnInterimResponse(new ResponseHead(Protocol, interim.StatusCode, interim.Reason, interim.Headers, null));
                        break;
                    case Http1ResponseHeadReceived received:
                        head = new ResponseHead(received.Version, received.StatusCode, received.Reason, received.Headers, null);
                        handler.OnResponseHead(head);
                        break;
                    case Http1BodyDataReceived data:
                        bodyBytes += data.Data.Length;
                        handler.OnBodyData(data.Data.Span);
                        break;
                    case Http1ResponseCompleted completed:
                        if (completed.Trailers.Count > 0)
                        {
                            handler.OnTrailers(completed.Trailers);
                        }

                        _reusable &= completed.KeepAlive;
                        return (head!, bodyBytes, firstByte);
                    case Http1SwitchingProtocols switched:
                        _reusable = false;
                        if (!_upgradeRequested)
                        {
                            throw new HxiException(FailureKind.Protocol, "the server switched protocols (101) although hxi did not ask for an Upgrade");
                        }

                        SwitchedProtocols = switched;
                        return (new ResponseHead(Protocol, 101, "Switching Protocols", switched.Headers, null), 0, firstByte);
                }
            }

            var read = await transport.Stream.ReadAsync(_readBuffer, ct);
            if (firstByte == TimeSpan.Zero)
            {
                firstByte = clock.Elapsed;
            }

            try
            {
                if (read == 0)
                {
                    _reusable = false;
                    if (endOfStream)
                    {
                        throw new HxiException(FailureKind.Protocol, head is null
                            ? "the server closed the connection before sending a response"
                            : "the server closed the connection before the response was complete");
                    }

                    endOfStream = true;
                    _parser.ReceiveEof();
                    continue;
                }

                _parser.Receive(_readBuffer.AsSpan(0, read));
            }
            catch (Http1ProtocolException ex)
            {
                _reusable = false;
                throw Malformed(ex);
            }
        }
    }

    /// <summary>The one line for a response that is not HTTP/1.1, with the option that would have worked.</summary>
    public static HxiException Malformed(Http1ProtocolException ex) => new(FailureKind.Protocol, Describe(ex, "--http2-prior-knowledge", "https://"), ex);

    /// <summary>What went wrong, and when the bytes are another protocol's, how to speak it.</summary>
    public static string Describe(Http1ProtocolException ex, string http2Option, string tlsScheme) => ex.Foreign switch
    {
        Http1ForeignProtocol.Http2 => $"{ex.Message}: this server speaks only HTTP/2 (h2c); use {http2Option}",
        Http1ForeignProtocol.Tls => $"{ex.Message}: this port expects TLS; use {tlsScheme}",
        _ => $"malformed HTTP/1.1 response: {ex.Message}",
    };

    public async ValueTask DisposeAsync()
    {
        _reusable = false;
        await transport.DisposeAsync();
        _oneAtATime.Dispose();
    }
}

/// <summary>HTTP/1.1 text as it went over the wire, for the wire view.</summary>
public sealed record Http1Text(string Text);

/// <summary>A run of request body bytes, shown by size rather than content.</summary>
public sealed record Http1BodyBytes(int Length);
