using System.Diagnostics;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;

namespace Hxi.Net.Conformance.Http2;

/// <summary>
/// The verdicts cases share. Each sends a PING behind the test input: a server handles frames in order, so its PING
/// ACK says it has read the input and did not treat it as the error the RFC requires (after a short grace, for
/// servers that queue the ACK ahead of RST_STREAM).
/// </summary>
public sealed partial class RawHttp2Peer
{
    private const ulong ProbeBase = 0x6878_692d_6368_6b00; // "hxi-chk\0"
    private ulong _probes;
    private bool _probeAnswered;

    /// <summary>Marks what follows as the case's test input and sends it.</summary>
    public Task SendTriggerAsync(params Http2Frame[] frames)
    {
        _context.MarkTrigger();
        return SendAsync(frames);
    }

    /// <summary>Marks what follows as the case's test input and sends the bytes as they are.</summary>
    public Task SendTriggerBytesAsync(byte[] bytes, string description)
    {
        _context.MarkTrigger();
        return SendBytesAsync(bytes, description);
    }

    /// <summary>RFC 9113 Section 5.4.1: GOAWAY with one of <paramref name="codes"/>; a close without GOAWAY passes with a note.</summary>
    public async Task<CaseVerdict> ExpectConnectionErrorAsync(params Http2ErrorCode[] codes)
    {
        var wanted = Names(codes);
        var probe = await SendProbeAsync();
        await foreach (var seen in WatchAsync(probe))
        {
            switch (seen)
            {
                case { IsClosed: true }:
                    return _context.Pass($"connection closed without GOAWAY ({seen.Closed})");
                case { Frame: GoAwayFrame goAway }:
                    return codes.Contains((Http2ErrorCode)goAway.ErrorCode)
                        ? _context.Pass()
                        : _context.Fail($"GOAWAY {Http2ErrorCodes.Name(goAway.ErrorCode)}, the RFC requires a connection error {wanted}");
            }
        }

        return _context.Fail($"{CarriedOn()}; the RFC requires a connection error {wanted}");
    }

    /// <summary>
    /// RFC 9113 Section 5.4.2: RST_STREAM on <paramref name="streamId"/> with one of <paramref name="codes"/>, or a
    /// connection error with one of them (an endpoint may treat a stream error as a connection error).
    /// </summary>
    public async Task<CaseVerdict> ExpectStreamErrorAsync(int streamId, params Http2ErrorCode[] codes)
    {
        var wanted = Names(codes);
        var probe = await SendProbeAsync();
        string? answered = null;
        await foreach (var seen in WatchAsync(probe))
        {
            switch (seen)
            {
                case { IsClosed: true }:
                    return _context.Pass($"connection closed ({seen.Closed})");
                case { Frame: GoAwayFrame goAway }:
                    return codes.Contains((Http2ErrorCode)goAway.ErrorCode)
                        ? _context.Pass("treated as a connection error")
                        : _context.Fail($"GOAWAY {Http2ErrorCodes.Name(goAway.ErrorCode)}, the RFC requires a stream error {wanted}");
                case { Frame: RstStreamFrame rst } when rst.StreamId == streamId:
                    return codes.Contains((Http2ErrorCode)rst.ErrorCode)
                        ? _context.Pass()
                        : _context.Fail($"RST_STREAM {Http2ErrorCodes.Name(rst.ErrorCode)} on stream {streamId}, the RFC requires {wanted}");
                case { Frame: HeadersFrame headers } when headers.StreamId == streamId:
                    answered ??= $"answered stream {streamId} with {Status(seen)}";
                    break;
            }
        }

        return _context.Fail($"{answered ?? CarriedOn()}; the RFC requires a stream error {wanted} on stream {streamId}");
    }

