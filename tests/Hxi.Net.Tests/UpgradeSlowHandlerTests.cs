using System.Net;
using System.Net.Sockets;
using System.Text;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Tests;

/// <summary>
/// The answer to an h2c Upgrade request arrives on stream 1 of the new HTTP/2 connection (RFC 7540 Section 3.2). Its
/// handler runs on the connection's delivery task like every other stream's, so a handler stuck on a slow terminal
/// does not keep the reader thread from answering the server's PING.
/// </summary>
public sealed class UpgradeSlowHandlerTests
{
    /// <summary>A hang detector, far above what the exchange takes: the assertions are about what happened, not how fast.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private const byte Ping = 0x6;

    [Fact]
    public async Task UpgradedStream_HandlerBlockedOnTheFirstBodyBytes_PingIsStillAcknowledged_ThenTheWholeBodyArrivesInOrder()
    {
        var body = new byte[100_000];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)(i * 13 / 5);
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/upgrade");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var pingAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upgradeRequest = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = Task.Run(async () =>
        {
            using var connection = await listener.AcceptTcpClientAsync(stop.Token);
            var stream = connection.GetStream();
            upgradeRequest.SetResult(await ReadRequestHeadAsync(stream, stop.Token));
            await stream.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"u8.ToArray(), stop.Token);
            var frames = new RawFrameStream(stream);
            await frames.WriteFrameAsync(WireFrame.Settings, 0, 0, [], stop.Token);

            // The client's preface comes after the 101; only then the answer to the Upgrade request, on stream 1:
            // :status 200 (HPACK static index 8), the first 16 KiB of the body, then a PING the client must answer.
            await frames.ReadPrefaceAsync(stop.Token);
            await frames.WriteFrameAsync(WireFrame.Headers, WireFrame.EndHeaders, 1, [0x88], stop.Token);
            await frames.WriteFrameAsync(WireFrame.Data, 0, 1, body.AsSpan(0, 16_384), stop.Token);
            await frames.WriteFrameAsync(Ping, 0, 0, "upgraded"u8, stop.Token);
            while (await frames.ReadFrameAsync(stop.Token) is { } frame)
            {
                if (frame.Type == Ping && frame.Flags == WireFrame.Ack)
                {
                    Assert.Equal("upgraded"u8.ToArray(), frame.Payload);
                    pingAcknowledged.SetResult();
                    break;
                }
            }

            for (var offset = 16_384; offset < body.Length; offset += 16_384)
            {
                var length = Math.Min(16_384, body.Length - offset);
                var last = offset + length == body.Length;
                await frames.WriteFrameAsync(WireFrame.Data, last ? WireFrame.EndStream : (byte)0, 1, body.AsSpan(offset, length), stop.Token);
            }

            // Hold the connection until the client hangs up, as a server would.
            while (await frames.ReadFrameAsync(stop.Token) is not null)
            {
            }
        });

        var handler = new BlockingHandler();
        await using var client = new HxiClient(new ClientOptions { Protocol = ProtocolMode.Http2 });
        // Off the test's thread: were the handler run where the connection starts, it would block the caller itself.
        var response = Task.Run(() => client.SendAsync(new HxiRequest("GET", url, []), handler, CancellationToken.None));

        Assert.Contains("upgrade: h2c", (await upgradeRequest.Task.WaitAsync(Patience)).ToLowerInvariant());
        await handler.Blocked.WaitAsync(Patience);
        await pingAcknowledged.Task.WaitAsync(Patience);
        Assert.False(response.IsCompleted);

        handler.Release();
        var summary = await response.WaitAsync(Patience);
        Assert.Equal(200, summary.Head.StatusCode);
        Assert.Equal("h2c", summary.Connection.Protocol);
        Assert.Equal(body, handler.Body);

        await client.DisposeAsync();
        await server.WaitAsync(Patience);
    }

    /// <summary>The HTTP/1.1 request head, up to its empty line (a GET has no body).</summary>
    private static async Task<string> ReadRequestHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                throw new EndOfStreamException("the client hung up before the end of its request head");
            }

            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. head]);
    }

    /// <summary>Stops on its first body bytes until released, as a terminal that does not read its output would.</summary>
    private sealed class BlockingHandler : IResponseHandler
    {
        private readonly SemaphoreSlim _gate = new(0);
        private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly MemoryStream _body = new();

        public Task Blocked => _blocked.Task;

        public byte[] Body => _body.ToArray();

        public void Release() => _gate.Release();

        public void OnInterimResponse(ResponseHead head)
        {
        }

        public void OnResponseHead(ResponseHead head)
        {
        }

        public void OnBodyData(ReadOnlySpan<byte> data)
        {
            if (_blocked.TrySetResult())
            {
                _gate.Wait();
            }

            _body.Write(data);
        }

        public void OnTrailers(IReadOnlyList<HeaderField> trailers)
        {
        }
    }
}
