using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Load;

/// <summary>
/// Takes a response under load: counts the status and the header and body sizes and keeps nothing, so the
/// body costs no copy and no memory. One per stream slot, reused for each request it sends.
/// </summary>
internal sealed class CountingResponseHandler(LoadStatistics statistics, bool sampleCompression) : IResponseHandler
{
    public int Status { get; private set; }

    public long HeaderBytes { get; private set; }

    /// <summary>Ticks (Stopwatch) when the final response head arrived.</summary>
    public long HeadAt { get; private set; }

    public void Reset()
    {
        Status = 0;
        HeaderBytes = 0;
        HeadAt = 0;
    }

    public void OnInterimResponse(ResponseHead head) => Count(head.Headers, StatusFieldSize);

    public void OnResponseHead(ResponseHead head)
    {
        Status = head.StatusCode;
        HeadAt = System.Diagnostics.Stopwatch.GetTimestamp();
        Count(head.Headers, StatusFieldSize);
    }

    public void OnBodyData(ReadOnlySpan<byte> data)
    {
        // Counted by the connection (ResponseSummary.BodyBytes); nothing is kept.
    }

    public void OnTrailers(IReadOnlyList<HeaderField> trailers) => Count(trailers, 0);

    // ":status" and its three digits: a pseudo-header the response head does not list, counted as h2load does.
    private const int StatusFieldSize = 10;

    private void Count(IReadOnlyList<HeaderField> fields, int extra)
    {
        long size = extra;
        for (var i = 0; i < fields.Count; i++)
        {
            size += fields[i].Name.Length + fields[i].Value.Length;
        }

        HeaderBytes += size;
        if (sampleCompression)
        {
            statistics.CompressionSample(0, size);
        }
    }
}
