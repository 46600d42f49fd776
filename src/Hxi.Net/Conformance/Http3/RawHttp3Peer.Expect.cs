using System.Diagnostics;
using System.Threading.Channels;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;

namespace Hxi.Net.Conformance.Http3;

/// <summary>
/// The verdicts cases share. HTTP/3 has no PING: behind a connection-level test input a case sends a fresh request,
/// and the server's full answer to it says the server carried on (after a short grace, since QUIC orders nothing
/// across streams and a server may answer the probe before it reads the input on another stream).
/// </summary>
public sealed partial class RawHttp3Peer
{
    private bool _probeAnswered;

    /// <summary>RFC 9114 Section 8: CONNECTION_CLOSE with one of <paramref name="codes"/> as its application error code.</summary>
    public async Task<CaseVerdict> ExpectConnectionErrorAsync(params Http3ErrorCode[] codes)
    {
        var wanted = Names(codes);
        var probe = await TrySendProbeAsync();
        await foreach (var seen in WatchAsync(probe))
        {
            if (seen.Close is { } close)
            {
                return close.ByPeer && close.IsApplicationError && codes.Contains((Http3ErrorCode)close.ErrorCode)
                    ? _context.Pass()
                    : _context.Fail($"{Describe(close)}; the RFC requires a connection error {wanted}");
            }
        }

        return _context.Fail($"{CarriedOn()}; the RFC requires a connection error {wanted}");
    }

    /// <summary>
    /// RFC 9114 Section 8: the stream is reset (RESET_STREAM or STOP_SENDING) with one of <paramref name="codes"/>, or
    /// the connection closes with one of them (an endpoint may treat a stream error as a connection error).
    /// </summary>
    public Task<CaseVerdict> ExpectStreamErrorAsync(long streamId, params Http3ErrorCode[] codes) =>
        ExpectStreamErrorAsync(streamId, rejectionAllowed: false, codes);

    /// <summary>
    /// A malformed request (RFC 9114 Section 4.1.2): a stream error H3_MESSAGE_ERROR, or a 4xx response that ends the
    /// stream ("a server MAY send an HTTP response indicating the error prior to closing or resetting the stream").
    /// </summary>
    public Task<CaseVerdict> ExpectMalformedAsync(long streamId) =>
        ExpectStreamErrorAsync(streamId, rejectionAllowed: true, [Http3ErrorCode.MessageError]);

    private async Task<CaseVerdict> ExpectStreamErrorAsync(long streamId, bool rejectionAllowed, Http3ErrorCode[] codes)
    {
        var wanted = Names(codes);
        string? status = null;
        string? answered = null;
        string? wrongSignal = null;
        var stoppedCleanly = false;
        var responseEnded = false;
        await foreach (var seen in WatchAsync(streamId))
        {
            switch (seen)
            {
                case { Close: { } close }:
                    return close.ByPeer && close.IsApplicationError && codes.Contains((Http3ErrorCode)close.ErrorCode)
                        ? _context.Pass("treated as a connection error")
                        : _context.Fail($"{Describe(close)}; the RFC requires a stream error {wanted} on stream {streamId}");
                case { Kind: Http3SeenKind.StreamReset or Http3SeenKind.StopSending } signal when signal.StreamId == streamId:
                    if (codes.Contains((Http3ErrorCode)signal.Code))
                    {
                        return _context.Pass();
                    }

                    // A server that answered in full may stop reading the rest with H3_NO_ERROR (Section 4.1); it then
                    // never judged the test input, so only a later signal with a code says anything.
                    wrongSignal ??= $"{(signal.Kind == Http3SeenKind.StreamReset ? "RESET_STREAM" : "STOP_SENDING")} {Http3ErrorCodes.Name(signal.Code)} on stream {streamId}";
                    stoppedCleanly |= signal.Code == (ulong)Http3ErrorCode.NoError;
                    break;
                case { Kind: Http3SeenKind.Frame, Frame: HeadersFrame } headers when headers.StreamId == streamId:
                    status ??= IsInterim(headers) ? null : StatusCode(headers);
                    answered ??= $"answered stream {streamId} with {Status(headers)}";
                    break;
                case { Kind: Http3SeenKind.StreamEnded } ended when ended.StreamId == streamId:
                    responseEnded = true;
                    break;
            }

            if (rejectionAllowed && responseEnded && status is { Length: 3 } code && code[0] == '4')
            {
                return _context.Pass($"rejected with :status {code} and the stream ended (a response before closing is allowed)");
            }
        }

        // Section 4.1: a server that answered in full may stop reading the request with H3_NO_ERROR; it then never read
        // the test input, so the case says nothing about it.
        return stoppedCleanly && responseEnded
            ? _context.Skip($"the server answered stream {streamId} in full (:status {status ?? "?"}) and stopped reading it with H3_NO_ERROR before it read the test input")
            : _context.Fail($"{wrongSignal ?? answered ?? CarriedOn()}; the RFC requires a stream error {wanted} on stream {streamId}");
    }

