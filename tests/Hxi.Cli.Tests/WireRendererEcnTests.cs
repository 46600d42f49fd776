using System.Diagnostics;
using Hxi.Cli.Output;
using Hxi.Cli.Wire;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Tests;

/// <summary>--quic shows the ECN bits of marked datagrams, the ECN validation state and ECN-CE reports (RFC 9000 13.4).</summary>
public sealed class WireRendererEcnTests
{
    [Fact]
    public void MarkedDatagrams_NameTheirCodepoint_UnmarkedOnesStayAsBefore_AndValidationShows()
    {
        var output = new StringWriter();
        var renderer = new WireRenderer(output, new WireViewOptions(false, false, false) { Quic = true }, Palette.None, Stopwatch.StartNew());

        renderer.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, new byte[1200], new QuicDatagramTrace(1200, 1)));
        renderer.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, new byte[1350], new QuicDatagramTrace(1350, 1, EcnCodepoint.Ect0)));
        renderer.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, ReadOnlyMemory<byte>.Empty,
            new EcnStateChange(EcnState.Testing, EcnState.Capable, "the peer's counts match 2 acknowledged packet(s) marked ECT(0)")));
        renderer.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, ReadOnlyMemory<byte>.Empty, new EcnCongestionExperienced(1, 24_000, 12_000)));

        var text = output.ToString();
        Assert.Contains("send UDP datagram of 1200 bytes, 1 packet(s)\n", text);
        Assert.Contains("recv UDP datagram of 1350 bytes, 1 packet(s), ECT(0)\n", text);
        Assert.Contains("ECN testing -> capable: the peer's counts match 2 acknowledged packet(s) marked ECT(0)", text);
        Assert.Contains("ECN-CE count now 1: congestion window 24000 -> 12000", text);
    }
}
