using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial class QuicConnection
{
    private QuicMetricsTrace? _lastMetrics;

    /// <summary>Records RTT and congestion state on the tap when it differs from what was last recorded.</summary>
    /// <remarks>Called after ACKs and loss timeouts only: bytes in flight also moves with every packet sent, which would flood the trace.</remarks>
    private void RecordMetricsIfChanged()
    {
        var metrics = new QuicMetricsTrace(_rtt.MinRtt, _rtt.SmoothedRtt, _rtt.LatestRtt, _rtt.RttVariation, _congestion.CongestionWindow, _congestion.BytesInFlight);
        if (metrics == _lastMetrics)
        {
            return;
        }

        _lastMetrics = metrics;
        _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, ReadOnlyMemory<byte>.Empty, metrics));
    }
}
