namespace Hxi.Protocols.Quic.Connection;

/// <summary>Recovery state after it changed (an ACK processed, a loss timer fired), recorded on the tap for qlog's metrics_updated.</summary>
public sealed record QuicMetricsTrace(
    TimeSpan MinRtt,
    TimeSpan SmoothedRtt,
    TimeSpan LatestRtt,
    TimeSpan RttVariation,
    long CongestionWindow,
    long BytesInFlight);
