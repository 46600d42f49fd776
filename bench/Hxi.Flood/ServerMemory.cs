using System.Globalization;

namespace Hxi.Flood;

/// <summary>The server process's resident memory from /proc/PID/status: now (VmRSS) and its high-water mark (VmHWM).</summary>
internal sealed class ServerMemory(int pid) : IAsyncDisposable
{
    private CancellationTokenSource? _sampling;
    private Task? _sampler;
    private long _peak;

    public long RssKb => Read("VmRSS:");

    public long HighWaterKb => Read("VmHWM:");

    /// <summary>The largest VmRSS seen since <see cref="StartSampling"/>.</summary>
    public long PeakKb => Interlocked.Read(ref _peak);

    /// <summary>Reads VmRSS every 50 ms until the next call, keeping the largest value.</summary>
    public void StartSampling()
    {
        _sampling?.Cancel();
        _sampling = new CancellationTokenSource();
        Interlocked.Exchange(ref _peak, RssKb);
        var token = _sampling.Token;
        _sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            try
            {
                while (await timer.WaitForNextTickAsync(token))
                {
                    var now = RssKb;
                    long seen;
                    while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
                    {
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    private long Read(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no {field} in /proc/{pid}/status");
    }

    public async ValueTask DisposeAsync()
    {
        if (_sampling is not null)
        {
            await _sampling.CancelAsync();
            await _sampler!;
            _sampling.Dispose();
        }
    }
}
