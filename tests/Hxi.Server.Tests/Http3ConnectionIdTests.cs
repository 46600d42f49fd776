using System.Diagnostics;

namespace Hxi.Server.Tests;

/// <summary>The HTTP/3 front routes by connection ID: every ID the server issued, until the client retires it.</summary>
[Collection(ServerCollection.Name)]
public sealed class Http3ConnectionIdTests(ServerFixture fixture)
{
    [Fact]
    public async Task AClientMovingToServerIssuedIds_IsStillServed_AndRetiredIdsAreForgotten()
    {
        Assert.True(fixture.Server.Http3Enabled, fixture.Server.Http3Problem);
        var frontend = fixture.Server.Http3Frontend!;
        using var client = new Http3TestClient(fixture.Server);
        Assert.True(client.Run(() => client.Quic.PeerConnectionIds.Count == 4), "the server did not issue three more connection IDs");
        var handshakeId = client.Quic.DestinationConnectionId.ToArray();
        Assert.True(await frontend.IsRoutedAsync(handshakeId));

        // Mid-response, move to the server's sequence 1; the rest of the body must still arrive.
        var stream = client.Get("/bytes/400000");
        Assert.True(client.Run(() => client.Body(stream).Length >= 100_000));
        Assert.True(client.Quic.SwitchDestinationConnectionId());
        Assert.True(client.Run(() => client.Ended(stream)), $"stalled at {client.Body(stream).Length} bytes after the switch");
        Assert.Equal(DeterministicBytes.ForLength(400_000), client.Body(stream).ToArray());

        // The RETIRE_CONNECTION_ID for sequence 0 brings sequence 4; the front forgets 0 and learns 4.
        Assert.True(client.Run(() => client.Quic.PeerConnectionIds.ContainsKey(4)), "no replacement for the retired ID");
        var replacement = client.Quic.PeerConnectionIds[4].ToArray();
        Assert.False(await frontend.IsRoutedAsync(handshakeId));
        Assert.True(await frontend.IsRoutedAsync(replacement));

        // Walk to the replacement (retiring 1, 2 and 3) and ask again: packets to an ID issued after the handshake get through.
        for (var sequence = 2UL; sequence <= 4; sequence++)
        {
            Assert.True(client.Quic.SwitchDestinationConnectionId());
            Assert.Equal(sequence, client.Quic.DestinationSequenceNumber);
        }

        var second = client.Get("/bytes/5000");
        Assert.True(client.Run(() => client.Ended(second)), "no answer on the replacement ID");
        Assert.Equal(DeterministicBytes.ForLength(5000), client.Body(second).ToArray());

        // When the connection ends, every route to it goes.
        var known = client.Quic.PeerConnectionIds.Values.Select(id => id.ToArray()).Append(replacement).ToList();
        client.Quic.Close(0x100, "done", client.Now);
        // The closing period is three PTOs of the client's RTT estimate, which a loaded machine can stretch past 5 s.
        Assert.True(client.Run(() => client.Quic.IsTerminated, seconds: 30));
        var deadline = Stopwatch.StartNew();
        while (await AnyRoutedAsync(frontend, known) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        Assert.False(await AnyRoutedAsync(frontend, known));
    }

    private static async Task<bool> AnyRoutedAsync(Http3.Http3Frontend frontend, IEnumerable<byte[]> ids)
    {
        foreach (var id in ids)
        {
            if (await frontend.IsRoutedAsync(id))
            {
                return true;
            }
        }

        return false;
    }
}
