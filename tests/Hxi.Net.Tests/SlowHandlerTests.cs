using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Tests;

/// <summary>
/// Response handlers (printing, files) run off the protocol thread: a handler stuck on a slow terminal must not keep
/// the connection from answering the peer, and once it moves again it gets the whole body, in order.
/// </summary>
public sealed class SlowHandlerTests
{
    /// <summary>A hang detector, far above what the exchange takes: the assertions are about what happened, not how fast.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Http2_HandlerBlockedOnTheFirstBodyBytes_PingIsStillAcknowledged_ThenTheWholeBodyArrivesInOrder()
    {
        var body = new byte[200_000];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)(i * 31 / 7);
        }

        var pingAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = HostileServer.AfterRequest(async (frames, ct) =>
        {
            // :status 200 (HPACK static index 8), the first 16 KiB of the body, then a PING the client must answer.
            await frames.WriteFrameAsync(WireFrame.Headers, WireFrame.EndHeaders, 1, [0x88], ct);
            await frames.WriteFrameAsync(WireFrame.Data, 0, 1, body.AsSpan(0, 16_384), ct);
            await frames.WriteFrameAsync(Ping, 0, 0, "hxi-test"u8, ct);
            while (await frames.ReadFrameAsync(ct) is { } frame)
            {
                if (frame.Type == Ping && frame.Flags == WireFrame.Ack)
                {
                    Assert.Equal("hxi-test"u8.ToArray(), frame.Payload);
                    pingAcknowledged.SetResult();
                    break;
                }
            }

            for (var offset = 16_384; offset < body.Length; offset += 16_384)
            {
                var length = Math.Min(16_384, body.Length - offset);
                var last = offset + length == body.Length;
                await frames.WriteFrameAsync(WireFrame.Data, last ? WireFrame.EndStream : (byte)0, 1, body.AsSpan(offset, length), ct);
            }
        });

        var handler = new BlockingHandler();
        await using var client = new HxiClient(new ClientOptions { Protocol = ProtocolMode.Http2PriorKnowledge });
        var response = client.SendAsync(new HxiRequest("GET", server.Url, []), handler, CancellationToken.None);

        await handler.Blocked.WaitAsync(Patience);
        await pingAcknowledged.Task.WaitAsync(Patience);
        Assert.False(response.IsCompleted);

        handler.Release();
        var summary = await response.WaitAsync(Patience);
        Assert.Equal(200, summary.Head.StatusCode);
        Assert.Equal(body, handler.Body);
    }

    private const byte Ping = 0x6;

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
