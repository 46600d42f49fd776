using System.Buffers;
using System.IO.Pipelines;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Primitives;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hxi.Server.Http3;

/// <summary>
/// One HTTP/3 request and its response, run through the ASP.NET Core pipeline in-process: the request body flows in
/// through a pipe as DATA arrives, the response body flows out through another as QUIC flow control allows.
/// </summary>
/// <remarks>
/// Two sides: the app's (the features, on thread-pool threads) and the listener thread's (this file), which alone
/// touches the HTTP/3 and QUIC cores. Backpressure both ways: a full request pipe stops the reads from QUIC, so the
/// client runs out of MAX_STREAM_DATA credit; a QUIC stream holding <see cref="SendHighWater"/> unacknowledged bytes
/// stops the pulls from the response pipe, whose full buffer then holds up the app's writes.
/// </remarks>
internal sealed partial class FrontendExchange
{
    /// <summary>Bytes handed to QUIC and not yet acknowledged, per stream, before we stop pulling the response.</summary>
    private const long SendHighWater = 2 * 1024 * 1024;

    private readonly FrontendConnection _connection;
    private readonly RequestHead _head;
    private readonly IReadOnlyList<HeaderField> _fields;
    private readonly Pipe _request = new(new PipeOptions(
        pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));

    private readonly Pipe _response = new(new PipeOptions(
        pauseWriterThreshold: 512 * 1024, resumeWriterThreshold: 256 * 1024, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false));

    // Listener-thread state.
    private bool _headSent;
    private bool _responseFinished;
    private bool _waitingForData;
    private bool _requestEnded;
    private bool _requestEndPending;
    private volatile bool _reset;

    public FrontendExchange(FrontendConnection connection, long streamId, RequestHead head, IReadOnlyList<HeaderField> fields)
    {
        _connection = connection;
        StreamId = streamId;
        _head = head;
        _fields = fields;
    }

    public long StreamId { get; }

    /// <summary>True while the request pipe is full: the stream's QUIC data stays unread (and uncredited) until the app catches up.</summary>
    public bool ReadingPaused { get; private set; }

    public bool IsDone => _responseFinished && _requestEnded;

    /// <summary>Runs the request through the pipeline on the thread pool.</summary>
    public void Start(Http3Application application) => _ = Task.Run(() => RunAsync(application));

    private async Task RunAsync(Http3Application application)
    {
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(RequestFeature());
        features.Set<IHttpResponseFeature>(this);
        features.Set<IHttpResponseBodyFeature>(this);
        features.Set<IHttpResponseTrailersFeature>(this);
        features.Set<IHttpResetFeature>(this);
        features.Set<IHttpRequestLifetimeFeature>(this);
        features.Set<IHttpRequestBodyDetectionFeature>(this);
        features.Set<IRequestBodyPipeFeature>(this);
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = _connection.Id,
            RemoteIpAddress = _connection.Remote.Address,
            RemotePort = _connection.Remote.Port,
            LocalIpAddress = _connection.Local.Address,
            LocalPort = _connection.Local.Port,
        });
        var context = new DefaultHttpContext(features) { RequestServices = application.Services };
        try
        {
            await application.Pipeline(context).ConfigureAwait(false);
        }
        // Only the app's own code can throw here (a bug in a route), never the peer's bytes: those were judged before the
        // request reached the pipeline. RouteTable has already logged the exception with its type and message; what is
        // left is to give the client an answer, 500 or H3_INTERNAL_ERROR, as Kestrel does over HTTP/2.
#pragma warning disable CA1031 // The app has no caller to throw to: whatever it threw, the client must get an answer.
        catch (Exception)
