using System.Text.Json;
using Hxi.Cli.Tests.Trace;
using Hxi.Net.Client;

namespace Hxi.Cli.Tests.Repl;

/// <summary>
/// What a session leaves behind: --har, a HAR 1.2 file valid against the schema written from the spec (one-shot runs
/// too), over HTTP/1.1, HTTP/2 and HTTP/3; --record, a script whose first line replays it and which waits for answers
/// on streams made by hand.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
public sealed class ReplHarAndRecordTests(EmbeddedServerFixture fixture) : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"hxi-repl-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData(ProtocolMode.Auto, "HTTP/2")]
    [InlineData(ProtocolMode.Http11, "HTTP/1.1")]
    [InlineData(ProtocolMode.Http3Only, "HTTP/3")]
    public async Task Har_HoldsEveryRequestOfTheSession_AndIsHar12(ProtocolMode mode, string version)
    {
        var (exit, _) = await fixture.RunAsync("""
            get /json /status/404
            post /echo hello
            GET /headers HTTP/1.1
            Host: localhost
            X-Typed: yes

            quit
            """, mode: mode, frames: false, har: _file);

        Assert.Equal(0, exit);
        var entries = ValidHar(_file).GetProperty("log").GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(4, entries.Count);
        Assert.All(entries, e => Assert.Equal(version, e.GetProperty("response").GetProperty("httpVersion").GetString()));
        // Listed as they started: the two gets went together, in either order.
        var paths = entries.Select(e => new Uri(e.GetProperty("request").GetProperty("url").GetString()!).AbsolutePath).ToList();
        Assert.Equal(["/json", "/status/404"], paths[..2].Order(StringComparer.Ordinal));
        Assert.Equal(["/echo", "/headers"], paths[2..]);
        var json = entries.Single(e => e.GetProperty("request").GetProperty("url").GetString()!.EndsWith("/json", StringComparison.Ordinal));
        Assert.Equal(200, json.GetProperty("response").GetProperty("status").GetInt32());
        Assert.Contains("\"message\"", json.GetProperty("response").GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(version, json.GetProperty("request").GetProperty("httpVersion").GetString());
        if (version != "HTTP/1.1")
        {
            // The fields as HTTP/2 and HTTP/3 carry them: pseudo-header fields first.
            var sent = json.GetProperty("request").GetProperty("headers").EnumerateArray()
                .Select(h => (h.GetProperty("name").GetString(), h.GetProperty("value").GetString())).ToList();
            Assert.Equal((":method", "GET"), sent[0]);
            Assert.Contains((":path", "/json"), sent);
            Assert.Contains((":scheme", "https"), sent);
        }
        var echo = entries.Single(e => e.GetProperty("request").GetProperty("method").GetString() == "POST");
        Assert.Equal("hello", echo.GetProperty("request").GetProperty("postData").GetProperty("text").GetString());
        var typed = entries.Single(e => e.GetProperty("request").GetProperty("url").GetString()!.EndsWith("/headers", StringComparison.Ordinal));
        Assert.Contains(typed.GetProperty("request").GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString()!.Equals("x-typed", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task OneShotHar_IsHar12Too()
    {
        var exit = await Program.RunAsync(
            ["--cacert", fixture.Server.CaCertificatePath, "-L", "--har", _file, new Uri(fixture.Server.HttpsUri, "/redirect/1").ToString()],
            new StringWriter(), new StringWriter(), Stream.Null);

        Assert.Equal(0, exit);
        Assert.Equal(2, ValidHar(_file).GetProperty("log").GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public async Task Record_WaitsForAnswersOnStreamsMadeByHand_AndNamesEveryOption()
    {
        var (exit, _) = await fixture.RunAsync("headers GET /delay/200\nwait 1s\nping\nquit\n", record: _file);
        var recorded = await File.ReadAllLinesAsync(_file);

        Assert.Equal(0, exit);
        Assert.Equal(
            $"# replay: hxi repl --cacert {Path.GetFullPath(fixture.Server.CaCertificatePath)} --timeout 10 {fixture.Server.HttpsUri} --script {Path.GetFullPath(_file)}",
            recorded[1]);
        Assert.Equal(["headers GET /delay/200", "wait 1s", "wait stream 1 end", "ping", "quit"], recorded[2..]);

        // The hand-made stream's answer is part of the replay, not cut off by its quit.
        var (replayExit, replay) = await fixture.RunAsync(string.Join('\n', recorded));
        Assert.Equal(0, replayExit);
        Assert.Contains("; stream 1 ended: 200", replay);
    }

    private static JsonElement ValidHar(string path)
    {
        var text = File.ReadAllText(path);
        JsonSchemas.AssertNoDotNetNames(text, path);
        using var document = JsonDocument.Parse(text);
        var problems = JsonSchemas.Problems(JsonSchemas.Har, document.RootElement);
        Assert.True(problems.Count == 0, $"{path} is not HAR 1.2:\n{string.Join("\n", problems.Take(12))}");
        return document.RootElement.Clone();
    }
}