    /// <summary>The request on <paramref name="streamId"/> gets a final response; a reset, an error GOAWAY or a close fails.</summary>
    public async Task<CaseVerdict> ExpectResponseAsync(int streamId, string what = "a response")
    {
        await foreach (var seen in WatchAsync(probe: null))
        {
            switch (seen)
            {
                case { IsClosed: true }:
                    return _context.Fail($"{seen.Closed}; the RFC requires {what}");
                case { Frame: GoAwayFrame goAway } when goAway.ErrorCode != 0 || goAway.LastStreamId < streamId:
                    return _context.Fail($"GOAWAY {Http2ErrorCodes.Name(goAway.ErrorCode)} (last stream {goAway.LastStreamId}); the RFC requires {what}");
                case { Frame: RstStreamFrame rst } when rst.StreamId == streamId:
                    return _context.Fail($"RST_STREAM {Http2ErrorCodes.Name(rst.ErrorCode)} on stream {streamId}; the RFC requires {what}");
                case { Frame: HeadersFrame headers } when headers.StreamId == streamId && !IsInterim(seen):
                    return _context.Pass($"answered with {Status(seen)}");
            }
        }

        return _context.Fail($"no response on stream {streamId} within {_context.Target.CaseTimeout.TotalSeconds:0.#} s; the RFC requires {what}");
    }

    /// <summary>The connection is still usable: a PING is answered, with no GOAWAY or close before it.</summary>
    public async Task<CaseVerdict> ExpectConnectionAliveAsync(string what)
    {
        var probe = await SendProbeAsync();
        await foreach (var seen in WatchAsync(probe: null))
        {
            switch (seen)
            {
                case { IsClosed: true }:
                    return _context.Fail($"{seen.Closed}; the RFC requires {what}");
                case { Frame: GoAwayFrame goAway }:
                    return _context.Fail($"GOAWAY {Http2ErrorCodes.Name(goAway.ErrorCode)}; the RFC requires {what}");
                case { Frame: PingFrame { Ack: true } ping } when ping.OpaqueData == probe:
                    return _context.Pass();
            }
        }

        return _context.Fail($"no PING ACK within {_context.Target.CaseTimeout.TotalSeconds:0.#} s; the RFC requires {what}");
    }

    /// <summary>Sends a PING with fresh opaque data; returns the data its ACK must echo.</summary>
    public async Task<ulong> SendProbeAsync()
    {
        var data = ProbeBase + ++_probes;
        await SendAsync(new PingFrame(false, data));
        return data;
    }

    /// <summary>
    /// What the server sends until the case's timeout, or, once the ACK of <paramref name="probe"/> came, until the grace
    /// after it ran out. Ends after a close.
    /// </summary>
    public async IAsyncEnumerable<Http2Observation> WatchAsync(ulong? probe)
    {
        var clock = Stopwatch.StartNew();
        var limit = _context.Target.CaseTimeout;
        _probeAnswered = false;
        while (clock.Elapsed < limit)
        {
            var seen = await NextAsync(limit - clock.Elapsed);
            if (seen is null)
            {
                yield break;
            }

            if (probe is { } data && seen.Frame is PingFrame { Ack: true } ack && ack.OpaqueData == data && !_probeAnswered)
            {
                _probeAnswered = true;
                limit = clock.Elapsed + _context.Target.Grace;
            }

            yield return seen;
            if (seen.IsClosed)
            {
                yield break;
            }
        }
    }

    private string CarriedOn() => _probeAnswered
        ? "the server carried on: it answered the PING sent after the test input, with no error"
        : $"no error from the server within {_context.Target.CaseTimeout.TotalSeconds:0.#} s";

    private static bool IsInterim(Http2Observation seen) =>
        seen.Fields?.FirstOrDefault(f => f.Name == ":status").Value is { Length: 3 } status && status[0] == '1';

    private static string Status(Http2Observation seen) =>
        seen.Fields?.FirstOrDefault(f => f.Name == ":status").Value is { } status ? $":status {status}" : "HEADERS";

    private static string Names(Http2ErrorCode[] codes) => string.Join(" or ", codes.Select(Http2ErrorCodes.Name));
}