#pragma warning restore CA1031
        {
            if (!_started && !_reset)
            {
                StatusCode = StatusCodes.Status500InternalServerError;
                Headers.Clear();
            }
            else if (!_reset)
            {
                Reset((int)Http3ErrorCode.InternalError);
            }
        }

        await FinishAsync().ConfigureAwait(false);
    }

    private async Task FinishAsync()
    {
        try
        {
            if (!_reset)
            {
                await EnsureStartedAsync(default).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Aborted meanwhile: no head to send.
        }

        await _response.Writer.CompleteAsync().ConfigureAwait(false);
        await _request.Reader.CompleteAsync().ConfigureAwait(false);
        for (var index = _onCompleted.Count - 1; index >= 0; index--)
        {
            await _onCompleted[index].Callback(_onCompleted[index].State).ConfigureAwait(false);
        }
    }

    private HttpRequestFeature RequestFeature()
    {
        var target = _head.Path;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var headers = new HeaderDictionary();
        foreach (var field in _fields.Where(f => !f.IsPseudo))
        {
            // RFC 9114 Section 4.2.1: cookie may arrive split into several fields; the app sees one.
            if (field.Name == "cookie" && headers.TryGetValue("cookie", out var cookie))
            {
                headers["cookie"] = $"{cookie}; {field.Value}";
                continue;
            }

            headers.Append(field.Name, field.Value);
        }

        if (_head.Authority is { } authority && !headers.ContainsKey("host"))
        {
            headers["host"] = authority;
        }

        return new HttpRequestFeature
        {
            Protocol = "HTTP/3",
            // The connection's scheme, as Kestrel reports it: QUIC is always TLS.
            Scheme = "https",
            Method = _head.Method,
            PathBase = "",
            Path = path == "*" ? "" : PathString.FromUriComponent(path).Value ?? "",
            QueryString = question < 0 ? "" : target[question..],
            RawTarget = target,
            Headers = headers,
            Body = _request.Reader.AsStream(),
        };
    }

    /// <summary>DATA for the request body (listener thread).</summary>
    public void ReceiveData(ReadOnlySpan<byte> data)
    {
        if (_requestEnded)
        {
            return;
        }

        _request.Writer.Write(data);
        if (!ReadingPaused)
        {
            FlushRequest();
        }
    }

    /// <summary>The client finished the request (listener thread).</summary>
    public void ReceiveEnd()
    {
        if (ReadingPaused)
        {
            _requestEndPending = true;
            return;
        }

        EndRequest();
        ForgetIfDone();
    }

    private void FlushRequest()
    {
        var flush = _request.Writer.FlushAsync();
        if (flush.IsCompleted)
        {
            _ = flush.Result;
            return;
        }

        ReadingPaused = true;
        _ = ResumeWhenDrainedAsync(flush);
    }

    private async Task ResumeWhenDrainedAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _connection.Post(() =>
        {
            ReadingPaused = false;
            if (_requestEnded)
            {
                return;
            }

            if (_requestEndPending)
            {
                EndRequest();
                ForgetIfDone();
                return;
            }

            _connection.ResumeReading(StreamId);
        });
    }

    private void EndRequest()
    {
        if (!_requestEnded)
        {
            _requestEnded = true;
            _request.Writer.Complete();
        }
    }

    /// <summary>The app's response head, frozen when it started (listener thread).</summary>
    private void SendHead(List<HeaderField> head)
    {
        if (_responseFinished || _headSent)
        {
            return;
        }

        _connection.H3.SendHeaders(StreamId, head, endStream: false);
        _headSent = true;
        PullResponse();
    }

    /// <summary>Moves response bytes from the pipe to QUIC while the stream has room (listener thread, after every datagram).</summary>
    public void PullResponse()
    {
        if (_responseFinished || !_headSent || _waitingForData)
        {
            return;
        }

        var reader = _response.Reader;
        while (_connection.Quic.GetBufferedBytes(StreamId) < SendHighWater)
        {
            if (!reader.TryRead(out var result))
            {
                _waitingForData = true;
                _ = WakeWhenDataAsync();
                return;
            }

            foreach (var segment in result.Buffer)
            {
                if (!segment.IsEmpty)
                {
                    _connection.H3.SendData(StreamId, segment.Span, endStream: false);
                }
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                if (!_reset)
                {
                    FinishResponse();
                }

                // Otherwise the app reset the stream before its body ended; ResetFromApp, posted before, follows.
                return;
            }
        }
    }

    private async Task WakeWhenDataAsync()
    {
        // Looks without consuming; the listener thread takes the bytes with TryRead.
        var result = await _response.Reader.ReadAsync().ConfigureAwait(false);
        _response.Reader.AdvanceTo(result.Buffer.Start);
        _connection.Post(() =>
        {
            _waitingForData = false;
            if (_responseFinished)
            {
                // Abandoned while this read was pending: the reader is ours to complete now.
                _response.Reader.Complete();
                return;
            }

            PullResponse();
        });
    }

    private void FinishResponse()
    {
        _responseFinished = true;
        _response.Reader.Complete();
        var trailers = Fields(Trailers).ToList();
        if (trailers.Count > 0)
        {
            _connection.H3.SendHeaders(StreamId, trailers, endStream: true);
        }
        else
        {
            _connection.H3.EndStream(StreamId);
        }

        if (!_requestEnded)
        {
            // RFC 9114 Section 4.1: the response is complete, so the rest of the request is not needed.
            _connection.H3.StopReading(StreamId, Http3ErrorCode.NoError);
            ReadingPaused = false;
            EndRequest();
        }

        ForgetIfDone();
    }

    /// <summary>The app reset the stream (IHttpResetFeature, or a failure after the head went out).</summary>
    private void ResetFromApp(ulong code)
    {
        if (_responseFinished)
        {
            return;
        }

        _connection.H3.ResetStream(StreamId, (Http3ErrorCode)code);
        Abandon();
    }

    /// <summary>The client reset the stream or stopped reading it, or the connection ended: the app is told through RequestAborted.</summary>
    public void Abort(bool resetOurs)
    {
        if (IsDone)
        {
            return;
        }

        if (resetOurs && !_responseFinished)
        {
            _connection.H3.ResetStream(StreamId, Http3ErrorCode.RequestCancelled);
        }

        _aborted.Cancel();
        Abandon();
    }

    private void Abandon()
    {
        _responseFinished = true;
        if (_waitingForData)
        {
            // A read is pending on another thread; it ends now and completes the reader from the listener thread.
            _response.Reader.CancelPendingRead();
        }
        else
        {
            _response.Reader.Complete();
        }

        if (!_requestEnded)
        {
            _requestEnded = true;
            _request.Writer.Complete(new IOException("the client reset the request stream"));
        }

        ForgetIfDone();
    }

    private void ForgetIfDone()
    {
        if (IsDone)
        {
            _connection.Forget(this);
        }
    }
}
