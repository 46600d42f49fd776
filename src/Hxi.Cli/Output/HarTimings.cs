using System.Globalization;
using System.Text.Json;
using Hxi.Net.Client;

namespace Hxi.Cli.Output;

/// <summary>
/// HAR 1.2 "timings" in milliseconds from the run's timing data; -1 where a phase did not happen
/// (no DNS, connect or TLS on a reused connection, no TLS over plain http).
/// </summary>
/// <remarks>
/// As the spec asks, "ssl" is also counted inside "connect". QUIC has no separate TCP connect and TLS handshake:
/// its one handshake is both "connect" and "ssl". The exchange's own clock starts after the connection is up, so
/// "blocked" is what is left of the wait before it (the pool lock, opening a connection that was then given up).
/// </remarks>
public sealed record HarTimings(double Blocked, double Dns, double Connect, double Ssl, double Send, double Wait, double Receive)
{
    /// <summary>The entry's "time": the sum of every phase that happened.</summary>
    public double Total => Round(new[] { Blocked, Dns, Connect, Send, Wait, Receive }.Where(t => t >= 0).Sum());

    public static HarTimings From(HarEntry entry, ResponseSummary summary)
    {
        var info = summary.Connection;
        var fresh = entry.OpenedConnection;
        var quic = info.Protocol == "h3";
        var dns = fresh ? Ms(info.DnsTime) : -1;
        var ssl = !fresh || info.Tls is null ? -1 : quic ? Ms(info.ConnectTime) : Ms(info.TlsTime);
        var connect = !fresh ? -1 : quic ? Ms(info.ConnectTime) : Ms(info.ConnectTime + info.TlsTime);

        var exchangeStart = entry.FinishedOnClock - summary.Duration;
        var firstByte = Ms(summary.TimeToFirstByte);
        var send = entry.RequestSentOnClock is { } sent ? Math.Clamp(Ms(sent - exchangeStart), 0, firstByte) : 0;
        var wait = Math.Max(0, firstByte - send);
        var receive = Math.Max(0, Ms(summary.Duration) - firstByte);
        var blocked = Math.Max(0, Ms(exchangeStart - entry.StartedOnClock) - Math.Max(dns, 0) - Math.Max(connect, 0));
        return new HarTimings(Round(blocked), dns, connect, ssl, Round(send), Round(wait), Round(receive));
    }

    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject("timings");
        json.WriteNumber("blocked", Blocked);
        json.WriteNumber("dns", Dns);
        json.WriteNumber("connect", Connect);
        json.WriteNumber("ssl", Ssl);
        json.WriteNumber("send", Send);
        json.WriteNumber("wait", Wait);
        json.WriteNumber("receive", Receive);
        json.WriteEndObject();
    }

    private static double Ms(TimeSpan time) => Round(time.TotalMilliseconds);

    private static double Round(double milliseconds) => Math.Round(milliseconds, 3, MidpointRounding.AwayFromZero);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"blocked={Blocked} dns={Dns} connect={Connect} ssl={Ssl} send={Send} wait={Wait} receive={Receive}");
}
