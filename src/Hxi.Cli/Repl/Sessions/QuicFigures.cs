using System.Globalization;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>QUIC's lines in the session statistics: packets, loss, RTT and congestion window over the session's connections.</summary>
/// <remarks>
/// The counters are read from the REPL's thread while the driver thread writes them: each is one 64-bit
/// field, so a reading is at worst a moment old, which is all a statistics line needs.
/// </remarks>
public sealed class QuicFigures
{
    private readonly Lock _gate = new();
    private readonly List<QuicConnection> _connections = [];

    public void Add(QuicConnection connection)
    {
        lock (_gate)
        {
            _connections.Add(connection);
        }
    }

    public IEnumerable<string> Lines()
    {
        List<QuicConnection> all;
        lock (_gate)
        {
            all = [.. _connections];
        }

        if (all.Count == 0)
        {
            return [];
        }

        var last = all[^1];
        var rtt = last.Rtt;
        return
        [
            string.Create(CultureInfo.InvariantCulture,
                $"  quic packets  {all.Sum(c => c.Statistics.PacketsSent)} sent, {all.Sum(c => c.Statistics.PacketsReceived)} received, {all.Sum(c => c.PacketsLost)} lost ({all.Sum(c => c.Statistics.DatagramsSent)} datagrams out, {all.Sum(c => c.Statistics.DatagramsReceived)} in)"),
            string.Create(CultureInfo.InvariantCulture,
                $"  quic bytes    {all.Sum(c => c.Statistics.BytesSent)} out, {all.Sum(c => c.Statistics.BytesReceived)} in (UDP payloads)"),
            rtt.HasSample
                ? $"  quic rtt      min {ReplStats.Ms(rtt.MinRtt)}, smoothed {ReplStats.Ms(rtt.SmoothedRtt)}, latest {ReplStats.Ms(rtt.LatestRtt)}"
                : "  quic rtt      no sample yet",
            string.Create(CultureInfo.InvariantCulture, $"  quic cwnd     {last.CongestionWindow} bytes (congestion window), {last.BytesInFlight} in flight"),
            EcnLine(last),
        ];
    }

    /// <summary>The last connection's ECN: validation state, CE reported by the peer, and the marks we received (RFC 9000 13.4).</summary>
    private static string EcnLine(QuicConnection connection)
    {
        ulong ect0 = 0, ect1 = 0, ce = 0;
        foreach (var space in new[] { QuicPacketNumberSpace.Initial, QuicPacketNumberSpace.Handshake, QuicPacketNumberSpace.ApplicationData })
        {
            var counts = connection.EcnCountsReceived(space);
            ect0 += counts.Ect0;
            ect1 += counts.Ect1;
            ce += counts.Ce;
        }

        var marking = connection.EcnState is { } state ? $"{EcnValidator.Name(state)}, {connection.EcnCeReported} CE reported by the peer" : "not marking (--no-ecn)";
        return string.Create(CultureInfo.InvariantCulture, $"  quic ecn      {marking}; received ECT(0) {ect0}, ECT(1) {ect1}, CE {ce}");
    }
}
