using System.Buffers;
using System.Threading.Channels;
using Hxi.Net.Client;
using Hxi.Net.Transport;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Conformance.Http2;

/// <summary>What the server did next: sent a frame (with its decoded fields when it ended a field block), or closed.</summary>
public sealed record Http2Observation(Http2Frame? Frame, IReadOnlyList<HeaderField>? Fields, string? Closed)
{
    public bool IsClosed => Closed is not null;
}

/// <summary>
/// A client end of an HTTP/2 connection that sends exactly what a case asks, legal or not, and reports every frame the
/// server sends. It uses the protocol library's codecs but none of its rules: the strict client connection would refuse
/// to send what the cases must send.
/// </summary>
public sealed partial class RawHttp2Peer : IAsyncDisposable
{
    private readonly TransportConnection _connection;
    private readonly CaseContext _context;
    private readonly Channel<Http2Observation> _inbox = Channel.CreateUnbounded<Http2Observation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly HpackDecoder _decoder = new(4096, int.MaxValue);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Task _reader;

    // A field block the server has not finished yet (HEADERS or PUSH_PROMISE, then CONTINUATION).
    private readonly ArrayBufferWriter<byte> _block = new();
    private bool _inBlock;

    private RawHttp2Peer(TransportConnection connection, CaseContext context)
    {
        _connection = connection;
        _context = context;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>The settings of the server's first SETTINGS frame, once <see cref="HandshakeAsync"/> has seen it.</summary>
    public IReadOnlyList<Http2Setting> ServerSettings { get; private set; } = [];

    public CaseContext Context => _context;

    /// <summary>Opens TCP (h2c prior knowledge) or TLS with ALPN h2 to the target; fails the case setup if TLS chose another protocol.</summary>
    public static async Task<RawHttp2Peer> ConnectAsync(CaseContext context)
    {
        var target = context.Target;
        var url = new UriBuilder(target.Url) { Scheme = target.Tls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp }.Uri;
        var options = new ClientOptions
        {
            Insecure = target.Insecure,
            CaCertificatePath = target.CaCertificatePath,
            ConnectTimeout = target.CaseTimeout + TimeSpan.FromSeconds(3),
        };
        var connection = await TransportConnector.ConnectAsync(url, ["h2"], options, context.Cancellation);
        if (target.Tls && connection.Info.Protocol != "h2")
        {
            await connection.DisposeAsync();
            throw new HxiException(FailureKind.Protocol, $"the server chose ALPN '{connection.Info.Protocol}', not h2");
        }

        return new RawHttp2Peer(connection, context);
    }

    /// <summary>Preface, our SETTINGS; then waits for the server's SETTINGS (and acknowledges them) and for its ACK of ours.</summary>
    /// <exception cref="CaseSetupException">The server closed, sent GOAWAY or stayed silent before the handshake ended.</exception>
    public async Task HandshakeAsync(params Http2Setting[] settings)
    {
        await SendPrefaceAsync();
        await SendAsync(new SettingsFrame(false, settings));
        bool serverSettings = false, acknowledged = false;
        while (!serverSettings || !acknowledged)
        {
            var next = await NextAsync(_context.Target.CaseTimeout);
            switch (next)
            {
                case null:
                    throw new CaseSetupException($"handshake: no {(serverSettings ? "SETTINGS ACK" : "SETTINGS")} from the server within {_context.Target.CaseTimeout.TotalSeconds:0.#} s");
                case { IsClosed: true }:
                    throw new CaseSetupException($"handshake: {next.Closed}");
                case { Frame: GoAwayFrame goAway }:
                    throw new CaseSetupException($"handshake: the server sent GOAWAY {Http2ErrorCodes.Name(goAway.ErrorCode)}");
                case { Frame: SettingsFrame { Ack: true } }:
                    acknowledged = true;
                    break;
                case { Frame: SettingsFrame received } when !serverSettings:
                    ServerSettings = received.Settings;
                    serverSettings = true;
                    await SendAsync(SettingsFrame.Acknowledgement);
                    break;
            }
        }
    }

    public Task SendPrefaceAsync() => SendBytesAsync(Http2Preface.Bytes.ToArray(), "connection preface");

    /// <summary>Writes the frames in one write, byte for byte as the records describe them.</summary>
    public async Task SendAsync(params Http2Frame[] frames)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var frame in frames)
        {
            var length = Http2FrameWriter.Write(frame, buffer) - Http2FrameHeader.Size;
            _context.Record(new Http2FrameEvidence(true, frame, length));
        }

        await WriteAsync(buffer.WrittenMemory);
    }

    /// <summary>Writes bytes that are not (only) well-formed frames: a broken preface, a frame header with a lying length.</summary>
    public async Task SendBytesAsync(byte[] bytes, string description)
    {
        _context.Record(new RawBytesEvidence(true, description, bytes.Length));
        await WriteAsync(bytes);
    }

    /// <summary>The server's next frame or its close; null when nothing came within <paramref name="wait"/>.</summary>
    public async Task<Http2Observation?> NextAsync(TimeSpan wait)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_context.Cancellation);
        timeout.CancelAfter(wait);
        try
        {
            return await _inbox.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!_context.Cancellation.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            // Closed already reported: every later read sees the same closed connection.
            return new Http2Observation(null, null, "the connection is closed");
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await _writeLock.WaitAsync(_context.Cancellation);
        try
        {
            await _connection.Stream.WriteAsync(bytes, _context.Cancellation);
            await _connection.Stream.FlushAsync(_context.Cancellation);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The server may close in the middle of what a case sends: the verdict reads the close, not the write.
            _context.Record(new NoteEvidence($"write failed: {ex.Message}"));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _connection.DisposeAsync();
        try
        {
            await _reader;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        _writeLock.Dispose();
    }
}
