using Hxi.Protocols.Http2;

namespace Hxi.Net.Tests;

/// <summary>
/// Issue 9 item 5, HTTP/2: every case of <see cref="HostileHttp2Cases"/> against the hxi command line (run in-process).
/// hxi must exit with the case's status and one stderr line naming the RFC code, never take the internal-error path,
/// finish well inside its generous --timeout (a hang is exit 5, a failure), and tell the server with GOAWAY or RST_STREAM.
/// </summary>
public sealed class HostileHttp2Suite
{
    /// <summary>
    /// Every case by name. A case that cannot pass yet gets its own MemberData with a Skip naming what it waits for,
    /// never a weaker assertion.
    /// </summary>
    public static TheoryData<string> Cases => [.. HostileHttp2Cases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case(string name)
    {
        var hostile = HostileHttp2Cases.Named(name);
        await using var server = hostile.FromStart
            ? HostileServer.Scripted(async (frames, ct) =>
            {
                await frames.ReadPrefaceAsync(ct);
                await frames.WriteAsync(hostile.Attack, ct);
            })
            : HostileServer.AfterRequest((frames, ct) => frames.WriteAsync(hostile.Attack, ct));

        var result = await HxiInProcess.RunAsync("--http2-prior-knowledge", "--timeout", "10", server.Url.ToString());

        HostileAssert.Outcome(hostile.Exit, hostile.Code, hostile.Says, result);
        if (hostile.Answer is { } answer)
        {
            var sent = await server.ClientFramesAsync();
            var frame = sent.FirstOrDefault(f => f.Type == answer.FrameType && (answer.FrameType == WireFrame.GoAway || f.StreamId == 1));
            Assert.True(frame is not null, $"expected {answer}, hxi sent: {string.Join("; ", sent)}\n{result}");
            Assert.Equal(answer.Code, Http2ErrorCodes.Name(frame.ErrorCode));
        }
    }
}
