using System.Globalization;
using System.Net;
using Hxi.Flood;

// hxi-flood: floods a running `hxi serve` (its HTTPS/HTTP/3 port, on loopback) with what issue 10 item 7 names, while
// real HTTP/3 clients keep making requests, and prints one table row per scenario (bench/flood.sh runs it).
//   hxi-flood --port 8443 --pid 1234 --ca certs/ca.pem [--garbage 50000] [--initials 20000] [--unknown 20000]
//             [--clients 200] [--rate 5000] [--probes 4] [--settle 12] [--source-ports 512]
var options = FloodOptions.Parse(args);
var server = new IPEndPoint(IPAddress.Loopback, options.Port);
var url = new Uri($"https://localhost:{options.Port}/json");
await using var memory = new ServerMemory(options.Pid);
var rows = new List<string>();

Console.Error.WriteLine("flood: warming up (probe requests, then a pause)");
var warmup = new ProbeClients(url, options.CaPath, TimeSpan.FromSeconds(5));
using (var warm = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
{
    await warmup.RunUntilAsync(options.Probes, warm.Token);
}

await Task.Delay(TimeSpan.FromSeconds(2));
var baseline = memory.RssKb;
Console.Error.WriteLine($"flood: baseline VmRSS {Mb(baseline)} MB, warm-up {warmup.Ok} requests ok, {warmup.Failed} failed");

rows.Add(await FloodAsync($"{options.Garbage:N0} garbage datagrams", options.Garbage, FloodDatagrams.Garbage));
rows.Add(await FloodAsync($"{options.Initials:N0} undecryptable v1 Initials", options.Initials, r => FloodDatagrams.UndecryptableInitial(r)));
rows.Add(await FloodAsync($"{options.Unknown:N0} unknown-version Initials", options.Unknown, r => FloodDatagrams.UnknownVersion(r)));
rows.Add(await ClientsAsync());

Console.WriteLine($"hxi serve under flood: {options.Rate:N0} datagrams/s from {options.SourcePorts} source ports, {options.Probes} probe clients " +
    $"(a new HTTP/3 connection per GET /json, 5 s timeout); RSS after = {options.Settle} s after the flood (past the 10 s handshake timeout); baseline VmRSS {Mb(baseline)} MB");
Console.WriteLine();
Console.WriteLine("| scenario | sent | answered | requests ok during | p50 / p99 ms during | ok after | p50 ms after | VmRSS before / peak / after MB | VmHWM MB |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var row in rows)
{
    Console.WriteLine(row);
}

return 0;

async Task<string> FloodAsync(string name, int count, Func<Random, byte[]> make)
{
    Console.Error.WriteLine($"flood: {name}");
    var before = memory.RssKb;
    memory.StartSampling();
    var during = new ProbeClients(url, options.CaPath, TimeSpan.FromSeconds(5));
    long sent, answered;
    await using (var flood = new DatagramFlood(server, options.SourcePorts))
    {
        using var stop = new CancellationTokenSource();
        var probes = during.RunUntilAsync(options.Probes, stop.Token);
        await flood.SendAsync(count, options.Rate, make, seed: count);
        await stop.CancelAsync();
        await probes;
        sent = flood.Sent;
        answered = flood.Answered;
    }

    return await AfterAsync(name, sent.ToString("N0", CultureInfo.InvariantCulture), answered.ToString("N0", CultureInfo.InvariantCulture), during, before);
}

async Task<string> ClientsAsync()
{
    var name = $"{options.Clients} concurrent clients x 5 GETs";
    Console.Error.WriteLine($"flood: {name}");
    var before = memory.RssKb;
    memory.StartSampling();
    var during = new ProbeClients(url, options.CaPath, TimeSpan.FromSeconds(10));
    await during.RunOnceAsync(options.Clients, 5);
    return await AfterAsync(name, $"{options.Clients * 5} requests", "-", during, before);
}

async Task<string> AfterAsync(string name, string sent, string answered, ProbeClients during, long before)
{
    var after = new ProbeClients(url, options.CaPath, TimeSpan.FromSeconds(5));
    using (var window = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
    {
        await after.RunUntilAsync(options.Probes, window.Token);
    }

    await Task.Delay(TimeSpan.FromSeconds(options.Settle));
    var rssAfter = memory.RssKb;
    if (during.TopError is { } error)
    {
        Console.Error.WriteLine($"flood:   commonest failure during: {error}");
    }

    return $"| {name} | {sent} | {answered} | {during.Ok}/{during.Ok + during.Failed} | {during.Percentile(0.5):0} / {during.Percentile(0.99):0} " +
        $"| {after.Ok}/{after.Ok + after.Failed} | {after.Percentile(0.5):0} | {Mb(before)} / {Mb(memory.PeakKb)} / {Mb(rssAfter)} | {Mb(memory.HighWaterKb)} |";
}

static string Mb(long kb) => (kb / 1024.0).ToString("0", CultureInfo.InvariantCulture);
