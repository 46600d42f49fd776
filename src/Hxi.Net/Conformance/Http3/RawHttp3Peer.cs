using System.Diagnostics;
using System.Threading.Channels;
using Hxi.Net.Client;
using Hxi.Net.Quic;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Parameters;

namespace Hxi.Net.Conformance.Http3;

/// <summary>What kind of thing the server did.</summary>
public enum Http3SeenKind
{
    /// <summary>An HTTP/3 frame on a control, push or request stream.</summary>
    Frame,

    /// <summary>Bytes on a stream that carries no frames (QPACK instructions, an unknown stream type).</summary>
    StreamBytes,

    /// <summary>The server ended a stream cleanly (FIN).</summary>
    StreamEnded,

    /// <summary>RESET_STREAM: the server abandoned its sending half of a stream.</summary>
    StreamReset,

    /// <summary>STOP_SENDING: the server asked us to stop sending on a stream.</summary>
    StopSending,

    /// <summary>The connection is over: CONNECTION_CLOSE from the server, or idle timeout.</summary>
    Closed,
}

/// <summary>What the server did next, on which stream; <see cref="Code"/> for resets, <see cref="Close"/> for the end.</summary>
public sealed record Http3Observation(
    Http3SeenKind Kind,
    long StreamId,
    Http3Frame? Frame = null,
    IReadOnlyList<HeaderField>? Fields = null,
    ulong Code = 0,
    QuicConnectionClosed? Close = null)
{
    public bool IsClosed => Kind == Http3SeenKind.Closed;
}

/// <summary>A case could not send its input: the server's limits (MAX_STREAMS, its SETTINGS) leave no room. The case is skipped.</summary>
public sealed class Http3CaseSkippedException(string reason) : Exception(reason);

/// <summary>
/// A client end of an HTTP/3 connection over hxi's own QUIC that sends exactly what a case asks, legal or not, on
/// whatever streams it opens, and reports every frame, stream end, reset and close the server produces. It uses the
/// protocol library's codecs but none of its rules: the HTTP/3 client core would refuse to send what cases must send.
/// </summary>
/// <remarks>
/// The QUIC core lives on the UDP driver's thread: received streams are read there (<c>.Read.cs</c>) and every
/// write is marshalled there; the case's task only reads the inbox.
/// </remarks>
public sealed partial class RawHttp3Peer : IAsyncDisposable
{
    private readonly CaseContext _context;
    private readonly Channel<Http3Observation> _inbox = Channel.CreateUnbounded<Http3Observation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<SettingsFrame> _serverSettings = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<long, bool> _framedOutbound = [];
    private QuicClientConnection? _quic;

    private RawHttp3Peer(CaseContext context)
    {
        _context = context;
    }

    public CaseContext Context => _context;

    /// <summary>The server's transport parameters, from the handshake.</summary>
    public QuicTransportParameters? ServerTransportParameters { get; private set; }

    /// <summary>The server's SETTINGS, every parameter as sent (duplicates and reserved ones too), once they arrived.</summary>
    public SettingsFrame? ServerSettings => _serverSettings.Task.IsCompletedSuccessfully ? _serverSettings.Task.Result : null;

    /// <summary>Our control stream, once <see cref="StartAsync"/> opened it.</summary>
    public long ControlStreamId { get; private set; } = -1;

    /// <summary>QUIC handshake with ALPN h3 to the target (no HTTP/3 stream is opened yet).</summary>
    /// <exception cref="HxiException">The server cannot be reached, or the handshake failed or chose another protocol.</exception>
    public static async Task<RawHttp3Peer> ConnectAsync(CaseContext context)
    {
        var target = context.Target;
        var peer = new RawHttp3Peer(context);
        var url = new UriBuilder(target.Url) { Scheme = Uri.UriSchemeHttps }.Uri;
        var options = new ClientOptions
        {
            Insecure = target.Insecure,
            CaCertificatePath = target.CaCertificatePath,
            // A server's first QUIC handshake (its TLS and crypto code still cold) took over 4 s on a loaded 2-core
            // machine; the runner's deadline (twice the case timeout plus 5 s) still leaves the case its own wait.
            ConnectTimeout = target.CaseTimeout + TimeSpan.FromSeconds(5),
        };
        var quic = await QuicClientConnection.ConnectAsync(
            url, ["h3"], options, tlsObserver: null, Stopwatch.StartNew(), context.Cancellation, q => q.EventReceived += peer.OnQuicEvent);
        peer._quic = quic;
        if (quic.Handshake?.ApplicationProtocol != "h3")
        {
            await quic.DisposeAsync();
            throw new HxiException(FailureKind.Protocol, $"the server chose ALPN '{quic.Handshake?.ApplicationProtocol}', not h3");
        }

        await quic.InvokeAsync(core =>
        {
            peer.Attach(core);
            return true;
        });
        return peer;
    }

