using Hxi.Cli.Wire;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Cli.Tests;

public sealed class QuicFormatterTests
{
    [Theory]
    [InlineData(3, "ACK largest=10 delay=16us ranges=[10..8]")]
    [InlineData(0, "ACK largest=10 delay=2us ranges=[10..8]")]
    [InlineData(10, "ACK largest=10 delay=2048us ranges=[10..8]")]
    public void AckDelay_IsInMicroseconds_WithTheSendersExponent(int exponent, string expected) =>
        Assert.Equal(expected, QuicFormatter.Frame(new AckFrame(2, [new QuicAckRange(8, 10)]), exponent));

    [Fact]
    public void ApplicationErrors_AreNamedAsHttp3Names()
    {
        Assert.Equal("CONNECTION_CLOSE application error=H3_NO_ERROR (0x100) reason=\"done\"",
            QuicFormatter.Frame(ConnectionCloseFrame.Application(0x100, "done"), 3));
        Assert.Equal("RESET_STREAM stream=0 error=H3_REQUEST_CANCELLED (0x10c) final_size=5",
            QuicFormatter.Frame(new ResetStreamFrame(0, 0x10c, 5), 3));
        Assert.Equal("STOP_SENDING stream=4 error=QPACK_DECOMPRESSION_FAILED (0x200)", QuicFormatter.Frame(new StopSendingFrame(4, 0x200), 3));
        Assert.Equal("STOP_SENDING stream=4 error=0x7", QuicFormatter.Frame(new StopSendingFrame(4, 7), 3));
    }
}
