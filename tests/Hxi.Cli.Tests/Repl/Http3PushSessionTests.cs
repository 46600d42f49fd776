using Hxi.Cli.Repl;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Protocols.Http3;

namespace Hxi.Cli.Tests.Repl;

/// <summary>
/// Server push in the HTTP/3 REPL against a scripted pushing peer (<see cref="PushingHttp3Server"/>): after
/// max-push-id, PUSH_PROMISE and the pushed response are shown; cancel-push declines a promised push.
/// </summary>
public sealed class Http3PushSessionTests
{
    [Fact]
    public async Task AfterMaxPushId_PushPromiseAndThePushedResponseArePrinted()
    {
        await using var server = new PushingHttp3Server();
        var (exit, output) = await RunAsync(server, """
            get /page
            max-push-id 5
            get /page
            wait stream 15 end 5s
            quit
            """);

        Assert.True(exit == 0, output);
        // Before MAX_PUSH_ID the server may not push, and this one does not.
        var first = output[..output.IndexOf("> max-push-id 5", StringComparison.Ordinal)];
        Assert.DoesNotContain("PUSH_PROMISE", first);
        // Each request's fields print under its own HEADERS frame.
        Assert.Matches(@"send HEADERS frame <length=\d+, stream_id=0>\s+:method: GET\s+:scheme: https\s+:authority: \S+\s+:path: /page\n", output);
        Assert.Matches(@"send HEADERS frame <length=\d+, stream_id=4>\s+:method: GET\s+:scheme: https\s+:authority: \S+\s+:path: /page\n", output);
        Assert.Contains("send MAX_PUSH_ID frame", output);
        Assert.Contains("; the server may push ids 0 to 5 now", output);
        Assert.Contains("recv PUSH_PROMISE frame", output);
        Assert.Contains("(push_id=0,", output);
        Assert.Contains("; the server promised push 0 on stream 4: GET /pushed.css", output);
        Assert.Contains("recv stream 15 opened as push (type 0x1, push_id=0)", output);
        Assert.Matches(@"recv HEADERS frame <length=\d+, stream_id=15>", output);
        Assert.Matches(@"recv DATA frame <length=22, stream_id=15>", output);
        Assert.Contains("; pushed response for GET /pushed.css (push 0, stream 15): 200, 22 body bytes", output);
        Assert.Contains(PushingHttp3Server.PushedCss, output);
        Assert.DoesNotContain("H3_ID_ERROR", output);
        Assert.Contains(server.Received, e => e is MaxPushIdReceived { PushId: 5 });
    }

    [Fact]
    public async Task CancelPush_OnAPromisedPush_StopsItsLatePushStream_AndTheSessionCarriesOn()
    {
        await using var server = new PushingHttp3Server();
        var (exit, output) = await RunAsync(server, """
            max-push-id 5
            get /promise
            cancel-push 0
            get /fulfil-open
            wait stream 15 end 5s
            get /promise
            cancel-push 1
            get /fulfil
            wait stream 19 end 5s
            get /page
            wait stream 23 end 5s
            quit
            """);

        Assert.True(exit == 0, output);
        Assert.Contains("; the server promised push 0 on stream 0: GET /later.js", output);
        Assert.Contains("send CANCEL_PUSH frame", output);
        Assert.Contains("; push 0 cancelled: if its push stream still arrives, hxi stops reading it with H3_REQUEST_CANCELLED", output);
        Assert.Contains("; push 0 arrived on stream 15 after hxi cancelled it: hxi discards it and stops reading it with H3_REQUEST_CANCELLED", output);
        // Push 1's stream arrives whole (FIN and all): discarded too, and the connection goes on.
        Assert.Contains("; push 1 arrived on stream 19 after hxi cancelled it", output);
        Assert.DoesNotContain("late();", output);
        Assert.Contains("; pushed response for GET /pushed.css (push 2, stream 23): 200, 22 body bytes", output);
        Assert.Contains(server.Received, e => e is CancelPushReceived { PushId: 0 });
        Assert.True(await Eventually(() => server.Received.Contains(new StopSendingReceived(15, (ulong)Http3ErrorCode.RequestCancelled))),
            "the server never got STOP_SENDING H3_REQUEST_CANCELLED on push stream 15: " + string.Join(", ", server.Received));
    }

    [Fact]
    public async Task CancelPush_OfAnUnpromisedId_SaysTheServerWillObject()
    {
        await using var server = new PushingHttp3Server();
        var (_, output) = await RunAsync(server, """
            cancel-push 0
            max-push-id 2
            cancel-push 9
            cancel-push 1
            quit
            """);

        Assert.Contains("; hxi has sent no MAX_PUSH_ID, so there can be no push 0: the server must close the connection with H3_ID_ERROR", output);
        Assert.Contains("; push id 9 is above the MAX_PUSH_ID hxi sent (2)", output);
        Assert.Contains("; no PUSH_PROMISE for push 1 has arrived", output);
    }

    private static async Task<(int Exit, string Output)> RunAsync(PushingHttp3Server server, string script)
    {
        var settings = new ReplSettings
        {
            Url = server.Url,
            Mode = ProtocolMode.Http3Only,
            CaCertificate = server.CaCertificatePath,
            View = new WireViewOptions(true, false, false),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exit = await ReplRunner.RunAsync(settings, new StringReader(script), output, timeout.Token);
        return (exit, output.ToString());
    }

    private static async Task<bool> Eventually(Func<bool> done)
    {
        for (var i = 0; i < 50 && !done(); i++)
        {
            await Task.Delay(100);
        }

        return done();
    }
}
