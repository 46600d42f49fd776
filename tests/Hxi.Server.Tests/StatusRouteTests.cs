using System.Diagnostics;
using System.Net;

namespace Hxi.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class StatusRouteTests(ServerFixture fixture)
{
    [Theory]
    [InlineData(Transport.Http1OverTls, 418)]
    [InlineData(Transport.Http2OverTls, 418)]
    [InlineData(Transport.Http2OverTls, 503)]
    [InlineData(Transport.Http2Cleartext, 201)]
    public async Task Status_AnswersWithTheRequestedCode(Transport transport, int status)
    {
        using var response = await fixture.Client(transport).GetAsync($"/status/{status}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal($"status {status}\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Transport.Http1OverTls)]
    [InlineData(Transport.Http2OverTls)]
    public async Task Status204_HasNoBody(Transport transport)
    {
        using var response = await fixture.Client(transport).GetAsync("/status/204");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Status103_FallsBackTo200AndSaysWhy()
    {
        using var response = await fixture.Client(Transport.Http2OverTls).GetAsync("/status/103");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("103 not sent", Assert.Single(response.Headers.GetValues("X-Hxi-Interim")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/status/99")]
    [InlineData("/status/600")]
    [InlineData("/status/abc")]
    [InlineData("/redirect/101")]
    [InlineData("/delay/10001")]
    [InlineData("/delay/-1")]
    public async Task OutOfRangeArgument_Is400(string path)
    {
        using var response = await fixture.Client(Transport.Http2OverTls).GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(Transport.Http1OverTls)]
    [InlineData(Transport.Http2OverTls)]
    public async Task Redirect_HopsExactlyNTimesThenLandsOnJson(Transport transport)
    {
        var client = fixture.Client(transport);
        var hops = new List<string>();
        var path = "/redirect/3";
        while (true)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.Found)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("/json", (await Json.ReadAsync(response)).GetProperty("path").GetString());
                break;
            }

            path = response.Headers.Location!.OriginalString;
            hops.Add(path);
        }

        Assert.Equal(["/redirect/2", "/redirect/1", "/json"], hops);
    }

    [Fact]
    public async Task Redirect_IsFollowedByAnHttpClient()
    {
        using var response = await fixture.Client(Transport.Http2OverTls, followRedirects: true).GetAsync("/redirect/2");

        Assert.Equal(new Uri(fixture.Server.HttpsUri, "/json"), response.RequestMessage!.RequestUri);
        Assert.Equal("hello", (await Json.ReadAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Delay_WaitsBeforeAnswering()
    {
        var started = Stopwatch.StartNew();
        using var response = await fixture.Client(Transport.Http2OverTls).GetAsync("/delay/150");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(started.ElapsedMilliseconds >= 140, $"answered after {started.ElapsedMilliseconds} ms");
    }
}
