using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>
/// RFC 9000 Section 2.2: stream data that arrives again (a retransmission whose first copy did get through) is
/// accepted and delivered once; a stream's end is reported once.
/// </summary>
public class QuicDuplicateStreamDataTests
{
    [Fact]
    public void AStreamFrameWithFinArrivingTwice_IsReadableOnce()
    {
        var pair = new QuicPair(seed: 11);
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeComplete && pair.Server.IsHandshakeComplete, TimeSpan.FromSeconds(5)));
        var request = new StreamFrame(0, 0, "GET / please"u8.ToArray(), Fin: true);
        pair.Client.SendRawFrame(request);
        Assert.True(pair.RunUntil(() => pair.ServerEvents.Contains(new QuicStreamReadable(0)), TimeSpan.FromSeconds(5)));
        var buffer = new byte[64];
        Assert.Equal(12, pair.Server.ReadStream(0, buffer, out var finished));
        Assert.True(finished);
        pair.ServerEvents.Clear();

        // The same frame in a new packet, as a client whose ACK was late retransmits it.
        pair.Client.SendRawFrame(request);
        var packetsBefore = pair.Server.Statistics.PacketsReceived;
        Assert.True(pair.RunUntil(() => pair.Server.Statistics.PacketsReceived > packetsBefore, TimeSpan.FromSeconds(5)));

        Assert.DoesNotContain(pair.ServerEvents, e => e is QuicStreamReadable);
        Assert.Null(pair.Server.CloseReason);
    }

    [Fact]
    public void ARequestRetransmittedAfterTheServerReadIt_IsServedOnce()
    {
        var pair = new QuicPair(seed: 12);
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeComplete && pair.Server.IsHandshakeComplete, TimeSpan.FromSeconds(5)));
        var client = new Http3Connection(Http3Role.Client, new Http3ConnectionOptions(), null, pair.Client.OpenStream);
        var server = new Http3Connection(Http3Role.Server, new Http3ConnectionOptions(), null, pair.Server.OpenStream);
        client.Start();
        server.Start();
        var clientEvents = new List<HttpEvent>();
        var serverEvents = new List<HttpEvent>();
        var buffer = new byte[65_536];
        var step = Pump(pair, client, server, clientEvents, serverEvents, buffer);
        Assert.True(pair.RunUntil(() => client.PeerSettings is not null && server.PeerSettings is not null, TimeSpan.FromSeconds(5), step));

        // Watch the request go out, keeping a copy of its STREAM frame (offset 0, FIN).
        StreamFrame? sent = null;
        long id = -1;
        pair.DropToServerWhen = frames =>
        {
            if (frames.OfType<StreamFrame>().FirstOrDefault(f => f.Fin && (long)f.StreamId == id) is { } frame)
            {
                sent = frame with { Data = frame.Data.ToArray() };
            }

            return false;
        };
        id = client.SendRequest(
            [new(":method", "GET"), new(":scheme", "https"), new(":authority", "localhost"), new(":path", "/")], endStream: true);
        Assert.True(pair.RunUntil(() => serverEvents.Any(e => e is DataReceived { EndStream: true } ended && ended.StreamId == id), TimeSpan.FromSeconds(5), step));
        Assert.NotNull(sent);

        // Another client's retransmission after a late ACK: the same frame again, in a new packet, once the server
        // has read the first copy to its end. Then the server answers.
        pair.Client.SendRawFrame(sent);
        var packetsBefore = pair.Server.Statistics.PacketsReceived;
        Assert.True(pair.RunUntil(() => pair.Server.Statistics.PacketsReceived > packetsBefore, TimeSpan.FromSeconds(5), step));
        server.SendHeaders(id, [new(":status", "200")], endStream: false);
        server.SendData(id, "hello"u8, endStream: true);
        Assert.True(pair.RunUntil(() => clientEvents.Any(e => e is DataReceived { EndStream: true } ended && ended.StreamId == id), TimeSpan.FromSeconds(5), step), string.Join("\n", pair.Trace));

        Assert.Single(serverEvents, e => e is HeadersReceived h && h.StreamId == id);
        Assert.DoesNotContain(serverEvents, e => e is StreamReset { ByPeer: false } or ConnectionFailed);
        Assert.DoesNotContain(clientEvents, e => e is StreamReset or ConnectionFailed);
    }

    private static Action Pump(
        QuicPair pair, Http3Connection client, Http3Connection server, List<HttpEvent> clientEvents, List<HttpEvent> serverEvents, byte[] buffer)
    {
        var clientSeen = 0;
        var serverSeen = 0;
        return () =>
        {
            for (; clientSeen < pair.ClientEvents.Count; clientSeen++)
            {
                Http3OverQuic.Deliver(client, pair.Client, pair.ClientEvents[clientSeen], buffer);
            }

            for (; serverSeen < pair.ServerEvents.Count; serverSeen++)
            {
                Http3OverQuic.Deliver(server, pair.Server, pair.ServerEvents[serverSeen], buffer);
            }

            Http3OverQuic.Flush(client, pair.Client, pair.Now);
            Http3OverQuic.Flush(server, pair.Server, pair.Now);
            while (client.TryPollEvent(out var e))
            {
                clientEvents.Add(e);
            }

            while (server.TryPollEvent(out var e))
            {
                serverEvents.Add(e);
            }
        };
    }
}
