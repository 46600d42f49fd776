using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace Hxi.Net.Load;

/// <summary>
/// Counts of a load run, shared by every client: counters and fixed-size histograms only, so memory stays
/// the same whether the run sends a thousand requests or a billion.
/// </summary>
public sealed class LoadStatistics
{
    // Microseconds, up to an hour, three significant digits: about 200 KB per histogram.
    private const long HighestMicroseconds = 3_600_000_000;

    private readonly LongConcurrentHistogram _latency = NewHistogram();
    private readonly LongConcurrentHistogram _firstByte = NewHistogram();
    private readonly LongConcurrentHistogram _connect = NewHistogram();
    private readonly LongConcurrentHistogram _connectionFirstByte = NewHistogram();
    private readonly long[] _statusCodes = new long[1000];
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _started;
    private long _done;
    private long _succeeded;
    private long _errored;
    private long _timedOut;
    private long _bodyBytes;
    private long _headerBytesDecoded;
    private long _sampleEncoded;
    private long _sampleDecoded;
    private long _connectionsOpened;
    private long _latencyMin = long.MaxValue;
    private long _latencyMax;
    private volatile bool _counting = true;

    /// <summary>False during the warm-up: what happens is not counted.</summary>
    public bool Counting
    {
        get => _counting;
        set => _counting = value;
    }

    public long Done => Interlocked.Read(ref _done);

    public long Errored => Interlocked.Read(ref _errored);

    public void RequestStarted()
    {
        if (_counting)
        {
            Interlocked.Increment(ref _started);
        }
    }

    /// <summary>A complete response: its status, body size and times (Stopwatch ticks).</summary>
    public void ResponseCompleted(int status, long bodyBytes, long headerBytesDecoded, long latencyTicks, long firstByteTicks)
    {
        if (!_counting)
        {
            return;
        }

        Interlocked.Increment(ref _done);
        if (status is >= 0 and < 1000)
        {
            Interlocked.Increment(ref _statusCodes[status]);
        }

        if (status < 400)
        {
            Interlocked.Increment(ref _succeeded);
        }

        Interlocked.Add(ref _bodyBytes, bodyBytes);
        Interlocked.Add(ref _headerBytesDecoded, headerBytesDecoded);
        var latency = Microseconds(latencyTicks);
        _latency.RecordValue(latency);
        _firstByte.RecordValue(Microseconds(firstByteTicks));
        UpdateMin(ref _latencyMin, latency);
        UpdateMax(ref _latencyMax, latency);
    }

    /// <summary>A request that got no response; <paramref name="name"/> comes from <see cref="LoadErrorNames"/>.</summary>
    public void RequestFailed(string name)
    {
        if (!_counting)
        {
            return;
        }

        Interlocked.Increment(ref _done);
        Interlocked.Increment(ref _errored);
        if (name == LoadErrorNames.Timeout)
        {
            Interlocked.Increment(ref _timedOut);
        }

        CountError(name);
    }

    /// <summary>A failure that is not one request's: a connect that failed, a connection that ended.</summary>
    public void CountError(string name) => _errors.AddOrUpdate(name, 1, (_, count) => count + 1);

    public void ConnectionOpened(TimeSpan connectTime)
    {
        Interlocked.Increment(ref _connectionsOpened);
        _connect.RecordValue(Math.Max(1, (long)connectTime.TotalMicroseconds));
    }

    public void ConnectionFirstByte(long ticksSinceConnectStarted) => _connectionFirstByte.RecordValue(Microseconds(ticksSinceConnectStarted));

    /// <summary>A response header block on a connection that measures compression: its size encoded (from the wire tap) or decoded.</summary>
    public void CompressionSample(long encodedBytes, long decodedBytes)
    {
        if (_counting)
        {
            Interlocked.Add(ref _sampleEncoded, encodedBytes);
            Interlocked.Add(ref _sampleDecoded, decodedBytes);
        }
    }

    public LoadReport Report(TimeSpan elapsed, string protocol, LoadOptions options, int threads, long notStarted, bool interrupted)
    {
        var latency = Describe(_latency);
        var done = Done;
        return new LoadReport
        {
            Elapsed = elapsed,
            Protocol = protocol,
            Clients = options.Clients,
            StreamsPerClient = options.StreamsPerClient,
            Threads = threads,
            Started = Interlocked.Read(ref _started),
            Done = done,
            Succeeded = Interlocked.Read(ref _succeeded),
            Errored = Errored,
            TimedOut = Interlocked.Read(ref _timedOut),
            NotStarted = notStarted,
            StatusCodes = [.. _statusCodes.Select((count, code) => new KeyValuePair<int, long>(code, count)).Where(p => p.Value > 0)],
            Errors = [.. _errors.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)],
            ConnectionsOpened = Interlocked.Read(ref _connectionsOpened),
            BodyBytes = Interlocked.Read(ref _bodyBytes),
            HeaderBytesDecoded = Interlocked.Read(ref _headerBytesDecoded),
            CompressionSampleEncoded = Interlocked.Read(ref _sampleEncoded),
            CompressionSampleDecoded = Interlocked.Read(ref _sampleDecoded),
            // The histogram rounds to three significant digits; min and max are kept exactly.
            Latency = latency.Count == 0 ? latency : latency with { Min = _latencyMin / 1000.0, Max = _latencyMax / 1000.0 },
            FirstByte = Describe(_firstByte),
            Connect = Describe(_connect),
            ConnectionFirstByte = Describe(_connectionFirstByte),
            Interrupted = interrupted,
        };
    }

    private static Distribution Describe(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return new Distribution(0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        static double Ms(double microseconds) => microseconds / 1000.0;
        return new Distribution(
            histogram.TotalCount,
            Ms(histogram.GetValueAtPercentile(0)),
            Ms(histogram.GetMaxValue()),
            Ms(histogram.GetMean()),
            Ms(histogram.GetStdDeviation()),
            Ms(histogram.GetValueAtPercentile(50)),
            Ms(histogram.GetValueAtPercentile(90)),
            Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetValueAtPercentile(99.9)));
    }

    private static LongConcurrentHistogram NewHistogram() => new(1, HighestMicroseconds, 3);

    private static long Microseconds(long stopwatchTicks) =>
        Math.Clamp(stopwatchTicks * 1_000_000 / Stopwatch.Frequency, 1, HighestMicroseconds);

    private static void UpdateMin(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value < current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Interlocked.Read(ref target);
        }
    }

    private static void UpdateMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Interlocked.Read(ref target);
        }
    }
}
