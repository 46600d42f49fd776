using System.Text;
using System.Text.Json;
using Hxi.Net.Load;

namespace Hxi.Cli.Output;

/// <summary>
/// <c>hxi load -o FILE</c>: every figure of the report as one JSON object, for scripts. Times are in milliseconds,
/// sizes in bytes; written with Utf8JsonWriter, as the published binary has no reflection-based JSON.
/// </summary>
public static class LoadReportJson
{
    public static string Serialize(LoadReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("elapsed_seconds", report.Elapsed.TotalSeconds);
            json.WriteString("protocol", report.Protocol);
            json.WriteNumber("clients", report.Clients);
            json.WriteNumber("max_concurrent_streams", report.StreamsPerClient);
            json.WriteNumber("threads", report.Threads);
            json.WriteBoolean("interrupted", report.Interrupted);
            json.WriteNumber("requests_per_second", report.RequestsPerSecond);
            json.WriteNumber("bytes_per_second", report.BytesPerSecond);
            json.WriteStartObject("requests");
            json.WriteNumber("total", report.Started + report.NotStarted);
            json.WriteNumber("started", report.Started);
            json.WriteNumber("done", report.Done);
            json.WriteNumber("succeeded", report.Succeeded);
            json.WriteNumber("failed", report.Failed);
            json.WriteNumber("errored", report.Errored);
            json.WriteNumber("timeout", report.TimedOut);
            json.WriteNumber("not_started", report.NotStarted);
            json.WriteEndObject();
            json.WriteStartObject("status_codes");
            foreach (var (code, count) in report.StatusCodes)
            {
                json.WriteNumber(code.ToString(System.Globalization.CultureInfo.InvariantCulture), count);
            }

            json.WriteEndObject();
            json.WriteStartObject("errors");
            foreach (var (name, count) in report.Errors)
            {
                json.WriteNumber(name, count);
            }

            json.WriteEndObject();
            json.WriteNumber("connections_opened", report.ConnectionsOpened);
            json.WriteStartObject("traffic");
            json.WriteNumber("body_bytes", report.BodyBytes);
            json.WriteNumber("header_bytes", report.HeaderBytesDecoded);
            json.WriteNumber("compression_sample_encoded_bytes", report.CompressionSampleEncoded);
            json.WriteNumber("compression_sample_decoded_bytes", report.CompressionSampleDecoded);
            if (report.HeaderCompressionSaving is { } saving)
            {
                json.WriteNumber("header_compression_saving", saving);
            }
            else
            {
                json.WriteNull("header_compression_saving");
            }

            json.WriteEndObject();
            Write(json, "latency_ms", report.Latency);
            Write(json, "first_byte_ms", report.FirstByte);
            Write(json, "connect_ms", report.Connect);
            Write(json, "connection_first_byte_ms", report.ConnectionFirstByte);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter json, string name, Distribution d)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", d.Count);
        json.WriteNumber("min", d.Min);
        json.WriteNumber("max", d.Max);
        json.WriteNumber("mean", d.Mean);
        json.WriteNumber("sd", d.StdDev);
        json.WriteNumber("p50", d.P50);
        json.WriteNumber("p90", d.P90);
        json.WriteNumber("p99", d.P99);
        json.WriteNumber("p99_9", d.P999);
        json.WriteEndObject();
    }
}
