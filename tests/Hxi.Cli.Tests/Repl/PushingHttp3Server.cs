using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Cli.Tests.Repl;

/// <summary>
/// A scripted HTTP/3 server that pushes, on loopback UDP: hxi's own QUIC and HTTP/3 cores in the server role,
/// because neither the embedded server nor Caddy pushes over HTTP/3. Once the client has sent MAX_PUSH_ID:
/// <c>GET /page</c> promises /pushed.css and fulfils it on a push stream; <c>GET /promise</c> promises /later.js
/// and does not fulfil it; <c>GET /fulfil</c> sends the push streams of the promises not yet fulfilled, cancelled or
/// not, as a server that has not yet read the client's CANCEL_PUSH would; <c>GET /fulfil-open</c> does too but leaves
/// them open, a server still sending; <c>GET /push-first</c> sends the push stream for /pushed.css in datagrams ahead of
/// its PUSH_PROMISE, the reordering RFC 9114 Section 4.6 allows.
/// </summary>
public sealed class PushingHttp3Server : IAsyncDisposable
{
    public const string PushedCss = "body { color: green }\n";

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly X509Certificate2 _certificate;
    private readonly string _directory = Directory.CreateTempSubdirectory("hxi-push-peer-").FullName;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _thread;
    private readonly Dictionary<long, List<HeaderField>> _requests = [];
    private readonly List<(long PushId, string Path)> _unfulfilled = [];
    private volatile bool _stopping;
    private QuicConnection? _quic;
    private Http3Connection? _h3;
    private IPEndPoint? _client;
    private long _maxPushId = -1;
    private long _nextPushId;

