using System.Globalization;
using System.IO.Pipelines;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Primitives;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hxi.Server.Http3;

/// <summary>
/// The HttpContext features of an HTTP/3 request, as a server hands them to the ASP.NET Core pipeline (Kestrel's own,
/// or TestHost's HttpContextBuilder): this is the app-thread side of the exchange.
/// </summary>
internal sealed partial class FrontendExchange :
    IHttpResponseFeature,
    IHttpResponseBodyFeature,
    IHttpResponseTrailersFeature,
    IHttpResetFeature,
    IHttpRequestLifetimeFeature,
    IHttpRequestBodyDetectionFeature,
    IRequestBodyPipeFeature
{
    // Connection-specific fields have no place in HTTP/3 (RFC 9114 Section 4.2).
    private static readonly HashSet<string> ConnectionSpecific =
        new(["connection", "transfer-encoding", "keep-alive", "upgrade", "proxy-connection"], StringComparer.OrdinalIgnoreCase);

    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private readonly CancellationTokenSource _aborted = new();
    private readonly SemaphoreSlim _starting = new(1, 1);
    private ResponseBodyWriter? _bodyWriter;
    private Stream? _bodyStream;
    private volatile bool _started;

    // IHttpResponseFeature
    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    Stream IHttpResponseFeature.Body
    {
        get => Stream;
        set => throw new NotSupportedException("replace IHttpResponseBodyFeature instead");
    }

    public bool HasStarted => _started;

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (_started)
        {
            throw new InvalidOperationException("the response has already started");
        }

        _onStarting.Add((callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    // IHttpResponseBodyFeature
    public Stream Stream => _bodyStream ??= Writer.AsStream();

    public PipeWriter Writer => _bodyWriter ??= new ResponseBodyWriter(_response.Writer, EnsureStartedAsync);

    public void DisableBuffering()
    {
        // Nothing is held back: every flush is handed to QUIC as soon as it has credit.
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => EnsureStartedAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        await EnsureStartedAsync(default).ConfigureAwait(false);
        await Writer.CompleteAsync().ConfigureAwait(false);
    }

    // IHttpResponseTrailersFeature
    public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();

    // IHttpResetFeature: the code is an HTTP/3 one, as with Kestrel's HTTP/3 (H3_INTERNAL_ERROR is 0x102).
    public void Reset(int errorCode)
    {
        _reset = true;
        _aborted.Cancel();
        _connection.Post(() => ResetFromApp((ulong)errorCode));
    }

    // IHttpRequestLifetimeFeature
    public CancellationToken RequestAborted
    {
        get => _aborted.Token;
        set => throw new NotSupportedException("the request's lifetime is the stream's");
    }

    public void Abort() => Reset((int)Http3ErrorCode.RequestCancelled);

    // IRequestBodyPipeFeature: the request body as it arrives, never collected whole.
    public PipeReader Reader => _request.Reader;

    // IHttpRequestBodyDetectionFeature: a request ends with its HEADERS when the client sent no DATA.
    public bool CanHaveBody => true;

    /// <summary>Runs OnStarting, then freezes the status and headers and posts them to the listener thread as HEADERS.</summary>
    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started)
            {
                return;
            }

            for (var index = _onStarting.Count - 1; index >= 0; index--)
            {
                await _onStarting[index].Callback(_onStarting[index].State).ConfigureAwait(false);
            }

            var head = new List<HeaderField> { new(":status", StatusCode.ToString(CultureInfo.InvariantCulture)) };
            head.AddRange(Fields(Headers));
            if (Headers is HeaderDictionary frozen)
            {
                frozen.IsReadOnly = true;
            }

            _started = true;
            _connection.Post(() => SendHead(head));
        }
        finally
        {
            _starting.Release();
        }
    }

    private static IEnumerable<HeaderField> Fields(IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
        {
            if (ConnectionSpecific.Contains(name))
            {
                continue;
            }

            var lower = name.ToLowerInvariant();
            foreach (var value in values)
            {
                yield return new HeaderField(lower, value ?? "");
            }
        }
    }
}
