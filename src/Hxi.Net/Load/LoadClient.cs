using System.Diagnostics;
using Hxi.Net.Client;
using Hxi.Net.Scheduling;

namespace Hxi.Net.Load;

/// <summary>
/// One client of a load run: one connection at a time, with up to -m requests in flight on it. HTTP/2 and HTTP/3
/// without --rps and --timeout run on their fast paths (one thread drives the cores and counts); everything else goes
/// through the <see cref="ExchangeScheduler"/> with counting sinks. When the server ends the connection (GOAWAY,
/// Connection: close) and requests remain, the client connects again; when connecting fails, the client stops
/// and its share goes to the others.
/// </summary>
internal sealed class LoadClient(int index, LoadOptions options, RequestBudget budget, LoadStatistics statistics, bool sampleCompression, PreparedRequest[] prepared)
{
    /// <summary>How long a stopped run waits for answers in flight before it closes the socket under them.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly ClientOptions _clientOptions = sampleCompression
        ? options.Client with { Tap = new CompressionTap(statistics, options.Client.Tap) }
        : options.Client;

    /// <summary>"HTTP/2", "HTTP/3", "HTTP/1.1" once connected.</summary>
    public string? Protocol { get; private set; }

    public int Index => index;

    public async Task RunAsync(CancellationToken stop)
    {
        await using var client = new HxiClient(_clientOptions);
        using var queue = new LoadExchangeQueue(options, budget, statistics, sampleCompression);
        // The general path (HTTP/1.1, h2c Upgrade, --rps, --timeout) is the scheduler one-shot mode with several URLs uses.
        await using var scheduler = new ExchangeScheduler(client, queue, options.StreamsPerClient);
        try
        {
            if (Http2HotPathApplies())
            {
                while (!stop.IsCancellationRequested && await RunHotPathAsync(scheduler, stop))
                {
                }
            }
            else if (Http3HotPathApplies())
            {
                while (!stop.IsCancellationRequested && await RunHttp3HotPathAsync(stop))
                {
                }
            }
            else
            {
                await scheduler.RunAsync(stop);
            }
        }
        finally
        {
            Protocol ??= queue.Protocol;
        }
    }

    /// <summary>
    /// HTTP/2 as fast as it goes: without --rps and --timeout (which need a clock per request), on https (h2 when ALPN
    /// chooses it) or with prior knowledge. An h2c Upgrade and HTTP/3 take the general path.
    /// </summary>
    private bool Http2HotPathApplies()
    {
        if (options.RequestsPerSecond is not null || options.RequestTimeout is not null)
        {
            return false;
        }

        var https = options.Requests[0].Url.Scheme == Uri.UriSchemeHttps;
        return options.Client.Protocol switch
        {
            ProtocolMode.Http2PriorKnowledge => true,
            ProtocolMode.Auto or ProtocolMode.Http2 => https,
            _ => false,
        };
    }

    /// <summary>One connection on the hot path; false when the client is done (budget spent, stopped, or it cannot connect).</summary>
    private async Task<bool> RunHotPathAsync(ExchangeScheduler scheduler, CancellationToken stop)
    {
        if (!budget.HasMore)
        {
            return false;
        }

        var url = options.Requests[0].Url;
        var https = url.Scheme == Uri.UriSchemeHttps;
        string[] alpn = options.Client.Protocol == ProtocolMode.Http2PriorKnowledge ? ["h2"] : ["h2", "http/1.1"];
        var connectStarted = Stopwatch.GetTimestamp();
        Transport.TransportConnection transport;
        try
        {
            transport = await Transport.TransportConnector.ConnectAsync(url, alpn, _clientOptions, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is HxiException or IOException or System.Net.Sockets.SocketException)
        {
            statistics.CountError(LoadErrorNames.Name(ex));
            return false;
        }

        if (https && transport.Info.Tls?.AlpnChosen != "h2")
        {
            if (options.Client.Protocol == ProtocolMode.Http2PriorKnowledge)
            {
                await transport.DisposeAsync();
                statistics.CountError("ALPN did not choose h2");
                return false;
            }

            // The server speaks HTTP/1.1 only: the general path, one request at a time on this connection.
            var http1 = new Http1.Http1ClientConnection(transport, _clientOptions, transport.Info with { Protocol = "http/1.1" });
            await scheduler.RunOnAsync(http1, connectStarted, stop);
            return true;
        }

        Protocol ??= "HTTP/2";
        statistics.ConnectionOpened(transport.Info.DnsTime + transport.Info.ConnectTime + transport.Info.TlsTime);
        var connection = new Http2LoadConnection(transport, _clientOptions, statistics, budget, prepared, options.StreamsPerClient, connectStarted, sampleCompression);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                connection.Run();
                connection.Close();
                finished.SetResult();
            }
            catch (Exception ex)
            {
                finished.SetException(ex);
            }
        })
        { IsBackground = true, Name = $"hxi load h2 {index}" };
        thread.Start();
        // Stopped with answers still out: they get a moment, then the socket closes under the reading thread.
        await using var closer = stop.Register(() => _ = CloseAfterGraceAsync(transport, finished.Task));
        try
        {
            await finished.Task;
        }
        catch (Exception ex)
        {
            statistics.CountError(LoadErrorNames.Name(ex));
            return false;
        }
        finally
        {
            await transport.DisposeAsync();
        }

        return connection.EndedBy is not null && budget.HasMore;
    }

    /// <summary>HTTP/3 as fast as it goes: --http3 (no fallback to measure), without --rps and --timeout.</summary>
    private bool Http3HotPathApplies() =>
        options.RequestsPerSecond is null && options.RequestTimeout is null
        && options.Client.Protocol == ProtocolMode.Http3Only
        && options.Requests[0].Url.Scheme == Uri.UriSchemeHttps;

    /// <summary>One QUIC connection on the HTTP/3 hot path; false when the client is done (budget spent, stopped, or it cannot connect).</summary>
    private async Task<bool> RunHttp3HotPathAsync(CancellationToken stop)
    {
        if (!budget.HasMore)
        {
            return false;
        }

        var connectStarted = Stopwatch.GetTimestamp();
        Http3LoadConnection connection;
        try
        {
            connection = await Http3LoadConnection.ConnectAsync(
                options.Requests[0].Url, _clientOptions, statistics, budget, prepared, options.StreamsPerClient, connectStarted, sampleCompression, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is HxiException or IOException or System.Net.Sockets.SocketException)
        {
            statistics.CountError(LoadErrorNames.Name(ex));
            return false;
        }

        Protocol ??= "HTTP/3";
        statistics.ConnectionOpened(connection.Quic.DnsTime + connection.Quic.HandshakeTime);
        try
        {
            // Stopped with answers still out: they get a moment, then the connection closes under them.
            await using (stop.Register(() => _ = Task.Delay(StopGrace).ContinueWith(_ => connection.Quic.Post(core => core.Close((ulong)Hxi.Protocols.Http3.Http3ErrorCode.NoError, "", connection.Quic.Now)), TaskScheduler.Default)))
            {
                await connection.Finished;
            }
        }
        finally
        {
            await connection.CloseAsync();
        }

        return connection.EndedBy is not null && budget.HasMore;
    }

    private static async Task CloseAfterGraceAsync(Transport.TransportConnection transport, Task finished)
    {
        if (await Task.WhenAny(finished, Task.Delay(StopGrace)) != finished)
        {
            await transport.DisposeAsync();
        }
    }
}
