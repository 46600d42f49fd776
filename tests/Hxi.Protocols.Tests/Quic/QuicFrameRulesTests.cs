using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Tests.Quic;

public class QuicFrameRulesTests
{
    [Theory]
    [InlineData(0x00UL, "IH01")]
    [InlineData(0x01UL, "IH01")]
    [InlineData(0x02UL, "IH_1")]
    [InlineData(0x03UL, "IH_1")]
    [InlineData(0x04UL, "__01")]
    [InlineData(0x05UL, "__01")]
    [InlineData(0x06UL, "IH_1")]
    [InlineData(0x07UL, "___1")]
    [InlineData(0x08UL, "__01")]
    [InlineData(0x0fUL, "__01")]
    [InlineData(0x10UL, "__01")]
    [InlineData(0x11UL, "__01")]
    [InlineData(0x12UL, "__01")]
    [InlineData(0x13UL, "__01")]
    [InlineData(0x14UL, "__01")]
    [InlineData(0x15UL, "__01")]
    [InlineData(0x16UL, "__01")]
    [InlineData(0x17UL, "__01")]
    [InlineData(0x18UL, "__01")]
    [InlineData(0x19UL, "___1")] // Table 3 says __01; Section 12.4 lets a server refuse it in 0-RTT
    [InlineData(0x1aUL, "__01")]
    [InlineData(0x1bUL, "___1")]
    [InlineData(0x1cUL, "IH01")]
    [InlineData(0x1dUL, "__01")]
    [InlineData(0x1eUL, "___1")]
    public void Rfc9000_12_4_Table3_PacketsColumn(ulong frameType, string pkts)
    {
        Assert.Equal(pkts[0] == 'I', QuicFrameRules.IsAllowed(frameType, QuicPacketSpaces.Initial));
        Assert.Equal(pkts[1] == 'H', QuicFrameRules.IsAllowed(frameType, QuicPacketSpaces.Handshake));
        Assert.Equal(pkts[2] == '0', QuicFrameRules.IsAllowed(frameType, QuicPacketSpaces.ZeroRtt));
        Assert.Equal(pkts[3] == '1', QuicFrameRules.IsAllowed(frameType, QuicPacketSpaces.OneRtt));
    }

    [Fact]
    public void Rfc9000_12_4_StreamInInitialIsProtocolViolation()
    {
        var payload = new StreamFrame(0, 0, "GET"u8.ToArray(), Fin: true).ToArray();
        var error = Assert.Throws<QuicTransportException>(() => QuicFrameDecoder.DecodeAll(payload, QuicPacketSpaces.Initial));
        Assert.Equal(QuicTransportErrorCode.ProtocolViolation, error.Code);
        Assert.Equal(0x0bUL, error.FrameType);
        Assert.Equal("STREAM frame is not allowed in a Initial packet", error.Reason);
    }

    [Fact]
    public void Rfc9000_12_4_AckIn0RttIsIllegal()
    {
        var payload = new AckFrame(0, [new QuicAckRange(0, 0)]).ToArray();
        var error = Assert.Throws<QuicTransportException>(() => QuicFrameDecoder.DecodeAll(payload, QuicPacketSpaces.ZeroRtt));
        Assert.Equal(QuicTransportErrorCode.ProtocolViolation, error.Code);
        Assert.Single(QuicFrameDecoder.DecodeAll(payload, QuicPacketSpaces.Handshake));
    }

    [Fact]
    public void Rfc9000_12_4_ApplicationCloseOnlyInApplicationData()
    {
        var payload = ConnectionCloseFrame.Application(1, "bye").ToArray();
        Assert.Throws<QuicTransportException>(() => QuicFrameDecoder.DecodeAll(payload, QuicPacketSpaces.Handshake));
        Assert.Single(QuicFrameDecoder.DecodeAll(payload, QuicPacketSpaces.OneRtt));
        var transport = ConnectionCloseFrame.Transport(QuicTransportErrorCode.NoError, 0, "").ToArray();
        Assert.Single(QuicFrameDecoder.DecodeAll(transport, QuicPacketSpaces.Initial));
    }

    [Theory]
    [InlineData(0x00UL, false)]
    [InlineData(0x01UL, true)]
    [InlineData(0x02UL, false)]
    [InlineData(0x03UL, false)]
    [InlineData(0x06UL, true)]
    [InlineData(0x0aUL, true)]
    [InlineData(0x1cUL, false)]
    [InlineData(0x1dUL, false)]
    [InlineData(0x1eUL, true)]
    public void Rfc9000_13_2_AckEliciting(ulong frameType, bool eliciting) =>
        Assert.Equal(eliciting, QuicFrameRules.IsAckEliciting(frameType));

    [Fact]
    public void Rfc9000_12_4_TableHasOneRowPerType()
    {
        Assert.Equal(24, QuicFrameRules.Table.Count);
        foreach (var rule in QuicFrameRules.Table)
        {
            Assert.True(QuicFrameRules.TryGetRule((ulong)rule.Type, out var found));
            Assert.Equal(rule, found);
        }

        Assert.False(QuicFrameRules.TryGetRule(0x1f, out _));
        Assert.Equal(QuicPacketSpaces.None, QuicFrameRules.AllowedIn(0x30));
        Assert.True(new PingFrame().IsAckEliciting);
        Assert.False(new PaddingFrame(3).IsAckEliciting);
    }
}
