using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Hxi.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class BasicRouteTests(ServerFixture fixture)
{
    [Theory]
    [InlineData(Transport.Http1OverTls)]
    [InlineData(Transport.Http2OverTls)]
    [InlineData(Transport.Http1Cleartext)]
    [InlineData(Transport.Http2Cleartext)]
    public async Task Root_GreetsNamingTheProtocol(Transport transport)
    {
        using var response = await fixture.Client(transport).GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"hello from hxi serve over {Json.ProtocolName(transport)}\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Transport.Http1OverTls)]
    [InlineData(Transport.Http2OverTls)]
    [InlineData(Transport.Http2Cleartext)]
    public async Task Json_ReportsProtocolMethodAndPath(Transport transport)
    {
        using var response = await fixture.Client(transport).PostAsync("/json?x=1", new StringContent("ignored"));
        var json = await Json.ReadAsync(response);

        Assert.Equal(Json.ProtocolName(transport), json.GetProperty("proto").GetString());
        Assert.Equal("POST", json.GetProperty("method").GetString());
        Assert.Equal("/json?x=1", json.GetProperty("path").GetString());
        Assert.Equal("hello", json.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(Transport.Http1OverTls)]
    [InlineData(Transport.Http2OverTls)]
    public async Task Headers_EchoesRequestHeadersAndRequestLine(Transport transport)
    {
        var client = fixture.Client(transport);
        using var request = ServerFixture.Request(client, HttpMethod.Get, "/headers");
        request.Headers.Add("X-Probe", "42");
        using var response = await client.SendAsync(request);
        var json = await Json.ReadAsync(response);

        Assert.Equal("GET", json.GetProperty("method").GetString());
        Assert.Equal("https", json.GetProperty("scheme").GetString());
        Assert.Equal(fixture.Server.HttpsUri.Authority, json.GetProperty("authority").GetString());
        Assert.Equal("/headers", json.GetProperty("path").GetString());
        Assert.Equal(Json.ProtocolName(transport), json.GetProperty("protocol").GetString());
        var headers = json.GetProperty("headers").EnumerateObject().ToDictionary(
            header => header.Name, header => header.Value.GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("42", headers["x-probe"]);
        Assert.Equal(fixture.Server.HttpsUri.Authority, headers["host"]);
    }

    [Theory]
    [InlineData(Transport.Http1OverTls)]
    [InlineData(Transport.Http2OverTls)]
    [InlineData(Transport.Http1Cleartext)]
    [InlineData(Transport.Http2Cleartext)]
    public async Task Echo_ReturnsBodyAndContentType(Transport transport)
    {
        var body = DeterministicBytes.ForLength(300_000);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-probe");

        using var response = await fixture.Client(transport).PostAsync("/echo", content);

        Assert.Equal("application/x-probe", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Echo_AnswersBeforeTheRequestBodyEnds_OverHttp2()
    {
        var client = fixture.Client(Transport.Http2OverTls);
        var content = new TwoPartContent("first\n"u8.ToArray(), "second\n"u8.ToArray());
        using var request = ServerFixture.Request(client, HttpMethod.Post, "/echo");
        request.Content = content;

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var responseBody = await response.Content.ReadAsStreamAsync();
        var first = new byte[6];
        await responseBody.ReadExactlyAsync(first);
        Assert.Equal("first\n", Encoding.ASCII.GetString(first));

        content.SendSecondPart();
        using var rest = new StreamReader(responseBody);
        Assert.Equal("second\n", await rest.ReadToEndAsync());
    }

    [Theory]
    [InlineData(Transport.Http1OverTls)]
    [InlineData(Transport.Http2OverTls)]
    public async Task UnknownPath_Is404WithTextBody(Transport transport)
    {
        using var response = await fixture.Client(transport).GetAsync("/no/such/thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/no/such/thing", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_GetsOneLinePerRequest()
    {
        using var response = await fixture.Client(Transport.Http2OverTls).GetAsync("/json?log-probe");
        await response.Content.ReadAsStringAsync();

        // The log line is written after the response completes, which can trail the client by a moment.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!fixture.Log.Lines.Any(line => line.Contains("log-probe", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Contains("HTTP/2 GET /json?log-probe -> 200", Assert.Single(fixture.Log.Lines, line => line.Contains("log-probe", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
