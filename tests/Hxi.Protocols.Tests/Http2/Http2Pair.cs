using System.Buffers;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Tests.Http2;

/// <summary>A client and a server core joined by an in-memory link; bytes move only when pumped.</summary>
internal sealed class Http2Pair
{
    public Http2Pair(Http2ConnectionOptions? client = null, Http2ConnectionOptions? server = null, int chunkSize = int.MaxValue, bool zeroCopy = false)
    {
        ZeroCopy = zeroCopy;
        Client = new Http2Connection(client ?? new Http2ConnectionOptions());
        Server = new Http2Connection(server ?? new Http2ConnectionOptions { Role = Http2Role.Server, MaxConcurrentStreams = 100 });
        ChunkSize = chunkSize;
        Client.Start();
        Server.Start();
    }

    public Http2Connection Client { get; }

    public Http2Connection Server { get; }

    /// <summary>Delivers bytes in pieces of this size, to prove framing survives any split.</summary>
    public int ChunkSize { get; }

    /// <summary>Deliver through <c>Receive(ReadOnlyMemory)</c>, which parses in place, instead of the copying overload.</summary>
    public bool ZeroCopy { get; }

    public List<HttpEvent> ClientEvents { get; } = [];

    public List<HttpEvent> ServerEvents { get; } = [];

    /// <summary>Moves bytes both ways until neither side has anything to say.</summary>
    public void Pump(Action<HttpEvent>? onServerEvent = null)
    {
        for (var round = 0; round < 100_000; round++)
        {
            var moved = Move(Client, Server, onServerEvent) + Move(Server, Client, onServerEvent);

            if (moved == 0 && !Client.HasPendingOutput && !Server.HasPendingOutput)
            {
                return;
            }
        }

        throw new InvalidOperationException("the pair never went quiet");
    }

    // Data events borrow the core's input buffer; the transcript keeps its own copy.
    private static HttpEvent Own(HttpEvent e) => e is DataReceived data ? data with { Data = data.Data.ToArray() } : e;

    // Events are taken after every Receive: their data may point into buffers the next Receive reuses.
    private void Drain(Http2Connection to, Action<HttpEvent>? onServerEvent)
    {
        while (to.TryPollEvent(out var e))
        {
            if (to == Server)
            {
                ServerEvents.Add(Own(e));
                onServerEvent?.Invoke(e);
            }
            else
            {
                ClientEvents.Add(Own(e));
            }
        }
    }

    private int Move(Http2Connection from, Http2Connection to, Action<HttpEvent>? onServerEvent)
    {
        var buffer = new ArrayBufferWriter<byte>();
        from.Transmit(buffer);
        var bytes = buffer.WrittenMemory;
        for (var offset = 0; offset < bytes.Length; offset += ChunkSize)
        {
            var piece = bytes.Slice(offset, Math.Min(ChunkSize, bytes.Length - offset));
            if (ZeroCopy)
            {
                to.Receive(piece);
            }
            else
            {
                to.Receive(piece.Span);
            }

            Drain(to, onServerEvent);
        }

        return bytes.Length;
    }
}
