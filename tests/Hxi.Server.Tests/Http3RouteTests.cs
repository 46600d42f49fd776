using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hxi.Protocols.Http3;

namespace Hxi.Server.Tests;

/// <summary>
/// HTTP/3 requests run through the same route table as HTTP/1.1 and HTTP/2, in-process: the request as the client
/// sent it (scheme https, no hop header), bodies streamed both ways, trailers and resets as HTTP/3 has them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class Http3RouteTests(ServerFixture fixture)
{
    [Fact]
    public void Headers_ShowTheRequestAsSent_WithSchemeHttps_AndNoHopHeader()
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Send(
            [new(":method", "GET"), new(":scheme", "https"), new(":authority", client.Authority), new(":path", "/headers?a=1"),
                new("x-test", "one"), new("cookie", "a=1"), new("cookie", "b=2")]);
        Assert.True(client.Run(() => client.Ended(stream)), "no answer");
        Assert.Equal("200", client.Status(stream));
        using var json = JsonDocument.Parse(client.Body(stream).ToArray());
        var root = json.RootElement;
        Assert.Equal("https", root.GetProperty("scheme").GetString());
        Assert.Equal("HTTP/3", root.GetProperty("protocol").GetString());
        Assert.Equal(client.Authority, root.GetProperty("authority").GetString());
        Assert.Equal("/headers?a=1", root.GetProperty("path").GetString());
        var headers = root.GetProperty("headers");
        Assert.Equal("one", headers.GetProperty("x-test").GetString());
        Assert.Equal("a=1; b=2", headers.GetProperty("cookie").GetString());
        Assert.False(headers.TryGetProperty("x-hxi-frontend", out _));
        Assert.Contains(fixture.Log.Lines, line => line.StartsWith("HTTP/3 GET /headers?a=1 -> 200", StringComparison.Ordinal));
    }

    [Fact]
    public void Bytes_ArriveWhole_WithTheirLength()
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Get("/bytes/3000000");
        Assert.True(client.Run(() => client.Ended(stream), seconds: 30), $"stalled at {client.Body(stream).Length} bytes");
        Assert.Equal("3000000", client.Header(stream, "content-length"));
        Assert.Equal(DeterministicBytes.ForLength(3_000_000), client.Body(stream).ToArray());
    }

    [Fact]
    public void Echo_StreamsAnUploadBack_PastEveryBuffer()
    {
        // Larger than the request pipe (1 MB), the response pipe and the client's initial stream window together.
        var body = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Post("/echo", body);
        Assert.True(client.Run(() => client.Ended(stream), seconds: 60), $"stalled at {client.Body(stream).Length} bytes");
        Assert.Equal("200", client.Status(stream));
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(client.Body(stream).ToArray()));
    }

    [Fact]
    public void Trailers_FollowTheBody()
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Get("/trailers");
        Assert.True(client.Run(() => client.Ended(stream)), "no answer");
        var body = client.Body(stream).ToArray();
        Assert.Contains("HTTP/3", Encoding.UTF8.GetString(body));
        var trailers = client.Trailers(stream);
        Assert.NotNull(trailers);
        Assert.Contains(new("x-checksum", Convert.ToHexStringLower(SHA256.HashData(body))), trailers);
        Assert.Contains(new("grpc-status", "0"), trailers);
    }

    [Fact]
    public void BigHeaders_ComeInOneHeadersFrame()
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Get("/bigheaders");
        Assert.True(client.Run(() => client.Ended(stream)), "no answer");
        Assert.Equal(ProtocolRoutes.BigHeaderCount, client.Head(stream).Count(f => f.Name.StartsWith("x-big-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Reset_IsH3InternalError_AfterPartOfTheBody()
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Get("/reset");
        Assert.True(client.Run(() => client.ResetCode(stream) is not null), $"no reset; got {client.Status(stream)} {client.Body(stream).Length} bytes, ended {client.Ended(stream)}; log: {string.Join(" / ", fixture.Log.Lines.Where(l => l.Contains("reset", StringComparison.Ordinal)))}");
        Assert.Equal((ulong)Http3ErrorCode.InternalError, client.ResetCode(stream));
    }

    [Fact]
    public void ManyRequestsAtOnce_AreAllAnswered()
    {
        using var client = new Http3TestClient(fixture.Server);
        var streams = Enumerable.Range(0, 50).Select(i => client.Get($"/bytes/{1000 + i}")).ToList();
        Assert.True(client.Run(() => streams.All(client.Ended), seconds: 30), $"{streams.Count(client.Ended)} of 50 answered");
        for (var i = 0; i < streams.Count; i++)
        {
            Assert.Equal(DeterministicBytes.ForLength(1000 + i), client.Body(streams[i]).ToArray());
        }
    }
}
