using System.Buffers;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using static Hxi.Protocols.Tests.Http3.Http3Pair;

namespace Hxi.Protocols.Tests.Http3;

public sealed class Http3DataBufferPoolTests
{
    [Fact]
    public void WithAPool_EveryDataChunk_IsCopiedIntoAnArrayRentedFromIt_AndTheBodyIsWhole()
    {
        var pool = new RecordingPool();
        var pair = new Http3Pair(clientOptions: new Http3ConnectionOptions { DataBufferPool = pool }, seed: 11);
        pair.Start();
        long stream = pair.Client.SendRequest(Get("/bytes"), endStream: true);
        pair.Pump();

        var body = new byte[5000];
        new Random(5).NextBytes(body);
        pair.Server.SendHeaders(stream, Status(200), endStream: false);
        pair.Server.SendData(stream, body, endStream: true);
        pair.Pump();

        var chunks = pair.ClientEvents.OfType<DataReceived>().Where(d => !d.Data.IsEmpty).ToList();
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk => Assert.Contains(pool.Rented, array => chunk.Data.Span.Overlaps(array)));
        Assert.Equal(body, Body(pair.ClientEvents, stream));
    }

    /// <summary>Hands out fresh arrays larger than asked (as a pool does) and remembers them.</summary>
    private sealed class RecordingPool : ArrayPool<byte>
    {
        public List<byte[]> Rented { get; } = [];

        public override byte[] Rent(int minimumLength)
        {
            var array = new byte[minimumLength + 100];
            Rented.Add(array);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
        }
    }
}
