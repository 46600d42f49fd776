using System.Diagnostics;
using System.Globalization;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Load;

/// <summary>
/// One request in flight on a load fast path (HTTP/2 or HTTP/3): pooled and reused, so a run of any length keeps
/// only as many as it has streams open. It holds clock readings (Stopwatch ticks) and counts, nothing of the response.
/// </summary>
internal sealed class LoadExchange
{
    public long Started { get; private set; }

    public long FirstByte { get; private set; }

    public int Status { get; private set; }

    public long BodyBytes { get; set; }

    public long HeaderBytes { get; private set; }

    /// <summary>The request is about to go: the clock starts and the counts of the previous use are gone.</summary>
    public void Begin()
    {
        Started = Stopwatch.GetTimestamp();
        FirstByte = 0;
        Status = 0;
        BodyBytes = 0;
        HeaderBytes = 0;
    }

    /// <summary>A header section (interim, final) or the trailers arrived: returns its size in bytes, as h2load counts them.</summary>
    public long CountFields(IReadOnlyList<HeaderField> fields)
    {
        if (FirstByte == 0)
        {
            FirstByte = Stopwatch.GetTimestamp();
        }

        long size = 0;
        for (var i = 0; i < fields.Count; i++)
        {
            size += fields[i].Name.Length + fields[i].Value.Length;
            if (Status == 0 && fields[i].Name == ":status")
            {
                _ = int.TryParse(fields[i].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var status);
                // An interim (1xx) head is counted in the header bytes but is not the response's status.
                Status = status >= 200 ? status : 0;
            }
        }

        HeaderBytes += size;
        return size;
    }

    /// <summary>The response has ended: its figures go into the run's statistics.</summary>
    public void ReportCompleted(LoadStatistics statistics) =>
        statistics.ResponseCompleted(Status, BodyBytes, HeaderBytes, Stopwatch.GetTimestamp() - Started, FirstByte - Started);
}
