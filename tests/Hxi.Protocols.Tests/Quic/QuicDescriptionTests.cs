using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;

namespace Hxi.Protocols.Tests.Quic;

/// <summary>The wire view's lines: each frame and header named with its fields.</summary>
public class QuicDescriptionTests
{
    [Fact]
    public void FramesDescribeTheirFields()
    {
        Assert.Equal("ACK largest=100 delay=5 ranges=[100..90, 80] ecn(ect0=1 ect1=0 ce=2)",
            new AckFrame(5, [new QuicAckRange(90, 100), new QuicAckRange(80, 80)], new QuicEcnCounts(1, 0, 2)).ToString());
        Assert.Equal("CRYPTO offset=1200 length=3", new CryptoFrame(1200, new byte[3]).ToString());
        Assert.Equal("STREAM id=4 offset=10 length=2 FIN", new StreamFrame(4, 10, new byte[2], Fin: true).ToString());
        Assert.Equal("MAX_STREAMS uni maximum=3", new MaxStreamsFrame(false, 3).ToString());
        Assert.Equal("MAX_STREAM_DATA stream=0 maximum=65536", new MaxStreamDataFrame(0, 65536).ToString());
        Assert.Equal("MAX_DATA maximum=1048576", new MaxDataFrame(1 << 20).ToString());
        Assert.Equal("NEW_CONNECTION_ID sequence=1 retire_prior_to=0 cid=0102 reset_token=" + new string('0', 32),
            new NewConnectionIdFrame(1, 0, new byte[] { 1, 2 }, new byte[16]).ToString());
        Assert.Equal("CONNECTION_CLOSE transport error=PROTOCOL_VIOLATION frame_type=0x8 reason=\"bad\"",
            ConnectionCloseFrame.Transport(QuicTransportErrorCode.ProtocolViolation, 8, "bad").ToString());
        Assert.Equal("CONNECTION_CLOSE transport error=CRYPTO_ERROR(no_application_protocol) frame_type=0x6 reason=\"\"",
            ConnectionCloseFrame.Transport(QuicTransportErrorCodes.CryptoError(120), 6, "").ToString());
        Assert.Equal("CONNECTION_CLOSE application error=0x100 reason=\"done\"", ConnectionCloseFrame.Application(0x100, "done").ToString());
        Assert.Equal("PADDING length=1000", new PaddingFrame(1000).ToString());
        Assert.Equal("PATH_CHALLENGE data=0000000000000001", new PathChallengeFrame(1).ToString());
    }

    [Fact]
    public void Rfc9000_20_ErrorCodesAreNamedAsTheRfcSpellsThem()
    {
        Assert.Equal("NO_ERROR", QuicTransportErrorCodes.Name(QuicTransportErrorCode.NoError));
        Assert.Equal("FRAME_ENCODING_ERROR", QuicTransportErrorCodes.Name(QuicTransportErrorCode.FrameEncodingError));
        Assert.Equal("NO_VIABLE_PATH", QuicTransportErrorCodes.Name(QuicTransportErrorCode.NoViablePath));
        Assert.Equal("CRYPTO_ERROR(bad_certificate)", QuicTransportErrorCodes.Name(0x12a));
        Assert.Equal("CRYPTO_ERROR(alert 255)", QuicTransportErrorCodes.Name(0x1ff));
        Assert.Equal("UNKNOWN(0x200)", QuicTransportErrorCodes.Name(0x200));
        Assert.True(QuicTransportErrorCodes.IsCryptoError(0x178, out byte alert));
        Assert.Equal(120, alert);
        Assert.Equal(
            "FRAME_ENCODING_ERROR (frame 0x6): truncated Offset",
            new QuicTransportException(QuicTransportErrorCode.FrameEncodingError, 6, "truncated Offset").Message);
    }

    [Fact]
    public void HeadersDescribeTheirFields()
    {
        Assert.True(QuicPacketParser.TryParse(Hex.Parse(Rfc9001Vectors.ClientInitial), 0, out var initial, out _));
        Assert.Equal("Initial v1 dcid=8394c8f03e515708 scid=(empty) token=(empty) length=1182 size=1200", initial.ToString());
        Assert.True(QuicPacketParser.TryParse(Hex.Parse(Rfc9001Vectors.Retry), 0, out var retry, out _));
        Assert.Equal("Retry v1 dcid=(empty) scid=f067a5502a4262b5 token=746f6b656e tag=04a265ba2eff4d829058fb3f0f2496ba size=36", retry.ToString());
        Assert.True(QuicPacketParser.TryParse(Hex.Parse("4cfe4189655e5cd55c41f69080575d7999c25a5bfb"), 0, out var shortHeader, out _));
        Assert.Equal("1-RTT dcid=(empty) spin=0 size=21", shortHeader.ToString());
    }
}
