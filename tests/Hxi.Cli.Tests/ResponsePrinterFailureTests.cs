using Hxi.Cli.Output;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Tests;

/// <summary>What the printer does when the body cannot be written or decoded: one named failure with the README's code.</summary>
public sealed class ResponsePrinterFailureTests
{
    private static readonly ResponseHead Gzip = new("HTTP/2", 200, "", [new HeaderField("content-encoding", "gzip")], 1);

    [Fact]
    public async Task BodyThatIsNotGzip_UnderCompressed_IsAProtocolError_NotABug()
    {
        await using var printer = new ResponsePrinter(Options(decompress: true), TextWriter.Null, new MemoryStream());
        printer.OnResponseHead(Gzip);
        printer.OnBodyData("this is not gzip at all"u8);

        var ex = await Assert.ThrowsAsync<HxiException>(printer.CompleteAsync);

        Assert.Equal(FailureKind.Protocol, ex.Kind);
        Assert.StartsWith("the body is not valid gzip (Content-Encoding: gzip): ", ex.Message);
    }

    [Fact]
    public async Task StdoutThatRefusesWrites_IsALocalWriteFailure()
    {
        await using var printer = new ResponsePrinter(Options(decompress: false), TextWriter.Null, new RefusingStream());
        printer.OnResponseHead(new ResponseHead("HTTP/2", 200, "", [], 1));

        var ex = Assert.Throws<HxiException>(() => printer.OnBodyData("hello"u8));

        Assert.Equal(FailureKind.LocalWrite, ex.Kind);
        Assert.Equal("cannot write to standard output: No space left on device", ex.Message);
    }

    [Fact]
    public void GuardedHandler_TurnsAThrowIntoAFailedRequest_AndSkipsLaterCalls()
    {
        var inner = new ThrowingHandler();
        var pending = new PendingResponse(inner, System.Diagnostics.Stopwatch.StartNew());

        pending.Handler.OnResponseHead(new ResponseHead("HTTP/2", 200, "", [], 1));
        pending.Handler.OnBodyData("later"u8);

        Assert.True(pending.HandlerFailed);
        Assert.Equal(1, inner.Calls);
        var failure = Assert.IsType<HxiException>(pending.Completion.Task.Exception!.InnerException);
        Assert.Equal(FailureKind.LocalWrite, failure.Kind);
    }

    private static OutputOptions Options(bool decompress) => new() { Colours = Palette.None, Decompress = decompress };

    private sealed class RefusingStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("No space left on device");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
    }

    private sealed class ThrowingHandler : IResponseHandler
    {
        public int Calls { get; private set; }

        public void OnInterimResponse(ResponseHead head) => Calls++;

        public void OnResponseHead(ResponseHead head)
        {
            Calls++;
            throw new IOException("disk full");
        }

        public void OnBodyData(ReadOnlySpan<byte> data) => Calls++;

        public void OnTrailers(IReadOnlyList<HeaderField> trailers) => Calls++;
    }
}
