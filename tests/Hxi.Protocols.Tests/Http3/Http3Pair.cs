using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Tests.Http3;

/// <summary>
/// A client and a server core joined in memory: stream writes are delivered to the other side in random-sized
/// pieces (seeded), preserving order within a stream, the way QUIC would.
/// </summary>
internal sealed class Http3Pair
{
    private readonly Random _random;

    public Http3Pair(
        Http3ConnectionOptions? clientOptions = null, Http3ConnectionOptions? serverOptions = null, int seed = 1, IWireTap? clientTap = null)
    {
        _random = new Random(seed);
        Client = new Http3Connection(Http3Role.Client, clientOptions, clientTap);
        Server = new Http3Connection(Http3Role.Server, serverOptions);
    }

    public Http3Connection Client { get; }

    public Http3Connection Server { get; }

    public List<HttpEvent> ClientEvents { get; } = [];

    public List<HttpEvent> ServerEvents { get; } = [];

    public void Start()
    {
        Client.Start();
        Server.Start();
        Pump();
    }

    /// <summary>Moves writes both ways until neither side has anything left to say.</summary>
    public void Pump()
    {
        while (Client.HasPendingWrites || Server.HasPendingWrites)
        {
            Deliver(Client, Server);
            Deliver(Server, Client);
        }

        Drain(Client, ClientEvents);
        Drain(Server, ServerEvents);
    }

    private void Deliver(Http3Connection from, Http3Connection to)
    {
        while (from.TryPollStreamWrite(out var write))
        {
            switch (write)
            {
                case StreamDataWrite data:
                    var bytes = data.Data;
                    if (bytes.IsEmpty)
                    {
                        to.ReceiveStreamData(data.StreamId, [], data.Fin);
                        break;
                    }

                    while (!bytes.IsEmpty)
                    {
                        int take = Math.Min(bytes.Length, _random.Next(1, 40));
                        to.ReceiveStreamData(data.StreamId, bytes.Span[..take], data.Fin && take == bytes.Length);
                        bytes = bytes[take..];
                    }

                    break;
                case StreamResetWrite reset:
                    to.ReceiveStreamReset(reset.StreamId, reset.ErrorCode);
                    break;
                case StopSendingWrite stop:
                    to.ReceiveStopSending(stop.StreamId, stop.ErrorCode);
                    break;
            }
        }

        Drain(Client, ClientEvents);
        Drain(Server, ServerEvents);
    }

    private static void Drain(Http3Connection connection, List<HttpEvent> events)
    {
        while (connection.TryPollEvent(out var e))
        {
            events.Add(e);
        }
    }

    public static HeaderField[] Get(string path) =>
        [new(":method", "GET"), new(":scheme", "https"), new(":authority", "localhost"), new(":path", path), new("user-agent", "hxi")];

    public static HeaderField[] Status(int status, params HeaderField[] more) => [new(":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. more];

    public static byte[] Body(List<HttpEvent> events, long streamId) =>
        [.. events.OfType<DataReceived>().Where(d => d.StreamId == streamId).SelectMany(d => d.Data.ToArray())];
}
