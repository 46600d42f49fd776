using System.Text;
using Hxi.Cli.Commands;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Tests;

public sealed class RequestBuilderTests
{
    private static Task<HxiRequest> BuildAsync(RequestSpec spec) => RequestBuilder.BuildAsync(spec, CancellationToken.None);

    private static string BodyText(HxiRequest request)
    {
        Assert.NotNull(request.Body);
        using var stream = request.Body.Open();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string? Header(HxiRequest request, string name) =>
        request.Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    private static async Task<HxiException> UsageErrorAsync(RequestSpec spec)
    {
        var error = await Assert.ThrowsAsync<HxiException>(() => BuildAsync(spec));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    [Fact]
    public async Task NoBody_IsAGet_WithCurlsDefaultsFirst_ThenTheUsersHeaders()
    {
        var request = await BuildAsync(new RequestSpec { Url = "https://example.test/path?x=1", Headers = ["X-One: 1"] });

        Assert.Equal("GET", request.Method);
        Assert.Equal("/path?x=1", request.Target);
        Assert.Equal([new HeaderField("User-Agent", ProductVersion.UserAgent), new HeaderField("Accept", "*/*"), new HeaderField("X-One", "1")], request.Headers);
        Assert.Matches(@"^hxi/\d+\.\d+\.\d+", ProductVersion.UserAgent);
        Assert.Null(request.Body);
    }

    [Fact]
    public async Task Defaults_AreOverridden_ByTheUsersHeader_AndRemoved_ByAnEmptyOne()
    {
        var request = await BuildAsync(new RequestSpec { Url = "https://example.test/", Headers = ["user-agent: probe/1", "Accept:"] });

        Assert.Equal([new HeaderField("user-agent", "probe/1")], request.Headers);
    }

    [Fact]
    public async Task HeaderWithASemicolon_IsSentEmpty_AsCurlDoes()
    {
        var request = await BuildAsync(new RequestSpec { Url = "https://example.test/", Headers = ["X-Empty;", "X-Gone: 1", "X-Gone:"] });

        Assert.Contains(new HeaderField("X-Empty", ""), request.Headers);
        Assert.Null(Header(request, "X-Gone"));
    }

    [Fact]
    public async Task Data_IsFormUrlEncoded_UnlessTheUserSaysOtherwise()
    {
        var plain = await BuildAsync(new RequestSpec { Url = "http://example.test/", Data = "a=1&b=2" });
        var typed = await BuildAsync(new RequestSpec { Url = "http://example.test/", Data = "x", Headers = ["Content-Type: text/plain"] });
        var none = await BuildAsync(new RequestSpec { Url = "http://example.test/", Data = "x", Headers = ["Content-Type:"] });

        Assert.Equal("application/x-www-form-urlencoded", Header(plain, "Content-Type"));
        Assert.Equal("text/plain", Header(typed, "Content-Type"));
        Assert.Null(Header(none, "Content-Type"));
    }

    [Fact]
    public async Task Items_BecomeHeadersQueryAndAJsonBody()
    {
        var request = await BuildAsync(new RequestSpec
        {
            Url = "http://example.test/api?a=1",
            Items = ["X-Token:t0k", "page==2", "q==a b", "name=hxi", "count:=3", "flags:={\"on\":true}"],
        });

        Assert.Equal("POST", request.Method);
        Assert.Equal("/api?a=1&page=2&q=a%20b", request.Target);
        Assert.Equal("t0k", Header(request, "X-Token"));
        Assert.Equal("application/json", Header(request, "Content-Type"));
        Assert.Equal("{\"name\":\"hxi\",\"count\":3,\"flags\":{\"on\":true}}", BodyText(request));
    }

    [Fact]
    public async Task Data_FromFile_IsSentAsIs_AndMakesAPost()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "line one\nline two\n");

            var request = await BuildAsync(new RequestSpec { Url = "http://example.test/echo", Data = "@" + path });

            Assert.Equal("POST", request.Method);
            Assert.Equal(18, request.Body!.Length);
            Assert.Equal("line one\nline two\n", BodyText(request));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Data_FromAMissingFile_IsAUsageError()
    {
        var error = await UsageErrorAsync(new RequestSpec { Url = "http://example.test/", Data = "@/no/such/file.txt" });

        Assert.Equal("-d @/no/such/file.txt: no such file", error.Message);
    }

    [Fact]
    public async Task Json_SetsContentTypeAndAccept()
    {
        var request = await BuildAsync(new RequestSpec { Url = "http://example.test/", Json = "{\"a\": [1, 2]}" });

        Assert.Equal("POST", request.Method);
        Assert.Equal("application/json", Header(request, "Content-Type"));
        Assert.Equal("application/json", Header(request, "Accept"));
        Assert.Equal("{\"a\": [1, 2]}", BodyText(request));
    }

    [Fact]
    public async Task Json_ThatIsNotJson_IsAUsageError()
    {
        var error = await UsageErrorAsync(new RequestSpec { Url = "http://example.test/", Json = "{not json" });

        Assert.StartsWith("--json is not valid JSON", error.Message);
    }

    [Fact]
    public async Task JsonItem_ThatIsNotJson_IsAUsageError()
    {
        var error = await UsageErrorAsync(new RequestSpec { Url = "http://example.test/", Items = ["n:=nope"] });

        Assert.StartsWith("request item 'n:=nope' is not valid JSON", error.Message);
    }

    [Fact]
    public async Task User_BecomesBasicAuthorization()
    {
        var request = await BuildAsync(new RequestSpec { Url = "http://example.test/", User = "aladdin:opensesame" });

        Assert.Equal("Basic YWxhZGRpbjpvcGVuc2VzYW1l", Header(request, "Authorization"));
    }

    [Fact]
    public async Task User_WithoutAPassword_AsksForIt()
    {
        string? askedFor = null;
        var request = await RequestBuilder.BuildAsync(
            new RequestSpec { Url = "http://example.test/", User = "aladdin" }, CancellationToken.None, user => { askedFor = user; return "opensesame"; });

        Assert.Equal("aladdin", askedFor);
        Assert.Equal("Basic YWxhZGRpbjpvcGVuc2VzYW1l", Header(request, "Authorization"));
    }

    [Fact]
    public async Task User_WithoutAPassword_AndNoTerminal_IsAUsageError()
    {
        var error = await Assert.ThrowsAsync<HxiException>(() => RequestBuilder.BuildAsync(
            new RequestSpec { Url = "http://example.test/", User = "aladdin" }, CancellationToken.None, _ => null));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Equal("-u aladdin: no password, and standard input is not a terminal to ask for one (use -u aladdin:PASSWORD)", error.Message);
    }

    [Fact]
    public async Task Form_IsMultipart_WithFieldsAndFiles()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hxi-form-{Guid.NewGuid():N}.txt");
        try
        {
            await File.WriteAllTextAsync(path, "file contents");

            var request = await BuildAsync(new RequestSpec { Url = "http://example.test/", Form = ["title=hello", "upload=@" + path] });

            var contentType = Header(request, "Content-Type");
            Assert.NotNull(contentType);
            Assert.StartsWith("multipart/form-data; boundary=", contentType);
            var boundary = contentType["multipart/form-data; boundary=".Length..].Trim('"');
            var body = BodyText(request);
            Assert.Contains($"--{boundary}\r\n", body);
            // As curl sends them: quoted parameters, no filename*, no Content-Type on a plain field.
            Assert.Contains($"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n", body);
            Assert.Contains($"Content-Disposition: form-data; name=\"upload\"; filename=\"{Path.GetFileName(path)}\"\r\n", body);
            Assert.DoesNotContain("filename*", body);
            Assert.Contains("Content-Type: text/plain", body);
            Assert.Contains("\r\n\r\nfile contents\r\n", body);
            Assert.EndsWith($"--{boundary}--\r\n", body);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Form_EntryWithoutEquals_IsAUsageError()
    {
        var error = await UsageErrorAsync(new RequestSpec { Url = "http://example.test/", Form = ["nameonly"] });

        Assert.Equal("-F 'nameonly' is not name=value or name=@file", error.Message);
    }

    [Fact]
    public async Task TwoBodySources_AreAUsageError()
    {
        var error = await UsageErrorAsync(new RequestSpec { Url = "http://example.test/", Data = "x", Json = "{}" });

        Assert.Contains("use only one of", error.Message);
    }

    [Theory]
    [InlineData("NoColonHere", "-H 'NoColonHere' is not 'Name: value'")]
    [InlineData(": value", "-H ': value' is not 'Name: value'")]
    [InlineData("Bad Name: value", "-H 'Bad Name: value': 'Bad Name' is not a valid header name")]
    [InlineData("X-Split: a\r\nInjected: b", "-H 'X-Split': the value contains CR, LF or NUL")]
    public async Task BadHeader_IsAOneLineUsageError(string header, string message)
    {
        var error = await UsageErrorAsync(new RequestSpec { Url = "http://example.test/", Headers = [header] });

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("http://", "'http://' is not a valid URL")]
    [InlineData("http://exa mple.test/", "'http://exa mple.test/' is not a valid URL")]
    [InlineData("ftp://example.test/file", "unsupported URL scheme 'ftp' in 'ftp://example.test/file' (use http or https)")]
    public async Task BadUrl_IsAOneLineUsageError(string url, string message)
    {
        var error = await UsageErrorAsync(new RequestSpec { Url = url });

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("example.test", "http://example.test/")]
    [InlineData("example.test:8080/x", "http://example.test:8080/x")]
    [InlineData(":8443/json", "http://localhost:8443/json")]
    [InlineData("https://[::1]:9443/", "https://[::1]:9443/")]
    public void ParseUrl_ShortFormsMeanHttp(string text, string expected)
    {
        Assert.Equal(new Uri(expected), RequestBuilder.ParseUrl(text));
    }

    [Fact]
    public async Task Method_IsUpperCased_AndHeadMeansHead()
    {
        var patch = await BuildAsync(new RequestSpec { Url = "http://example.test/", Method = "patch" });
        var head = await BuildAsync(new RequestSpec { Url = "http://example.test/", Head = true });

        Assert.Equal("PATCH", patch.Method);
        Assert.Equal("HEAD", head.Method);
    }

    [Fact]
    public async Task Method_ThatIsNotAToken_IsAUsageError()
    {
        var error = await UsageErrorAsync(new RequestSpec { Url = "http://example.test/", Method = "GET /x" });

        Assert.Equal("'GET /x' is not a valid method token", error.Message);
    }

    [Fact]
    public async Task Compressed_AsksForGzipDeflateAndBr_UnlessTheUserChose()
    {
        var automatic = await BuildAsync(new RequestSpec { Url = "http://example.test/", Compressed = true });
        var chosen = await BuildAsync(new RequestSpec { Url = "http://example.test/", Compressed = true, Headers = ["Accept-Encoding: br"] });

        Assert.Equal("gzip, deflate, br", Header(automatic, "Accept-Encoding"));
        Assert.Equal("br", Header(chosen, "Accept-Encoding"));
        Assert.Single(chosen.Headers, h => h.Name.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("photo.JPG", "image/jpeg")]
    [InlineData("notes.txt", "text/plain")]
    [InlineData("data.json", "application/json")]
    [InlineData("archive.tar.gz", "application/gzip")]
    [InlineData("blob", "application/octet-stream")]
    [InlineData("blob.unknownext", "application/octet-stream")]
    public void FormFile_IsTypedByItsExtension(string fileName, string expected) =>
        Assert.Equal(expected, MediaTypes.ForFileName(fileName));
}
