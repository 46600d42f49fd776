using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Server.Tests;

/// <summary>The HTTP/3 front routes by connection ID: every ID the server issued, until the client retires it.</summary>
[Collection(ServerCollection.Name)]
public sealed class Http3ConnectionIdTests(ServerFixture fixture)
{
    [Fact]
    public async Task AClientMovingToServerIssuedIds_IsStillServed_AndRetiredIdsAreForgotten()
    {
        Assert.True(fixture.Server.Http3Enabled, fixture.Server.Http3Problem);
        var frontend = fixture.Server.Http3Frontend!;
        using var client = new Http3Client(fixture.Server);
        Assert.True(client.Run(() => client.Quic.PeerConnectionIds.Count == 4), "the server did not issue three more connection IDs");
        var handshakeId = client.Quic.DestinationConnectionId.ToArray();
        Assert.True(await frontend.IsRoutedAsync(handshakeId));

        // Mid-response, move to the server's sequence 1; the rest of the body must still arrive.
        var stream = client.Get("/bytes/400000");
        Assert.True(client.Run(() => client.Body(stream).Length >= 100_000));
        Assert.True(client.Quic.SwitchDestinationConnectionId());
        Assert.True(client.Run(() => client.Ended(stream)), $"stalled at {client.Body(stream).Length} bytes after the switch");
        Assert.Equal(DeterministicBytes.ForLength(400_000), client.Body(stream).ToArray());

        // The RETIRE_CONNECTION_ID for sequence 0 brings sequence 4; the front forgets 0 and learns 4.
        Assert.True(client.Run(() => client.Quic.PeerConnectionIds.ContainsKey(4)), "no replacement for the retired ID");
        var replacement = client.Quic.PeerConnectionIds[4].ToArray();
        Assert.False(await frontend.IsRoutedAsync(handshakeId));
        Assert.True(await frontend.IsRoutedAsync(replacement));

        // Walk to the replacement (retiring 1, 2 and 3) and ask again: packets to an ID issued after the handshake get through.
        for (var sequence = 2UL; sequence <= 4; sequence++)
        {
            Assert.True(client.Quic.SwitchDestinationConnectionId());
            Assert.Equal(sequence, client.Quic.DestinationSequenceNumber);
        }

        var second = client.Get("/bytes/5000");
        Assert.True(client.Run(() => client.Ended(second)), "no answer on the replacement ID");
        Assert.Equal(DeterministicBytes.ForLength(5000), client.Body(second).ToArray());

        // When the connection ends, every route to it goes.
        var known = client.Quic.PeerConnectionIds.Values.Select(id => id.ToArray()).Append(replacement).ToList();
        client.Quic.Close(0x100, "done", client.Now);
        Assert.True(client.Run(() => client.Quic.IsTerminated));
        var deadline = Stopwatch.StartNew();
        while (await AnyRoutedAsync(frontend, known) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        Assert.False(await AnyRoutedAsync(frontend, known));
    }

    private static async Task<bool> AnyRoutedAsync(Http3.Http3Frontend frontend, IEnumerable<byte[]> ids)
    {
        foreach (var id in ids)
        {
            if (await frontend.IsRoutedAsync(id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>hxi's QUIC and HTTP/3 client cores on a UDP socket, driven by the test's own loop.</summary>
    private sealed class Http3Client : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Http3Connection _h3;
        private readonly string _authority;
        private readonly Dictionary<long, MemoryStream> _bodies = [];
        private readonly HashSet<long> _ended = [];
        private readonly byte[] _buffer = new byte[65_536];

        public Http3Client(EmbeddedServer server)
        {
            _authority = $"localhost:{server.HttpsUri.Port}";
            _socket.Connect(new IPEndPoint(IPAddress.Loopback, server.HttpsUri.Port));
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

        public TimeSpan Now => _clock.Elapsed;

        public long Get(string path)
        {
            var id = _h3.SendRequest(
                [new(":method", "GET"), new(":scheme", "https"), new(":authority", _authority), new(":path", path)],
                endStream: true);
            _bodies[id] = new MemoryStream();
            return id;
        }

        public MemoryStream Body(long stream) => _bodies[stream];

        public bool Ended(long stream) => _ended.Contains(stream);

        /// <summary>Moves datagrams, timers and events until <paramref name="done"/> holds; false after five seconds or when the connection ends first.</summary>
        public bool Run(Func<bool> done)
        {
            var end = Now + TimeSpan.FromSeconds(5);
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
                    case DataReceived data when _bodies.TryGetValue(data.StreamId, out var body):
                        body.Write(data.Data.Span);
                        break;
                    case StreamEnded ended:
                        _ended.Add(ended.StreamId);
                        break;
                    case StreamResetByPeer or StreamFailed or ConnectionFailed:
                        throw new InvalidOperationException($"HTTP/3 failed: {e}");
                }
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
