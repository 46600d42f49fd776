using System.Globalization;
using Hxi.Net.Load;

namespace Hxi.Cli.Output;

/// <summary>The report of <c>hxi load</c>, laid out as h2load's so the two read side by side, plus percentiles and named errors.</summary>
public static class LoadReportText
{
    public static void Write(TextWriter output, LoadReport report, LoadOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var stopped = report.Interrupted ? " (interrupted)" : "";
        output.WriteLine(string.Create(c, $"finished in {Seconds(report.Elapsed)}{stopped}, {report.RequestsPerSecond:0.00} req/s, {Bytes(report.BytesPerSecond)}/s"));
        output.WriteLine(string.Create(c, $"protocol: {report.Protocol}, {report.Clients} clients, {report.StreamsPerClient} max concurrent streams, {(report.Threads == 0 ? "thread pool" : $"{report.Threads} threads")}, {report.ConnectionsOpened} connections opened"));
        output.WriteLine(string.Create(c, $"requests: {report.Started + report.NotStarted} total, {report.Started} started, {report.Done} done, {report.Succeeded} succeeded, {report.Failed} failed, {report.Errored} errored, {report.TimedOut} timeout"));
        output.WriteLine($"status codes: {StatusClasses(report)}");
        if (report.StatusCodes.Count > 0)
        {
            output.WriteLine($"  by code: {string.Join(", ", report.StatusCodes.Select(p => string.Create(c, $"{p.Key} {p.Value}")))}");
        }

        if (report.Errors.Count > 0)
        {
            output.WriteLine($"errors: {string.Join(", ", report.Errors.Select(p => string.Create(c, $"{p.Key} {p.Value}")))}");
        }

        var saving = report.HeaderCompressionSaving is { } s ? string.Create(c, $" (space savings {s * 100:0.00}%)") : "";
        output.WriteLine(string.Create(c, $"traffic: {Bytes(report.HeaderBytesDecoded + report.BodyBytes)} ({report.HeaderBytesDecoded + report.BodyBytes}) total, {Bytes(report.HeaderBytesDecoded)} ({report.HeaderBytesDecoded}) headers{saving}, {Bytes(report.BodyBytes)} ({report.BodyBytes}) data"));
        output.WriteLine("                     min         max        mean          sd         p50         p90         p99       p99.9");
        Row(output, "time for request:", report.Latency);
        Row(output, "time to 1st byte:", report.FirstByte);
        Row(output, "time for connect:", report.Connect);
        Row(output, "conn. 1st byte  :", report.ConnectionFirstByte);
        _ = options;
    }

    private static void Row(TextWriter output, string label, Distribution d)
    {
        if (d.Count == 0)
        {
            output.WriteLine($"{label}  (none)");
            return;
        }

        output.WriteLine($"{label}{Ms(d.Min),10}  {Ms(d.Max),10}  {Ms(d.Mean),10}  {Ms(d.StdDev),10}  {Ms(d.P50),10}  {Ms(d.P90),10}  {Ms(d.P99),10}  {Ms(d.P999),10}");
    }

    private static string StatusClasses(LoadReport report)
    {
        var classes = new long[6];
        foreach (var (code, count) in report.StatusCodes)
        {
            classes[Math.Min(code / 100, 5)] += count;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{classes[2]} 2xx, {classes[3]} 3xx, {classes[4]} 4xx, {classes[5]} 5xx");
    }

    /// <summary>h2load's units: microseconds below a millisecond, milliseconds below a second, then seconds.</summary>
    public static string Ms(double milliseconds) => milliseconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds * 1000:0}us"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.00}ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000:0.00}s"),
    };

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.00}s");

    public static string Bytes(double bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes:0}B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:0.00}KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024 / 1024:0.00}MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024 / 1024 / 1024:0.00}GB"),
    };
}
