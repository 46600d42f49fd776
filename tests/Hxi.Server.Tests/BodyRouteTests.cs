using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Hxi.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class BodyRouteTests(ServerFixture fixture)
{
    [Theory]
    [InlineData(Transport.Http1OverTls, 0)]
    [InlineData(Transport.Http1OverTls, 200_003)]
    [InlineData(Transport.Http2OverTls, 200_003)]
    [InlineData(Transport.Http1Cleartext, 7)]
    [InlineData(Transport.Http2Cleartext, 65_536)]
    public async Task Bytes_AreTheDeterministicStreamForN(Transport transport, int length)
    {
        using var response = await fixture.Client(transport).GetAsync($"/bytes/{length}");

        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(length, response.Content.Headers.ContentLength);
        Assert.Equal(DeterministicBytes.ForLength(length), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Bytes_LargeDownloadHashesTheSameEveryTime()
    {
        const int length = 8 * 1024 * 1024;
        var expected = SHA256.HashData(DeterministicBytes.ForLength(length));

        foreach (var transport in new[] { Transport.Http1OverTls, Transport.Http2OverTls })
        {
            await using var body = await fixture.Client(transport).GetStreamAsync($"/bytes/{length}");
            Assert.Equal(expected, await SHA256.HashDataAsync(body));
        }
    }

    [Fact]
    public async Task Bytes_MoreThanOneGibibyteIs400()
    {
        using var response = await fixture.Client(Transport.Http2OverTls).GetAsync($"/bytes/{(1L << 30) + 1}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(Transport.Http1OverTls)]
    [InlineData(Transport.Http2OverTls)]
    [InlineData(Transport.Http2Cleartext)]
    public async Task Stream_SendsNJsonLines(Transport transport)
    {
        using var response = await fixture.Client(transport).GetAsync("/stream/5");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(5, lines.Length);
        for (var id = 0; id < lines.Length; id++)
        {
            using var line = JsonDocument.Parse(lines[id]);
            Assert.Equal(id, line.RootElement.GetProperty("id").GetInt32());
            Assert.Equal(Json.ProtocolName(transport), line.RootElement.GetProperty("proto").GetString());
        }
    }

    [Fact]
    public async Task Stream_LinesArriveBeforeTheResponseEnds_OverHttp1()
    {
        // Without per-line flushes the first line would not be readable until all were written.
        using var response = await fixture.Client(Transport.Http1OverTls)
            .GetAsync("/stream/3", HttpCompletionOption.ResponseHeadersRead);

        Assert.True(response.Headers.TransferEncodingChunked);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Contains("\"id\":0", await reader.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Transport.Http1OverTls, "/gzip", "gzip")]
    [InlineData(Transport.Http2OverTls, "/gzip", "gzip")]
    [InlineData(Transport.Http2OverTls, "/brotli", "br")]
    [InlineData(Transport.Http2OverTls, "/deflate", "deflate")]
    public async Task Compressed_BodyDecodesWithTheNamedCoding(Transport transport, string path, string coding)
    {
        using var response = await fixture.Client(transport).GetAsync(path);

        Assert.Equal(coding, Assert.Single(response.Content.Headers.ContentEncoding));
        await using var compressed = await response.Content.ReadAsStreamAsync();
        await using Stream decoder = coding switch
        {
            "gzip" => new GZipStream(compressed, CompressionMode.Decompress),
            "br" => new BrotliStream(compressed, CompressionMode.Decompress),
            _ => new ZLibStream(compressed, CompressionMode.Decompress),
        };
        using var reader = new StreamReader(decoder);
        Assert.StartsWith($"compressed with {coding} over {Json.ProtocolName(transport)}\n", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }
}
