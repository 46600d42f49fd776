using Hxi.Net.Client;

namespace Hxi.Net.Load;

/// <summary>What <c>hxi load</c> runs: h2load's knobs (-n or -D, -c, -m, -t, --rps, --warm-up).</summary>
public sealed record LoadOptions
{
    /// <summary>The requests to send, taken in turn (h2load spreads several URLs the same way).</summary>
    public required IReadOnlyList<HxiRequest> Requests { get; init; }

    /// <summary>How each connection is made: protocol, TLS trust, timeouts.</summary>
    public required ClientOptions Client { get; init; }

    /// <summary>-n: requests to complete in all; null when the run is timed (-D).</summary>
    public long? RequestCount { get; init; }

    /// <summary>-D: how long to send requests, after the warm-up; null when -n counts them.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>-c: connections, each one "client".</summary>
    public int Clients { get; init; } = 1;

    /// <summary>-m: requests in flight at once on one connection (HTTP/1.1 connections carry one at a time).</summary>
    public int StreamsPerClient { get; init; } = 1;

    /// <summary>-t: threads the clients are spread over; null runs them on the thread pool.</summary>
    public int? Threads { get; init; }

    /// <summary>--rps: requests started per second, over all clients; null sends as fast as answers come.</summary>
    public double? RequestsPerSecond { get; init; }

    /// <summary>--warm-up: requests during this time are sent but not counted (timed runs only, as h2load).</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>--timeout: a request not answered by then is abandoned (its stream reset) and counted as a timeout.</summary>
    public TimeSpan? RequestTimeout { get; init; }
}
