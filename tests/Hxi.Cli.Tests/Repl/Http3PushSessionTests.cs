using System.Text.RegularExpressions;
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
        Assert.True(Regex.IsMatch(output, @"send HEADERS frame <length=\d+, stream_id=0>\s+:method: GET\s+:scheme: https\s+:authority: \S+\s+:path: /page\n"), output);
        Assert.True(Regex.IsMatch(output, @"send HEADERS frame <length=\d+, stream_id=4>\s+:method: GET\s+:scheme: https\s+:authority: \S+\s+:path: /page\n"), output);
        Has(output, "send MAX_PUSH_ID frame");
        Has(output, "; the server may push ids 0 to 5 now");
        Has(output, "recv PUSH_PROMISE frame");
        Has(output, "(push_id=0,");
        Has(output, "; the server promised push 0 on stream 4: GET /pushed.css");
        Has(output, "recv stream 15 opened as push (type 0x1, push_id=0)");
        Assert.True(Regex.IsMatch(output, @"recv HEADERS frame <length=\d+, stream_id=15>"), output);
        Assert.True(Regex.IsMatch(output, @"recv DATA frame <length=22, stream_id=15>"), output);
        Has(output, "; pushed response for GET /pushed.css (push 0, stream 15): 200, 22 body bytes");
        Has(output, PushingHttp3Server.PushedCss);
        Lacks(output, "H3_ID_ERROR");
        Assert.Contains(server.Received, e => e is MaxPushIdReceived { PushId: 5 });
    }

    [Fact]
    public async Task APushStreamAheadOfItsPromise_IsPrintedOnceThePromiseArrives()
    {
        await using var server = new PushingHttp3Server();
        var (exit, output) = await RunAsync(server, """
            max-push-id 1
            get /push-first
            wait stream 15 end 5s
            quit
            """);

        Assert.True(exit == 0, output);
        Has(output, "; push stream 15 for push 0 came before its PUSH_PROMISE (RFC 9114 4.6 allows that): the response is shown once the promise arrives");
        var promised = output.IndexOf("; the server promised push 0 on stream 0: GET /pushed.css", StringComparison.Ordinal);
        var printed = output.IndexOf("; pushed response for GET /pushed.css (push 0, stream 15): 200, 22 body bytes", StringComparison.Ordinal);
        Assert.True(promised > 0 && printed > promised, output);
        Has(output, PushingHttp3Server.PushedCss);
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
        Has(output, "; the server promised push 0 on stream 0: GET /later.js");
        Has(output, "send CANCEL_PUSH frame");
        Has(output, "; push 0 cancelled: if its push stream still arrives, hxi stops reading it with H3_REQUEST_CANCELLED");
        Has(output, "; push 0 arrived on stream 15 after hxi cancelled it: hxi discards it and stops reading it with H3_REQUEST_CANCELLED");
        // Push 1's stream arrives whole (FIN and all): discarded too, and the connection goes on.
        Has(output, "; push 1 arrived on stream 19 after hxi cancelled it");
        Lacks(output, "late();");
        Has(output, "; pushed response for GET /pushed.css (push 2, stream 23): 200, 22 body bytes");
        Assert.Contains(server.Received, e => e is CancelPushReceived { PushId: 0 });
        Assert.True(await Eventually(() => server.Received.Contains(new StopSendingReceived(15, (ulong)Http3ErrorCode.RequestCancelled))),
            "the server never got STOP_SENDING H3_REQUEST_CANCELLED on push stream 15: " + string.Join(", ", server.Received));
    }

    [Fact]
    public async Task CancelPush_OfAnUnpromisedId_SaysTheServerWillObject()
    {
        // Each case in its own session: the server (our own HTTP/3 core) does what the note says and closes the
        // connection with H3_ID_ERROR (RFC 9114 7.2.3), which ends the session.
        await using (var server = new PushingHttp3Server())
        {
            var (_, output) = await RunAsync(server, "cancel-push 0\nquit\n");
            Has(output, "; hxi has sent no MAX_PUSH_ID, so there can be no push 0: the server must close the connection with H3_ID_ERROR");
            Has(output, "H3_ID_ERROR");
        }

        await using (var server = new PushingHttp3Server())
        {
            var (_, output) = await RunAsync(server, "max-push-id 2\ncancel-push 9\nquit\n");
            Has(output, "; push id 9 is above the MAX_PUSH_ID hxi sent (2)");
        }

        await using (var server = new PushingHttp3Server())
        {
            var (_, output) = await RunAsync(server, "max-push-id 2\ncancel-push 1\nquit\n");
            Has(output, "; no PUSH_PROMISE for push 1 has arrived");
        }
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

    private static void Has(string output, string text) => Assert.True(output.Contains(text, StringComparison.Ordinal), $"'{text}' is not in:\n{output}");

    private static void Lacks(string output, string text) => Assert.False(output.Contains(text, StringComparison.Ordinal), $"'{text}' is in:\n{output}");

    private static async Task<bool> Eventually(Func<bool> done)
    {
        for (var i = 0; i < 50 && !done(); i++)
        {
            await Task.Delay(100);
        }

        return done();
    }
}
