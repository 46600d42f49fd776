using System.Collections.Concurrent;
using System.Diagnostics;
using Hxi.Net.Client;

namespace Hxi.Flood;

/// <summary>
/// Real HTTP/3 clients (hxi's own, as `hxi --http3-only` uses it) making GET requests against the server, each on a new
/// QUIC connection unless told otherwise, so every request also needs a handshake: that is what a flood would starve.
/// </summary>
internal sealed class ProbeClients(Uri url, string caPath, TimeSpan requestTimeout)
{
    private readonly ConcurrentBag<double> _latencies = [];
    private long _ok;
    private long _failed;
    private readonly ConcurrentDictionary<string, int> _errors = new();

    public long Ok => Interlocked.Read(ref _ok);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The commonest failure, for the report.</summary>
    public string? TopError => _errors.IsEmpty ? null : _errors.MaxBy(e => e.Value).Key;

    public double Percentile(double p)
    {
        var sorted = _latencies.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    /// <summary><paramref name="workers"/> loops of requests until <paramref name="stop"/> is cancelled.</summary>
    public Task RunUntilAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await RequestsOnOneConnectionAsync(1);
            }
        })));

    /// <summary><paramref name="workers"/> clients at once, each with its own connection making <paramref name="requests"/> requests on it.</summary>
    public Task RunOnceAsync(int workers, int requests) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => RequestsOnOneConnectionAsync(requests))));

    private async Task RequestsOnOneConnectionAsync(int requests)
    {
        var options = new ClientOptions
        {
            Protocol = ProtocolMode.Http3Only,
            CaCertificatePath = caPath,
            ConnectTimeout = requestTimeout,
        };
        await using var client = new HxiClient(options);
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            using var timeout = new CancellationTokenSource(requestTimeout);
            try
            {
                var summary = await client.SendAsync(new HxiRequest("GET", url, []), new BufferingResponseHandler(), timeout.Token);
                if (summary.Head.StatusCode == 200)
                {
                    Interlocked.Increment(ref _ok);
                    _latencies.Add(clock.Elapsed.TotalMilliseconds);
                    continue;
                }

                Fail($"status {summary.Head.StatusCode}");
            }
            catch (OperationCanceledException)
            {
                Fail($"no answer within {requestTimeout.TotalSeconds:0} s");
            }
            catch (HxiException e)
            {
                Fail(e.Message);
            }
            catch (IOException e)
            {
                Fail(e.Message);
            }

            return;
        }
    }

    private void Fail(string why)
    {
        Interlocked.Increment(ref _failed);
        _errors.AddOrUpdate(why, 1, (_, n) => n + 1);
    }
}
