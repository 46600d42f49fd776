namespace Hxi.Protocols.Http2;

/// <summary>Stream states of RFC 9113 Section 5.1.</summary>
public enum Http2StreamState
{
    Idle,
    ReservedLocal,
    ReservedRemote,
    Open,
    HalfClosedLocal,
    HalfClosedRemote,
    Closed,
}

/// <summary>What happens to a stream: the edges of the RFC 9113 Section 5.1 diagram.</summary>
public enum Http2StreamInput
{
    SendHeaders,
    ReceiveHeaders,
    SendPushPromise,
    ReceivePushPromise,
    SendEndStream,
    ReceiveEndStream,
    SendReset,
    ReceiveReset,

    /// <summary>A DATA frame arrived; it keeps the state (END_STREAM is its own input).</summary>
    ReceiveData,
}

/// <summary>The RFC's answer to a received input its state does not allow: a stream error, or one for the whole connection.</summary>
public sealed record Http2StreamFault(Http2ErrorCode Code, bool IsConnectionError);

/// <summary>The stream state machine as a table you can print; a missing pair is a protocol error.</summary>
public static class Http2StreamStateMachine
{
    private static readonly Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamState> Table = Build();

    /// <summary>Every legal transition, for documentation and tests.</summary>
    public static IEnumerable<(Http2StreamState From, Http2StreamInput Input, Http2StreamState To)> Transitions =>
        Table.Select(entry => (entry.Key.Item1, entry.Key.Item2, entry.Value));

    private static readonly Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamFault> Faults = BuildFaults();

    private static readonly Http2StreamFault ConnectionProtocolError = new(Http2ErrorCode.ProtocolError, IsConnectionError: true);

    public static bool TryTransition(Http2StreamState from, Http2StreamInput input, out Http2StreamState to) =>
        Table.TryGetValue((from, input), out to);

    /// <summary>
    /// What receiving <paramref name="input"/> in <paramref name="state"/> is when the table has no transition for it
    /// (RFC 9113 Section 5.1): the pairs the RFC names, else a connection error PROTOCOL_ERROR.
    /// </summary>
    public static Http2StreamFault FaultOf(Http2StreamState state, Http2StreamInput input) =>
        Faults.GetValueOrDefault((state, input), ConnectionProtocolError);

    /// <summary>DATA may arrive in "open" and "half-closed (local)" (RFC 9113 Section 6.1).</summary>
    public static bool CanReceiveData(Http2StreamState state) => Table.ContainsKey((state, Http2StreamInput.ReceiveData));

    /// <summary>DATA may be sent in "open" and "half-closed (remote)".</summary>
    public static bool CanSendData(Http2StreamState state) =>
        state is Http2StreamState.Open or Http2StreamState.HalfClosedRemote;

    private static Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamState> Build()
    {
        const Http2StreamState idle = Http2StreamState.Idle;
        const Http2StreamState reservedLocal = Http2StreamState.ReservedLocal;
        const Http2StreamState reservedRemote = Http2StreamState.ReservedRemote;
        const Http2StreamState open = Http2StreamState.Open;
        const Http2StreamState halfClosedLocal = Http2StreamState.HalfClosedLocal;
        const Http2StreamState halfClosedRemote = Http2StreamState.HalfClosedRemote;
        const Http2StreamState closed = Http2StreamState.Closed;

        var table = new Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamState>
        {
            [(idle, Http2StreamInput.SendHeaders)] = open,
            [(idle, Http2StreamInput.ReceiveHeaders)] = open,
            [(idle, Http2StreamInput.SendPushPromise)] = reservedLocal,
            [(idle, Http2StreamInput.ReceivePushPromise)] = reservedRemote,

            [(reservedLocal, Http2StreamInput.SendHeaders)] = halfClosedRemote,
            [(reservedRemote, Http2StreamInput.ReceiveHeaders)] = halfClosedLocal,

            // HEADERS again on an open stream: 1xx responses, then the final response, then trailers.
            [(open, Http2StreamInput.SendHeaders)] = open,
            [(open, Http2StreamInput.ReceiveHeaders)] = open,
            [(open, Http2StreamInput.SendEndStream)] = halfClosedLocal,
            [(open, Http2StreamInput.ReceiveEndStream)] = halfClosedRemote,
            [(open, Http2StreamInput.ReceiveData)] = open,
            [(halfClosedLocal, Http2StreamInput.ReceiveData)] = halfClosedLocal,

            [(halfClosedLocal, Http2StreamInput.ReceiveHeaders)] = halfClosedLocal,
            [(halfClosedLocal, Http2StreamInput.ReceiveEndStream)] = closed,
            [(halfClosedRemote, Http2StreamInput.SendHeaders)] = halfClosedRemote,
            [(halfClosedRemote, Http2StreamInput.SendEndStream)] = closed,
        };

        // Either side may reset any stream that has left "idle".
        foreach (var state in new[] { reservedLocal, reservedRemote, open, halfClosedLocal, halfClosedRemote, closed })
        {
            table[(state, Http2StreamInput.SendReset)] = closed;
            table[(state, Http2StreamInput.ReceiveReset)] = closed;
        }

        return table;
    }

    // Section 5.1: "half-closed (remote)" and "closed" answer DATA and HEADERS with a stream error STREAM_CLOSED;
    // everything else missing from the table ("idle", "reserved") is a connection error PROTOCOL_ERROR.
    private static Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamFault> BuildFaults()
    {
        var streamClosed = new Http2StreamFault(Http2ErrorCode.StreamClosed, IsConnectionError: false);
        var faults = new Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamFault>();
        foreach (var state in new[] { Http2StreamState.HalfClosedRemote, Http2StreamState.Closed })
        {
            foreach (var input in new[] { Http2StreamInput.ReceiveHeaders, Http2StreamInput.ReceiveData, Http2StreamInput.ReceiveEndStream })
            {
                faults[(state, input)] = streamClosed;
            }
        }

        return faults;
    }
}