    /// <summary>The request on <paramref name="streamId"/> gets a final response; a reset of it or a close fails.</summary>
    public async Task<CaseVerdict> ExpectResponseAsync(long streamId, string what = "a response")
    {
        await foreach (var seen in WatchAsync(probe: null))
        {
            switch (seen)
            {
                case { Close: { } close }:
                    return _context.Fail($"{Describe(close)}; the RFC requires {what}");
                case { Kind: Http3SeenKind.StreamReset } reset when reset.StreamId == streamId:
                    return _context.Fail($"RESET_STREAM {Http3ErrorCodes.Name(reset.Code)} on stream {streamId}; the RFC requires {what}");
                case { Kind: Http3SeenKind.Frame, Frame: HeadersFrame } headers when headers.StreamId == streamId && !IsInterim(headers):
                    return _context.Pass($"answered with {Status(headers)}");
            }
        }

        return _context.Fail($"no response on stream {streamId} within {_context.Target.CaseTimeout.TotalSeconds:0.#} s; the RFC requires {what}");
    }

    /// <summary>
    /// The test input was ignored: a request sent after it is answered in full, and no close follows within the grace.
    /// </summary>
    public async Task<CaseVerdict> ExpectIgnoredAsync(string what)
    {
        var probe = await OpenRequestAsync(Http3CaseKit.Headers(Http3CaseKit.RequestSection(_context)));
        await foreach (var seen in WatchAsync(probe))
        {
            switch (seen)
            {
                case { Close: { } close }:
                    return _context.Fail($"{Describe(close)}; the RFC requires {what}");
                case { Kind: Http3SeenKind.StreamReset } reset when reset.StreamId == probe:
                    return _context.Fail($"RESET_STREAM {Http3ErrorCodes.Name(reset.Code)} on the request sent after the input (stream {probe}); the RFC requires {what}");
            }
        }

        return _probeAnswered
            ? _context.Pass()
            : _context.Fail($"no answer to the request sent after the input (stream {probe}) within {_context.Target.CaseTimeout.TotalSeconds:0.#} s; the RFC requires {what}");
    }

    /// <summary>Sends a GET on a new request stream, unless the server's MAX_STREAMS forbids it; its id, or null.</summary>
    public async Task<long?> TrySendProbeAsync()
    {
        if (!await CanOpenAsync(bidirectional: true))
        {
            return null;
        }

        try
        {
            return await OpenRequestAsync(Http3CaseKit.Headers(Http3CaseKit.RequestSection(_context)));
        }
        catch (Http3CaseSkippedException)
        {
            return null;
        }
    }

    /// <summary>
    /// What the server does until the case's timeout or, once the request on <paramref name="probe"/> was answered in
    /// full (final HEADERS and FIN), until the grace after that ran out. Ends after a close.
    /// </summary>
    public async IAsyncEnumerable<Http3Observation> WatchAsync(long? probe)
    {
        var clock = Stopwatch.StartNew();
        var limit = _context.Target.CaseTimeout;
        var probeHeaders = false;
        _probeAnswered = false;
        while (clock.Elapsed < limit)
        {
            var seen = await NextAsync(limit - clock.Elapsed);
            if (seen is null)
            {
                yield break;
            }

            if (probe is { } id && seen.StreamId == id && !_probeAnswered)
            {
                probeHeaders |= seen is { Kind: Http3SeenKind.Frame, Frame: HeadersFrame } && !IsInterim(seen);
                if (probeHeaders && seen.Kind == Http3SeenKind.StreamEnded)
                {
                    _probeAnswered = true;
                    limit = clock.Elapsed + _context.Target.Grace;
                }
            }

            yield return seen;
            if (seen.IsClosed)
            {
                yield break;
            }
        }
    }

    /// <summary>The server's next observable action; null when nothing came within <paramref name="wait"/>.</summary>
    public async Task<Http3Observation?> NextAsync(TimeSpan wait)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_context.Cancellation);
        timeout.CancelAfter(wait);
        try
        {
            return await _inbox.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!_context.Cancellation.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            // The close was reported already; every later read sees the same closed connection.
            return null;
        }
    }

    private string CarriedOn() => _probeAnswered
        ? "the server carried on: it answered the request sent after the test input, with no error"
        : $"no error from the server within {_context.Target.CaseTimeout.TotalSeconds:0.#} s";

    internal static bool IsInterim(Http3Observation seen) =>
        seen.Fields?.FirstOrDefault(f => f.Name == ":status").Value is { Length: 3 } status && status[0] == '1';

    internal static string? StatusCode(Http3Observation seen) => seen.Fields?.FirstOrDefault(f => f.Name == ":status").Value;

    private static string Status(Http3Observation seen) => StatusCode(seen) is { } status ? $":status {status}" : "HEADERS";

    private static string Names(Http3ErrorCode[] codes) => string.Join(" or ", codes.Select(Http3ErrorCodes.Name));
}
