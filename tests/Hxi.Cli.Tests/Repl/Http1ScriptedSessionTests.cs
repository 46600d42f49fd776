using Hxi.Net.Client;

namespace Hxi.Cli.Tests.Repl;

/// <summary>The HTTP/1.1 REPL: raw bytes as typed, the answer as it arrives, chunks and keep-alive made visible.</summary>
[Collection(EmbeddedServerCollection.Name)]
public sealed class Http1ScriptedSessionTests(EmbeddedServerFixture fixture)
{
    [Fact]
    public async Task TypedRequest_GoesOutAsTyped_AndKeepAliveIsShown()
    {
        var (exit, output) = await fixture.RunAsync("""
            GET /json HTTP/1.1
            Host: localhost

            get /json
            quit
            """, fixture.Server.HttpUri, frames: true);

        Assert.Equal(0, exit);
        Assert.Contains("http/1.1 localhost:", output);
        Assert.Contains("GET /json HTTP/1.1\\r\\n", output);
        Assert.Contains("Host: localhost\\r\\n", output);
        Assert.Contains("HTTP/1.1 200 OK", output);
        Assert.Contains("; response complete; the connection is kept alive for the next request", output);
        Assert.Contains("; reusing the kept-alive connection (request 2 on it)", output);
    }

    [Fact]
    public async Task ChunkedResponse_ShowsChunkBoundaries_AsItArrives()
    {
        var (exit, output) = await fixture.RunAsync("get /stream/2\nquit\n", fixture.Server.HttpUri, frames: false);

        Assert.Equal(0, exit);
        Assert.Contains("Transfer-Encoding: chunked", output);
        Assert.Equal(2, output.Split('\n').Count(l => l.StartsWith("; chunk of ", StringComparison.Ordinal)));
        Assert.Contains("; last chunk", output);
        Assert.Contains("{\"id\":1", output);
    }

    [Fact]
    public async Task ConnectionClose_MakesTheNextRequestReconnect()
    {
        var (exit, output) = await fixture.RunAsync("""
            GET /json HTTP/1.1
            Host: localhost
            Connection: close

            get /json /status/202
            quit
            """, fixture.Server.HttpUri, frames: false);

        Assert.Equal(0, exit);
        Assert.Contains("the server will close the connection", output);
        Assert.Contains("; reconnecting to", output);
        Assert.Matches(@"/status/202\s+-\s+202", output);
    }

    [Fact]
    public async Task PostWithBody_AndFrameCommandsAreRefusedClearly()
    {
        var (exit, output) = await fixture.RunAsync("""
            POST /echo HTTP/1.1
            Host: localhost
            Content-Length: 10

            hello
            bye
            ping
            quit
            """, fixture.Server.HttpUri, frames: false);

        // A frame command on HTTP/1.1 cannot run: a usage error (2), not "a bug in hxi" (1).
        Assert.Equal(2, exit);
        Assert.Contains("hello\nbye", output.Replace("\r", ""));
        Assert.Contains("error: ping sends an HTTP/2 frame, but this connection speaks HTTP/1.1", output);
    }

    [Fact]
    public async Task Http11Flag_OnHttps_GivesTheHttp1Session()
    {
        var (exit, output) = await fixture.RunAsync("get /json\nquit\n", mode: ProtocolMode.Http11, frames: false);

        Assert.Equal(0, exit);
        Assert.Contains("http/1.1 localhost:", output);
        Assert.Contains("\"proto\": \"HTTP/1.1\"", output);
    }
}
