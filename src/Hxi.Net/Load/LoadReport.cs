namespace Hxi.Net.Load;

/// <summary>Everything one <c>hxi load</c> run measured: what the report prints and <c>--json FILE</c> holds.</summary>
public sealed record LoadReport
{
    /// <summary>The measured time: from the end of the warm-up (or the start) to the last answer.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>"HTTP/2", "HTTP/3", "HTTP/1.1": what the first connection spoke.</summary>
    public required string Protocol { get; init; }

    public required int Clients { get; init; }

    public required int StreamsPerClient { get; init; }

    public required int Threads { get; init; }

    /// <summary>Requests sent (measured ones; warm-up requests are not counted).</summary>
    public required long Started { get; init; }

    /// <summary>Requests that ended: a response, or an error.</summary>
    public required long Done { get; init; }

    /// <summary>Responses with a status below 400.</summary>
    public required long Succeeded { get; init; }

    /// <summary>Done but not succeeded: a 4xx or 5xx status, or an error.</summary>
    public long Failed => Done - Succeeded;

    /// <summary>Requests that got no response: reset, GOAWAY, connection lost, timeout.</summary>
    public required long Errored { get; init; }

    public required long TimedOut { get; init; }

    /// <summary>Requests of -n never sent because every connection had failed, or the run was stopped.</summary>
    public required long NotStarted { get; init; }

    /// <summary>Status code to count, in code order.</summary>
    public required IReadOnlyList<KeyValuePair<int, long>> StatusCodes { get; init; }

    /// <summary>Error name (RST_STREAM code, GOAWAY code, connect failure) to count, most frequent first.</summary>
    public required IReadOnlyList<KeyValuePair<string, long>> Errors { get; init; }

    public required long ConnectionsOpened { get; init; }

    public required long BodyBytes { get; init; }

    /// <summary>Response header fields as decoded (name + value lengths, as h2load counts them).</summary>
    public required long HeaderBytesDecoded { get; init; }

    /// <summary>
    /// Response header blocks as they came on the wire (HPACK or QPACK encoded) on the connections that measured them,
    /// and the same headers decoded: every HTTP/2 connection; one HTTP/3 connection, as watching QUIC costs throughput.
    /// </summary>
    public required long CompressionSampleEncoded { get; init; }

    public required long CompressionSampleDecoded { get; init; }

    /// <summary>1 - encoded / decoded: what HPACK or QPACK saved on response headers; null when not measured (HTTP/1.1).</summary>
    public double? HeaderCompressionSaving => CompressionSampleEncoded > 0 && CompressionSampleDecoded > 0
        ? 1 - (double)CompressionSampleEncoded / CompressionSampleDecoded
        : null;

    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Done / Elapsed.TotalSeconds : 0;

    /// <summary>Body bytes received per second.</summary>
    public double BytesPerSecond => Elapsed > TimeSpan.Zero ? BodyBytes / Elapsed.TotalSeconds : 0;

    /// <summary>Request sent to response complete, for requests that got a response.</summary>
    public required Distribution Latency { get; init; }

    /// <summary>Request sent to the response's first byte.</summary>
    public required Distribution FirstByte { get; init; }

    /// <summary>Per connection: DNS, connect and TLS (or the QUIC handshake).</summary>
    public required Distribution Connect { get; init; }

    /// <summary>Per connection: from starting to connect to the first byte of its first response, as h2load's "time to 1st byte".</summary>
    public required Distribution ConnectionFirstByte { get; init; }

    /// <summary>True when Ctrl-C (or the caller) stopped the run before its end.</summary>
    public required bool Interrupted { get; init; }
}

/// <summary>A distribution of times, in milliseconds (from an HdrHistogram at microsecond resolution).</summary>
public sealed record Distribution(long Count, double Min, double Max, double Mean, double StdDev, double P50, double P90, double P99, double P999);
