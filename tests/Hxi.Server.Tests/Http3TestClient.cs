using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Server.Tests;

/// <summary>hxi's QUIC and HTTP/3 client cores on a UDP socket, driven by the test's own loop: any fields, any order.</summary>
internal sealed class Http3TestClient : IDisposable
{
    private readonly Socket _socket;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Http3Connection _h3;
    private readonly Dictionary<long, MemoryStream> _bodies = [];
    private readonly Dictionary<long, IReadOnlyList<HeaderField>> _heads = [];
    private readonly Dictionary<long, IReadOnlyList<HeaderField>> _trailers = [];
    private readonly Dictionary<long, ulong> _resets = [];
    private readonly HashSet<long> _ended = [];
    private readonly byte[] _buffer = new byte[65_536];

    public Http3TestClient(EmbeddedServer server, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        Authority = $"localhost:{server.HttpsUri.Port}";
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(new IPEndPoint(address, server.HttpsUri.Port));
        Quic = new QuicConnection(new QuicConnectionOptions
        {
            Role = QuicRole.Client,
            ServerName = "localhost",
            CustomRoots = [server.CaCertificate],
            CertificateTime = DateTimeOffset.UtcNow,
        });
        _h3 = new Http3Connection(Http3Role.Client, new Http3ConnectionOptions(), null, bidirectional => Quic.OpenStream(bidirectional));
        Quic.Start(Now);
    }

    public QuicConnection Quic { get; }

    public string Authority { get; }

    public TimeSpan Now => _clock.Elapsed;

    public long Get(string path) =>
        Send([new(":method", "GET"), new(":scheme", "https"), new(":authority", Authority), new(":path", path)]);

    public long Post(string path, byte[] body) =>
        Send([new(":method", "POST"), new(":scheme", "https"), new(":authority", Authority), new(":path", path),
            new("content-type", "application/octet-stream")], body);

    /// <summary>Sends <paramref name="fields"/> exactly as given (after the handshake), then <paramref name="body"/> and <paramref name="trailers"/> if any.</summary>
    public long Send(IReadOnlyList<HeaderField> fields, byte[]? body = null, IReadOnlyList<HeaderField>? trailers = null)
    {
        if (!Quic.IsHandshakeComplete)
        {
            Run(() => Quic.IsHandshakeComplete);
        }

        var id = _h3.SendRequest(fields, endStream: body is null && trailers is null);
        if (body is not null)
        {
            _h3.SendData(id, body, endStream: trailers is null);
        }

        if (trailers is not null)
        {
            _h3.SendHeaders(id, trailers, endStream: true);
        }

        _bodies[id] = new MemoryStream();
        return id;
    }

    public MemoryStream Body(long stream) => _bodies[stream];

    public string? Status(long stream) =>
        _heads.TryGetValue(stream, out var head) ? head.FirstOrDefault(f => f.Name == ":status").Value : null;

    public IReadOnlyList<HeaderField> Head(long stream) => _heads[stream];

    public IReadOnlyList<HeaderField>? Trailers(long stream) => _trailers.GetValueOrDefault(stream);

    public string? Header(long stream, string name) => Head(stream).FirstOrDefault(f => f.Name == name).Value;

    public bool Ended(long stream) => _ended.Contains(stream);

    /// <summary>The code of the server's RESET_STREAM on <paramref name="stream"/>, if it sent one.</summary>
    public ulong? ResetCode(long stream) => _resets.TryGetValue(stream, out var code) ? code : null;

    public bool Answered(long stream) => Ended(stream) || ResetCode(stream) is not null;

    /// <summary>Moves datagrams, timers and events until <paramref name="done"/> holds; false after <paramref name="seconds"/> or when the connection ends first.</summary>
    public bool Run(Func<bool> done, int seconds = 5)
    {
        var end = Now + TimeSpan.FromSeconds(seconds);
        while (!done())
        {
            if (Now > end || (Quic.IsTerminated && !done()))
            {
                return false;
            }

            Http3OverQuic.Flush(_h3, Quic, Now);
            int length;
            while ((length = Quic.WriteDatagram(_buffer, Now)) > 0)
            {
                _socket.Send(_buffer.AsSpan(0, length));
            }

            var wait = Quic.NextTimeout is { } due ? due - Now : TimeSpan.FromMilliseconds(10);
            var micros = (int)Math.Clamp(wait.TotalMicroseconds, 0, 10_000);
            if (_socket.Poll(micros, SelectMode.SelectRead))
            {
                while (_socket.Available > 0)
                {
                    length = _socket.Receive(_buffer);
                    Quic.ReceiveDatagram(_buffer.AsSpan(0, length), Now);
                }
            }

            if (Quic.NextTimeout is { } timeout && timeout <= Now)
            {
                Quic.HandleTimeout(Now);
            }

            Dispatch();
        }

        return true;
    }

    private void Dispatch()
    {
        var read = new byte[65_536];
        while (Quic.TryPollEvent(out var e))
        {
            if (e is QuicHandshakeCompleted)
            {
                _h3.Start();
            }
            else
            {
                Http3OverQuic.Deliver(_h3, Quic, e, read);
            }
        }

        while (_h3.TryPollEvent(out var e))
        {
            switch (e)
            {
                case TrailersReceived trailers:
                    _trailers[trailers.StreamId] = trailers.Fields;
                    break;
                case HeadersReceived headers when !headers.IsInterim:
                    _heads[headers.StreamId] = headers.Fields;
                    break;
                case DataReceived data:
                    if (_bodies.TryGetValue(data.StreamId, out var body))
                    {
                        body.Write(data.Data.Span);
                    }

                    if (data.EndStream)
                    {
                        _ended.Add(data.StreamId);
                    }

                    break;
                case StreamReset { ByPeer: true } reset:
                    _resets[reset.StreamId] = reset.Code;
                    break;
                case StreamReset { ByPeer: false } or ConnectionFailed:
                    throw new InvalidOperationException($"HTTP/3 failed: {e}");
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
