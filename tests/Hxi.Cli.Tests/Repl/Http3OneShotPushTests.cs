using System.Collections.Concurrent;
using System.Text;
using Hxi.Cli.Output;
using Hxi.Net.Client;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Tests.Repl;

/// <summary>The one-shot client's --push over HTTP/3, against the scripted pushing peer.</summary>
public sealed class Http3OneShotPushTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("/page")]        // PUSH_PROMISE, then the push stream
    [InlineData("/push-first")]  // the push stream ahead of its PUSH_PROMISE (RFC 9114 Section 4.6)
    public async Task WithPush_ThePromisedResponseReachesThePushHandler(string path)
    {
        await using var server = new PushingHttp3Server();
        var pushes = new ConcurrentQueue<(long Id, string Path, BufferingResponseHandler Handler)>();
        await using var client = new HxiClient(Options(server, (id, promised) =>
        {
            var handler = new BufferingResponseHandler();
            pushes.Enqueue((id, promised.First(f => f.Name == ":path").Value, handler));
            return handler;
        }));

        var page = new BufferingResponseHandler();
        await client.SendAsync(new HxiRequest("GET", new Uri(server.Url, path), []), page, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("the page\n", Encoding.UTF8.GetString(page.Body));
        // The push stream may still be arriving when the page is complete.
        var deadline = DateTime.UtcNow + Bound;
        while (!(pushes.TryPeek(out var first) && first.Handler.Body.Length == PushingHttp3Server.PushedCss.Length) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var (id, promisedPath, handler) = Assert.Single(pushes);
        Assert.Equal(0, id);
        Assert.Equal("/pushed.css", promisedPath);
        Assert.Equal("HTTP/3", handler.Head?.Protocol);
        Assert.Equal(200, handler.Head?.StatusCode);
        Assert.Equal(PushingHttp3Server.PushedCss, Encoding.UTF8.GetString(handler.Body));
        Assert.Contains(server.Received, e => e is MaxPushIdReceived { PushId: 99 });
    }

    [Fact]
    public async Task WithoutPush_NoMaxPushIdIsSent_SoTheServerCannotPush()
    {
        await using var server = new PushingHttp3Server();
        await using var client = new HxiClient(Options(server, factory: null));

        var page = new BufferingResponseHandler();
        await client.SendAsync(new HxiRequest("GET", new Uri(server.Url, "/page"), []), page, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("no push\n", Encoding.UTF8.GetString(page.Body));
        Assert.DoesNotContain(server.Received, e => e is MaxPushIdReceived);
    }

    [Fact]
    public void Printer_NamesAnHttp3PushByItsPushId()
    {
        var output = new StringWriter();
        var printer = new PushedResponsePrinter(output, Palette.For(redirected: true), 0, [new(":path", "/pushed.css")]);
        printer.OnResponseHead(new ResponseHead("HTTP/3", 200, "", [], 7));

        Assert.Equal("pushed (push 0) /pushed.css: HTTP/3 200\n", output.ToString().Replace("\r\n", "\n"));
    }

    private static ClientOptions Options(PushingHttp3Server server, Func<long, IReadOnlyList<HeaderField>, IResponseHandler>? factory) => new()
    {
        Protocol = ProtocolMode.Http3Only,
        CaCertificatePath = server.CaCertificatePath,
        EnablePush = factory is not null,
        PushHandlerFactory = factory,
    };
}