    /// <summary>Opens our control stream with <paramref name="settings"/> (an empty SETTINGS by default), then waits for the server's SETTINGS.</summary>
    /// <exception cref="CaseSetupException">The server closed, or sent no SETTINGS within the case's timeout.</exception>
    public async Task StartAsync(params Http3Setting[] settings)
    {
        ControlStreamId = await OpenUniAsync(Http3StreamType.Control, Http3FrameWriter.ToArray(new SettingsFrame(settings)));
        await WaitForServerSettingsAsync();
    }

    /// <summary>Waits for the server's SETTINGS (RFC 9114 Section 6.2.1: sent as soon as the transport allows).</summary>
    public async Task<SettingsFrame> WaitForServerSettingsAsync()
    {
        try
        {
            return await _serverSettings.Task.WaitAsync(_context.Target.CaseTimeout, _context.Cancellation);
        }
        catch (TimeoutException)
        {
            throw new CaseSetupException($"setup: no SETTINGS on the server's control stream within {_context.Target.CaseTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>The value of a server setting, or <paramref name="defaultValue"/> (RFC 9114: every default is 0 or unlimited).</summary>
    public long ServerSetting(long id, long defaultValue = 0) => ServerSettings?.Get(id, defaultValue) ?? defaultValue;

    /// <summary>Marks what follows as the case's test input.</summary>
    public void MarkTrigger() => _context.MarkTrigger();

    /// <summary>Opens a unidirectional stream: its type, then <paramref name="bytes"/> (frames unless <paramref name="framed"/> is false).</summary>
    /// <exception cref="Http3CaseSkippedException">The server's MAX_STREAMS allows no more unidirectional streams.</exception>
    public async Task<long> OpenUniAsync(long streamType, byte[] bytes, bool fin = false, bool framed = true)
    {
        var id = await OpenAsync(bidirectional: false);
        _framedOutbound[id] = framed;
        _context.Record(new Http3StreamEvidence(true, id, $"opened stream {id} as {Http3StreamType.Name(streamType)} (type 0x{streamType:x})"));
        await WriteAsync(id, [.. Varint(streamType), .. bytes], fin, skip: Varint(streamType).Length);
        return id;
    }

    /// <summary>Opens a unidirectional stream and ends it (FIN) or resets it before a single byte, its type included.</summary>
    public async Task<long> OpenEmptyUniAsync(bool reset)
    {
        var id = await OpenAsync(bidirectional: false);
        _context.Record(new Http3StreamEvidence(true, id, reset
            ? $"opened stream {id} and reset it (H3_NO_ERROR) before its stream type"
            : $"opened stream {id} and ended it (FIN) before its stream type"));
        await OnDriverAsync(core =>
        {
            if (reset)
            {
                core.ResetStream(id, (ulong)Http3ErrorCode.NoError);
            }
            else
            {
                core.WriteStream(id, [], fin: true);
            }
        });
        return id;
    }

    /// <summary>Opens a request stream (client bidirectional) and writes <paramref name="bytes"/> on it.</summary>
    /// <exception cref="Http3CaseSkippedException">The server's MAX_STREAMS allows no more request streams.</exception>
    public async Task<long> OpenRequestAsync(byte[] bytes, bool fin = true)
    {
        var id = await OpenAsync(bidirectional: true);
        _framedOutbound[id] = true;
        await WriteAsync(id, bytes, fin);
        return id;
    }

    /// <summary>Writes more bytes on a stream we opened; <paramref name="fin"/> ends it.</summary>
    public Task SendAsync(long streamId, byte[] bytes, bool fin = false) => WriteAsync(streamId, bytes, fin);

    /// <summary>RESET_STREAM on a stream of ours with <paramref name="errorCode"/>.</summary>
    public Task ResetAsync(long streamId, ulong errorCode)
    {
        _context.Record(new Http3StreamEvidence(true, streamId, $"RESET_STREAM stream {streamId} with {Http3ErrorCodes.Name(errorCode)}"));
        return OnDriverAsync(core => core.ResetStream(streamId, errorCode));
    }

    /// <summary>Whether the server's MAX_STREAMS lets us open another stream of this kind now.</summary>
    public Task<bool> CanOpenAsync(bool bidirectional) => Invoke(core => core.CanOpenStream(bidirectional), fallback: false);

    private async Task<long> OpenAsync(bool bidirectional)
    {
        var id = await Invoke(core => core.CanOpenStream(bidirectional) ? core.OpenStream(bidirectional) : -1, fallback: -2);
        return id switch
        {
            -1 => throw new Http3CaseSkippedException(
                $"the server's MAX_STREAMS allows no more {(bidirectional ? "request" : "unidirectional")} streams"),
            -2 => throw new Http3CaseSkippedException("the connection closed before the case could open its stream"),
            _ => id,
        };
    }

    private async Task WriteAsync(long streamId, byte[] bytes, bool fin, int skip = 0)
    {
        RecordSent(streamId, bytes.AsSpan(skip), _framedOutbound.GetValueOrDefault(streamId, true));
        if (fin)
        {
            _context.Record(new Http3StreamEvidence(true, streamId, $"FIN on stream {streamId}"));
        }

        await OnDriverAsync(core => core.WriteStream(streamId, bytes, fin));
    }

    /// <summary>Runs a write on the driver thread; a stream or connection the server has closed meanwhile becomes evidence, not an exception.</summary>
    private async Task OnDriverAsync(Action<QuicConnection> action)
    {
        var failure = await Invoke(
            core =>
            {
                try
                {
                    action(core);
                    return null;
                }
                catch (InvalidOperationException ex)
                {
                    return ex.Message;
                }
            },
            fallback: "the connection is closed");
        if (failure is not null)
        {
            _context.Record(new NoteEvidence($"write failed: {failure}"));
        }
    }

    private async Task<T> Invoke<T>(Func<QuicConnection, T> action, T fallback)
    {
        try
        {
            return await _quic!.InvokeAsync(action).WaitAsync(_context.Cancellation);
        }
        catch (HxiException)
        {
            // The driver has stopped: the connection is over, which the inbox reports.
            return fallback;
        }
    }

    /// <summary>Frames as the wire view shows them: each complete frame decoded, anything else as bytes.</summary>
    private void RecordSent(long streamId, ReadOnlySpan<byte> bytes, bool framed)
    {
        while (!bytes.IsEmpty)
        {
            if (!framed || !QuicVarint.TryRead(bytes, out var type, out var typeLength)
                || !QuicVarint.TryRead(bytes[typeLength..], out var length, out var lengthLength)
                || (ulong)(bytes.Length - typeLength - lengthLength) < length)
            {
                _context.Record(new Http3StreamEvidence(true, streamId,
                    framed ? $"{bytes.Length} bytes on stream {streamId} that are not a whole frame: {Hex(bytes)}"
                    : $"{bytes.Length} bytes on stream {streamId}: {Hex(bytes)}"));
                return;
            }

            var payload = bytes.Slice(typeLength + lengthLength, (int)length);
            var frame = Decode((long)type, payload);
            string? malformed = frame is UnknownFrame && (long)type is Http3FrameType.CancelPush or Http3FrameType.Settings
                or Http3FrameType.PushPromise or Http3FrameType.GoAway or Http3FrameType.MaxPushId
                ? $"payload {Hex(payload)}"
                : null;

            _context.Record(new Http3FrameEvidence(true, new Http3FrameTrace(streamId, frame, (long)length), Malformed: malformed));
            bytes = bytes[(typeLength + lengthLength + (int)length)..];
        }
    }

    /// <summary>
    /// A payload as its frame record: SETTINGS keeps every pair as sent (duplicates and HTTP/2 identifiers, which the
    /// codec refuses), a payload that does not parse stays an <see cref="UnknownFrame"/>.
    /// </summary>
    internal static Http3Frame Decode(long type, ReadOnlySpan<byte> payload)
    {
        if (type != Http3FrameType.Settings)
        {
            return Http3FrameCodec.ParsePayloadUnchecked(type, payload);
        }

        var whole = payload;
        var settings = new List<Http3Setting>();
        while (!payload.IsEmpty)
        {
            if (!QuicVarint.TryRead(payload, out var id, out var idLength)
                || !QuicVarint.TryRead(payload[idLength..], out var value, out var valueLength))
            {
                return new UnknownFrame(type, whole.ToArray());
            }

            settings.Add(new Http3Setting((long)id, (long)value));
            payload = payload[(idLength + valueLength)..];
        }

        return new SettingsFrame(settings);
    }

    internal static string Hex(ReadOnlySpan<byte> bytes) =>
        Convert.ToHexStringLower(bytes[..Math.Min(32, bytes.Length)]) + (bytes.Length > 32 ? "..." : "");

    public static byte[] Varint(long value)
    {
        var bytes = new byte[QuicVarint.GetByteCount((ulong)value)];
        QuicVarint.Write(bytes, (ulong)value);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        if (_quic is { } quic)
        {
            await quic.DisposeAsync();
        }
    }
}
