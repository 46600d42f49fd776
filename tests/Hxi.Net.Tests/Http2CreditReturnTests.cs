using System.Buffers.Binary;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Tests;

/// <summary>
/// The client gives a stream's credit back as its handler consumes the body, off the reader thread, and the core
/// gathers a quarter of the window before it sends WINDOW_UPDATE: whatever the window, a server that honours flow
/// control must never be left waiting. (Checked to fail when credit is held back past the window.)
/// </summary>
public sealed class Http2CreditReturnTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(100, 20_000)]
    [InlineData(20_000, 300_000)]
    [InlineData(65_535, 300_000)]
    public async Task AServerThatSendsOnlyWhatTheStreamWindowAllows_DeliversTheWholeBody(int window, int size)
    {
        var body = new byte[size];
        new Random(window).NextBytes(body);
        var updates = 0;
        await using var server = HostileServer.AfterRequest(async (frames, ct) =>
        {
            await frames.WriteFrameAsync(WireFrame.Headers, WireFrame.EndHeaders, 1, [0x88], ct);
            long credit = window;
            var offset = 0;
            while (offset < body.Length)
            {
                while (credit <= 0 && await frames.ReadFrameAsync(ct) is { } frame)
                {
                    if (frame.Type == WireFrame.WindowUpdate && frame.StreamId == 1)
                    {
                        credit += BinaryPrimitives.ReadInt32BigEndian(frame.Payload) & 0x7fff_ffff;
                        updates++;
                    }
                }

                var length = (int)Math.Min(Math.Min(16_384, credit), body.Length - offset);
                var last = offset + length == body.Length;
                await frames.WriteFrameAsync(WireFrame.Data, last ? WireFrame.EndStream : (byte)0, 1, body.AsSpan(offset, length), ct);
                offset += length;
                credit -= length;
            }
        });

        var handler = new CollectingHandler();
        await using var client = new HxiClient(new ClientOptions { Protocol = ProtocolMode.Http2PriorKnowledge, Http2InitialWindowSize = window });
        var summary = await client.SendAsync(new HxiRequest("GET", server.Url, []), handler, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(200, summary.Head.StatusCode);
        Assert.Equal(body, handler.Body);
        Assert.True(updates > 0);
    }

    private sealed class CollectingHandler : IResponseHandler
    {
        private readonly MemoryStream _body = new();

        public byte[] Body => _body.ToArray();

        public void OnInterimResponse(ResponseHead head)
        {
        }

        public void OnResponseHead(ResponseHead head)
        {
        }

        public void OnBodyData(ReadOnlySpan<byte> data) => _body.Write(data);

        public void OnTrailers(IReadOnlyList<HeaderField> trailers)
        {
        }
    }
}