    public PushingHttp3Server()
    {
        (_certificate, CaCertificatePath) = MakeCertificates(_directory);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"https://localhost:{((IPEndPoint)_socket.LocalEndPoint!).Port}/");
        _thread = new Thread(Run) { IsBackground = true, Name = "pushing h3 peer" };
        _thread.Start();
    }

    public Uri Url { get; }

    public string CaCertificatePath { get; }

    /// <summary>What the server's HTTP/3 core reported about the client, in order.</summary>
    public ConcurrentQueue<HttpEvent> Received { get; } = new();

    private TimeSpan Now => _clock.Elapsed;

    private void Run()
    {
        var buffer = new byte[65_536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping)
        {
            var wait = _quic?.NextTimeout is { } due ? Math.Clamp((int)(due - Now).TotalMicroseconds + 1, 0, 50_000) : 50_000;
            try
            {
                if (_socket.Poll(wait, SelectMode.SelectRead))
                {
                    var length = _socket.ReceiveFrom(buffer, ref from);
                    Receive(buffer.AsSpan(0, length), (IPEndPoint)from);
                }

                if (_quic is { } quic)
                {
                    if (quic.NextTimeout is { } timeout && timeout <= Now)
                    {
                        quic.HandleTimeout(Now);
                    }

                    Pump(quic);
                    int written;
                    while ((written = quic.WriteDatagram(buffer, Now)) > 0)
                    {
                        _socket.SendTo(buffer.AsSpan(0, written), _client!);
                    }
                }
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier datagram after the client left; its timers handle it.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        if (_quic is null)
        {
            // One client per server: the first Initial opens the connection.
            _client = from;
            var quic = new QuicConnection(new QuicConnectionOptions { Role = QuicRole.Server, Certificate = _certificate, ApplicationProtocols = ["h3"] });
            _quic = quic;
            _h3 = new Http3Connection(Http3Role.Server, new Http3ConnectionOptions(), null, bidirectional => quic.OpenStream(bidirectional));
        }

        _quic.ReceiveDatagram(datagram, Now);
    }

    private readonly byte[] _readBuffer = new byte[65_536];

    private void Pump(QuicConnection quic)
    {
        var h3 = _h3!;
        while (quic.TryPollEvent(out var e))
        {
            if (e is QuicHandshakeCompleted)
            {
                h3.Start();
            }
            else
            {
                Http3OverQuic.Deliver(h3, quic, e, _readBuffer);
            }
        }

        while (h3.TryPollEvent(out var e))
        {
            Received.Enqueue(e);
            switch (e)
            {
                case MaxPushIdReceived max:
                    _maxPushId = max.PushId;
                    break;
                case HeadersReceived headers:
                    _requests[headers.StreamId] = [.. headers.Fields];
                    break;
                case DataReceived { EndStream: true } ended when _requests.Remove(ended.StreamId, out var request):
                    Answer(h3, ended.StreamId, request.First(f => f.Name == ":path").Value);
                    break;
            }
        }

        Http3OverQuic.Flush(h3, quic, Now);
    }

    private void Answer(Http3Connection h3, long streamId, string path)
    {
        switch (path)
        {
            case "/page" when _nextPushId <= _maxPushId:
                var pushId = Promise(h3, streamId, "/pushed.css");
                Respond(h3, streamId, "the page\n");
                Fulfil(h3, pushId, "text/css", PushedCss, end: true);
                break;
            case "/push-first" when _nextPushId <= _maxPushId:
                Fulfil(h3, _nextPushId, "text/css", PushedCss, end: true);
                SendNow(h3);
                Promise(h3, streamId, "/pushed.css");
                Respond(h3, streamId, "the page\n");
                break;
            case "/promise" when _nextPushId <= _maxPushId:
                _unfulfilled.Add((Promise(h3, streamId, "/later.js"), "/later.js"));
                Respond(h3, streamId, "promised\n");
                break;
            case "/fulfil" or "/fulfil-open":
                foreach (var (id, _) in _unfulfilled)
                {
                    Fulfil(h3, id, "text/javascript", "late();\n", end: path == "/fulfil");
                }

                Respond(h3, streamId, $"fulfilled {_unfulfilled.Count}\n");
                _unfulfilled.Clear();
                break;
            default:
                Respond(h3, streamId, "no push\n");
                break;
        }
    }

    /// <summary>Puts what the HTTP/3 core wrote so far on the wire now, ahead of what it writes next.</summary>
    private void SendNow(Http3Connection h3)
    {
        var quic = _quic!;
        Http3OverQuic.Flush(h3, quic, Now);
        var buffer = new byte[65_536];
        int written;
        while ((written = quic.WriteDatagram(buffer, Now)) > 0)
        {
            _socket.SendTo(buffer.AsSpan(0, written), _client!);
        }
    }

    private long Promise(Http3Connection h3, long streamId, string path)
    {
        var section = new ArrayBufferWriter<byte>();
        QpackEncoder.EncodeLiteralFieldSection(
            [new(":method", "GET"), new(":scheme", "https"), new(":authority", Url.Authority), new(":path", path)], section);
        h3.SendFrame(streamId, new PushPromiseFrame(_nextPushId, section.WrittenMemory));
        return _nextPushId++;
    }

    private static void Respond(Http3Connection h3, long streamId, string body)
    {
        h3.SendHeaders(streamId, [new(":status", "200"), new("content-type", "text/plain")], endStream: false);
        h3.SendData(streamId, System.Text.Encoding.UTF8.GetBytes(body), endStream: true);
    }

    /// <summary>A push stream: type 0x01, the push id, then the response (RFC 9114 Section 4.6).</summary>
    private static void Fulfil(Http3Connection h3, long pushId, string contentType, string body, bool end)
    {
        var stream = h3.OpenUniStream(Http3StreamType.Push);
        var id = new byte[8];
        h3.SendStreamBytes(stream, id.AsSpan(0, QuicVarint.Write(id, (ulong)pushId)), fin: false);
        h3.SendHeaders(stream, [new(":status", "200"), new("content-type", contentType)], endStream: false);
        h3.SendData(stream, System.Text.Encoding.UTF8.GetBytes(body), endStream: end);
    }

    /// <summary>A throwaway CA (written as PEM for --cacert) and the localhost certificate it signed.</summary>
    private static (X509Certificate2 Leaf, string CaPath) MakeCertificates(string directory)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=push peer CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        // One "now" for both: a leaf whose notAfter passes its issuer's, even by a clock tick, cannot be made.
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = leafRequest.Create(ca, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));

        var caPath = Path.Combine(directory, "ca.pem");
        File.WriteAllText(caPath, ca.ExportCertificatePem() + "\n");
        return (signed.CopyWithPrivateKey(leafKey), caPath);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await Task.Run(() => _thread.Join(TimeSpan.FromSeconds(5)));
        _socket.Dispose();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
