using System.Text;
using Hxi.Net.Client;
using Hxi.Net.Transport;
using Hxi.Protocols.Http1;
using Hxi.Protocols.Trace;

namespace Hxi.Net.Http1;

/// <summary>
/// An HTTP/1.1 connection for typing at (the REPL's telnet mode): bytes go out exactly as given,
/// and a background reader parses whatever comes back, reporting responses as they arrive.
/// </summary>
/// <remarks>
/// Unlike <see cref="Http1ClientConnection"/> nothing is validated or framed here: the caller says
/// which method each request used so the parser knows whether a body follows (HEAD has none),
/// and requests may be pipelined; responses are matched to them in order.
/// </remarks>
public sealed class Http1RawConnection : IAsyncDisposable
{
    private readonly TransportConnection _transport;
    private readonly IWireTap _tap;
    private readonly Http1ResponseParser _parser;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Task? _readLoop;
    private string? _closedReason;
    private long _bytesSent;
    private long _bytesReceived;

    public Http1RawConnection(TransportConnection transport, IWireTap tap)
    {
        _transport = transport;
        _tap = tap;
        _parser = new Http1ResponseParser(tap: tap);
    }

    public ConnectionInfo Info => _transport.Info;

    /// <summary>Parsed response events, on the reading thread, in order.</summary>
    public event Action<Http1Event>? EventReceived;

    /// <summary>Raised once, with the reason, when the connection ends for any cause.</summary>
    public event Action<string>? Closed;

    public string? ClosedReason => Volatile.Read(ref _closedReason);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public void Start() => _readLoop ??= Task.Run(ReadLoopAsync);

    /// <summary>Writes <paramref name="bytes"/> as they are; <paramref name="expectMethod"/> announces a response to parse.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes, string? expectMethod, CancellationToken ct)
    {
        if (ClosedReason is { } reason)
        {
            throw new HxiException(FailureKind.Protocol, $"the HTTP/1.1 connection is closed: {reason}");
        }

        await _writeLock.WaitAsync(ct);
        try
        {
            if (expectMethod is not null)
            {
                // Bytes that came before the request (a server that speaks first, as an HTTP/2-only one does) parse here.
                Parse(parser => parser.ExpectResponse(expectMethod));
            }

            _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Http1, bytes, new Http1Text(Encoding.Latin1.GetString(bytes.Span))));
            await _transport.Stream.WriteAsync(bytes, ct);
            await _transport.Stream.FlushAsync(ct);
            Interlocked.Add(ref _bytesSent, bytes.Length);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            Close($"connection lost while writing: {ex.Message}");
            throw new HxiException(FailureKind.Protocol, $"connection lost: {ex.Message}", ex);
        }
        catch (Http1ProtocolException ex)
        {
            var why = Describe(ex);
            Close(why);
            throw new HxiException(FailureKind.Protocol, why, ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await _transport.Stream.ReadAsync(buffer, _closing.Token);
                if (read == 0)
                {
                    Parse(parser => parser.ReceiveEof());
                    Close("the server closed the connection");
                    return;
                }

                Interlocked.Add(ref _bytesReceived, read);
                Parse(parser => parser.Receive(buffer.AsSpan(0, read)));
            }
        }
        catch (OperationCanceledException)
        {
            Close("connection closed");
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            Close($"connection lost: {ex.Message}");
        }
        catch (Http1ProtocolException ex)
        {
            Close(Describe(ex));
        }
        catch (Exception ex)
        {
            // Nobody awaits this loop until the end: a bug here must still be said, not leave the session hanging.
            Close($"hxi failed reading the connection: {ex.GetType().Name}: {ex.Message} (a bug in hxi)");
        }
    }

    // The REPL's way to speak HTTP/2 or TLS is a new session: say how to start it.
    private static string Describe(Http1ProtocolException ex) =>
        Http1ClientConnection.Describe(ex, "hxi repl --http2-prior-knowledge", "an https:// URL");

    private delegate void ParserInput(Http1ResponseParser parser);

    // Events are raised outside the lock so a handler may send the next request straight away.
    private void Parse(ParserInput input)
    {
        var events = new List<Http1Event>();
        lock (_gate)
        {
            try
            {
                input(_parser);
            }
            finally
            {
                while (_parser.TryPollEvent(out var e))
                {
                    events.Add(e);
                }
            }
        }

        foreach (var e in events)
        {
            EventReceived?.Invoke(e);
        }
    }

    private void Close(string reason)
    {
        if (Interlocked.CompareExchange(ref _closedReason, reason, null) is null)
        {
            Closed?.Invoke(reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Interlocked.CompareExchange(ref _closedReason, "connection closed", null);
        _closing.Cancel();
        await _transport.DisposeAsync();
        if (_readLoop is not null)
        {
            await _readLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _closing.Dispose();
        _writeLock.Dispose();
    }
}
