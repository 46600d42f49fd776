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

    [RequiresPeerFact("caddy")]
    public async Task SwitchingThroughCaddysConnectionIds_BringsReplacements_AndTheCloseIsClean()
    {
        var url = new Uri(caddy.Https("/"));
        var options = new ClientOptions { CaCertificatePath = caddy.CaPath };
        var connection = await QuicClientConnection.ConnectAsync(url, ["h3"], options, null, Stopwatch.StartNew(), CancellationToken.None);
        await using var owned = connection;

        // quic-go issues up to our active_connection_id_limit (4) once the handshake is confirmed.
        Assert.True(await WaitAsync(connection, core => core.IsHandshakeConfirmed && core.PeerConnectionIds.Count == 4), caddy.Log);
        var highest = await connection.InvokeAsync(core => core.PeerConnectionIds.Keys.Max());

        // Retiring the handshake ID (sequence 0) brings no replacement from quic-go, by its own rule; retiring 1 does.
        // Each RETIRE_CONNECTION_ID goes in packets to Caddy's next ID, so Caddy must accept both moves.
        Assert.True(await connection.InvokeAsync(core => core.SwitchDestinationConnectionId()));
        Assert.True(await connection.InvokeAsync(core => core.SwitchDestinationConnectionId()));
        Assert.True(await WaitAsync(connection, core => core.PeerConnectionIds.Keys.Max() > highest), "Caddy sent no replacement connection ID");
        var state = await connection.InvokeAsync(core => (core.DestinationSequenceNumber, core.PeerConnectionIds.Count, core.LocalConnectionIds.Count));
        Assert.Equal((2UL, 3, 4), state);

        await connection.CloseAsync(0x100, "done");
        var closed = await connection.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(closed.ByPeer, closed.Describe());
        Assert.True(closed.IsApplicationError);
        Assert.Equal(0x100UL, closed.ErrorCode);
    }

    private static async Task<bool> WaitAsync(QuicClientConnection connection, Func<QuicConnection, bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (await connection.InvokeAsync(condition))
            {
                return true;
            }

            await Task.Delay(10);
        }

        return false;
    }
}
