using Hxi.Protocols.Quic.Connection;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>The recovery metrics the core records on its tap for qlog's recovery:metrics_updated.</summary>
public class QuicMetricsTraceTests
{
    [Fact]
    public void Handshake_RecordsTheMeasuredRtt_AndOnlyChangedMetrics()
    {
        var pair = new QuicPair { Latency = TimeSpan.FromMilliseconds(10) };

        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed, TimeSpan.FromSeconds(5)), string.Join("\n", pair.Trace));

        Assert.NotEmpty(pair.ClientMetrics);
        var first = pair.ClientMetrics[0];
        // The first ACK samples one round trip over a 10 ms link each way.
        Assert.Equal(TimeSpan.FromMilliseconds(20), first.LatestRtt);
        Assert.Equal(first.LatestRtt, first.MinRtt);
        Assert.Equal(first.LatestRtt, first.SmoothedRtt);
        Assert.True(first.CongestionWindow > 0);
        Assert.All(pair.ClientMetrics.Zip(pair.ClientMetrics.Skip(1)), p => Assert.NotEqual(p.First, p.Second));
        var last = pair.ClientMetrics[^1];
        Assert.Equal((pair.Client.Rtt.SmoothedRtt, pair.Client.CongestionWindow), (last.SmoothedRtt, last.CongestionWindow));
    }
}
