using System.Net;
using System.Security.Cryptography;

namespace Hxi.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ProtocolRouteTests(ServerFixture fixture)
{
    [Theory]
    [InlineData(Transport.Http2OverTls)]
    [InlineData(Transport.Http2Cleartext)]
    public async Task Trailers_FollowTheBodyOverHttp2(Transport transport)
    {
        using var response = await fixture.Client(transport).GetAsync("/trailers");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), Assert.Single(response.TrailingHeaders.GetValues("x-checksum")));
        Assert.Equal("0", Assert.Single(response.TrailingHeaders.GetValues("grpc-status")));
    }

    [Fact]
    public async Task Trailers_OverHttp1AreLeftOut()
    {
        using var response = await fixture.Client(Transport.Http1OverTls).GetAsync("/trailers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
        Assert.Empty(response.TrailingHeaders);
    }

    [Theory]
    [InlineData(Transport.Http1OverTls)]
    [InlineData(Transport.Http2OverTls)]
    [InlineData(Transport.Http2Cleartext)]
    public async Task BigHeaders_SendsFortyKilobyteHeaders(Transport transport)
    {
        using var response = await fixture.Client(transport).GetAsync("/bigheaders");

        var big = response.Headers.Where(header => header.Key.StartsWith("x-big-", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(40, big.Count);
        Assert.All(big, header => Assert.Equal(1000, Assert.Single(header.Value).Length));
        Assert.Contains(big, header => header.Key.Equals("x-big-39", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Reset_ResetsTheHttp2StreamWithInternalError()
    {
        using var response = await fixture.Client(Transport.Http2OverTls)
            .GetAsync("/reset", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();

        var error = await Assert.ThrowsAsync<HttpProtocolException>(() => body.CopyToAsync(Stream.Null));
        Assert.Equal(2, error.ErrorCode);
    }

    [Fact]
    public async Task Reset_DropsTheHttp1Connection()
    {
        var client = fixture.Client(Transport.Http1OverTls);

        // The reset can overtake the partial response in the client's socket buffer, so the failure
        // may surface while reading the headers or while reading the body.
        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await client.GetAsync("/reset", HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(Stream.Null);
        });

        Assert.True(error is HttpRequestException or IOException, $"expected a broken connection, got {error}");
    }
}
