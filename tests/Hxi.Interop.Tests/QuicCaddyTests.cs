using System.Diagnostics;
using Hxi.Net.Client;
using Hxi.Net.Quic;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Interop.Tests;

/// <summary>hxi's own QUIC stack against Caddy's (quic-go) on loopback.</summary>
[Collection(CaddyCollection.Name)]
public sealed class QuicCaddyTests(CaddyFixture caddy)
{
    [RequiresPeerFact("caddy")]
    public async Task Handshake_CompletesWithH3_AndTheServerControlStreamArrives()
    {
        var url = new Uri(caddy.Https("/"));
        var options = new ClientOptions { CaCertificatePath = caddy.CaPath };
        var controlStream = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connection = await QuicClientConnection.ConnectAsync(url, ["h3"], options, null, Stopwatch.StartNew(), CancellationToken.None, c =>
            c.EventReceived += e =>
            {
                // Server-initiated unidirectional streams are 3, 7, 11...: the first one Caddy opens is its control stream.
                if (e is QuicStreamReadable { StreamId: 3 })
                {
                    var buffer = new byte[256];
                    var read = c.InvokeAsync(core => core.ReadStream(3, buffer, out var _));
                    read.ContinueWith(t => controlStream.TrySetResult(buffer[..t.Result]), TaskScheduler.Default);
                }
            });
        await using var owned = connection;

        var bytes = await controlStream.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0x00, bytes[0]);   // stream type: control
        Assert.Equal(0x04, bytes[1]);   // first frame: SETTINGS
        var stats = await connection.InvokeAsync(core => (core.ApplicationProtocol, core.PeerParameters));
        Assert.Equal("h3", stats.ApplicationProtocol);
        Assert.NotNull(stats.PeerParameters);

        await connection.CloseAsync(0x100, "done");
        Assert.True(connection.Statistics.PacketsReceived > 2);
    }
}
