using Hxi.Protocols.Http3;
using Hxi.Protocols.Tests.QuicConnection;

namespace Hxi.Protocols.Tests.Http3;

/// <summary>The seam between the HTTP/3 and QUIC cores (<see cref="Http3OverQuic"/>), over a <see cref="QuicPair"/>.</summary>
public class Http3OverQuicTests
{
    [Fact]
    public void StopSending_ForAStreamReadToItsEndInOneBatch_IsDropped_NotThrown()
    {
        var pair = new QuicPair(seed: 3);
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeComplete && pair.Server.IsHandshakeComplete, TimeSpan.FromSeconds(5)));
        var client = new Http3Connection(Http3Role.Client);

        // A unidirectional stream of an unknown type, whole with its FIN: RFC 9114 6.2.3 has the client stop reading it.
        var stream = pair.Server.OpenStream(bidirectional: false);
        pair.Server.WriteStream(stream, [0x21, .. "ignore me"u8], fin: true);
        Assert.True(pair.RunUntil(() => pair.Client.ReadableStreams().Contains(stream), TimeSpan.FromSeconds(5)));
        Http3OverQuic.Read(client, pair.Client, stream, new byte[1024]);

        Assert.False(pair.Client.IsStreamOpen(stream));
        Assert.True(client.TryPollEvent(out var e) && e is UnknownStreamReceived);
        Http3OverQuic.Flush(client, pair.Client, pair.Now);
        Assert.False(client.HasPendingWrites);
    }
}
