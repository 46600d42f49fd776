using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Tests;

/// <summary>
/// SlowHandlerTests for HTTP/3: the response handler runs off the QUIC driver's thread, so a handler stuck on a slow
/// terminal must not keep the client from acknowledging the server's packets (an ACK the client sends when its ACK
/// delay timer fires, RFC 9000 Section 13.2.1), and once it moves again it gets the whole body, in order.
/// </summary>
public sealed class Http3SlowHandlerTests
{
    /// <summary>A hang detector, far above what the exchange takes (a first QUIC handshake pays for the JIT, on a loaded machine): the assertions are about what happened, not how fast.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Http3_HandlerBlockedOnTheFirstBodyBytes_ServerPacketsAreStillAcknowledged_ThenTheWholeBodyArrivesInOrder()
    {
        var body = new byte[150_000];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)(i * 31 / 7);
        }

        await using var server = new AckWatchingHttp3Server(body, firstPart: 16_384);
        var handler = new BlockingHandler();
        await using var client = new HxiClient(new ClientOptions { Protocol = ProtocolMode.Http3Only, CaCertificatePath = server.CaPath });
        var response = Task.Run(() => client.SendAsync(new HxiRequest("GET", server.Url, []), handler, CancellationToken.None));

        // A request that fails instead shows its error here, rather than as a wait that timed out.
        await Task.WhenAny(handler.Blocked, response).WaitAsync(Patience);
        Assert.False(response.IsCompleted, response.Exception?.ToString());
        await server.FirstPartSent.WaitAsync(Patience);

        // The handler is stuck: two PINGs, each in a packet sent after that, each acknowledged by the client. A lone
        // ack-eliciting packet is acknowledged when the client's ACK delay timer fires, so its timers run too.
        var first = await server.PingAsync().WaitAsync(Patience);
        var second = await server.PingAsync().WaitAsync(Patience);
        Assert.True(second.LargestAcknowledged > first.LargestAcknowledged, $"{first} then {second}");
        Assert.False(response.IsCompleted);

        server.SendRest();
        handler.Release();
        var summary = await response.WaitAsync(Patience);
        Assert.Equal(200, summary.Head.StatusCode);
        Assert.Equal(body, handler.Body);
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
