namespace Hxi.Protocols.Http2;

/// <summary>
/// The stream state machine of RFC 9113 Section 5.1 as one table you can print (as hyper-h2's stream.py keeps it):
/// every (state, received input) pair has its outcome, the next state or the stream or connection error the RFC
/// names; a local command the state does not allow is misuse, an <see cref="InvalidOperationException"/>.
/// </summary>
public static class Http2StreamStateMachine
{
    /// <summary>The inputs a peer's frames produce; the table holds an outcome for each of them in every state.</summary>
    public static IReadOnlyList<Http2StreamInput> ReceivedInputs { get; } =
    [
        Http2StreamInput.ReceiveHeaders,
        Http2StreamInput.ReceiveEndStream,
        Http2StreamInput.ReceiveData,
        Http2StreamInput.ReceivePriority,
        Http2StreamInput.ReceiveReset,
        Http2StreamInput.ReceiveWindowUpdate,
        Http2StreamInput.ReceivePushPromiseOnStream,
        Http2StreamInput.ReceivePushPromise,
    ];

    private static readonly Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamOutcome> Received = BuildReceived();

    private static readonly Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamState> Sent = BuildSent();

    /// <summary>Every entry of the table, for documentation and tests.</summary>
    public static IEnumerable<(Http2StreamState From, Http2StreamInput Input, Http2StreamOutcome Outcome)> Entries =>
        Received.Select(entry => (entry.Key.Item1, entry.Key.Item2, entry.Value))
            .Concat(Sent.Select(entry => (entry.Key.Item1, entry.Key.Item2, new Http2StreamOutcome(entry.Value))));

    /// <summary>What a received input does in <paramref name="state"/> (RFC 9113 Section 5.1).</summary>
    public static Http2StreamOutcome Receive(Http2StreamState state, Http2StreamInput input) =>
        Received.TryGetValue((state, input), out var outcome)
            ? outcome
            : throw new ArgumentException($"{input} is not a received input", nameof(input));

    /// <summary>The state a local command leads to; a command the state does not allow is local misuse.</summary>
    public static Http2StreamState Send(Http2StreamState state, Http2StreamInput input) =>
        Sent.TryGetValue((state, input), out var next)
            ? next
            : throw new InvalidOperationException($"{input} is not allowed on a stream in state {state} (RFC 9113 Section 5.1)");

    /// <summary>True when the input moves the stream (received inputs that are neither faults nor discarded, or allowed commands).</summary>
    public static bool TryTransition(Http2StreamState from, Http2StreamInput input, out Http2StreamState to)
    {
        if (Received.TryGetValue((from, input), out var outcome) && outcome.IsAllowed)
        {
            to = outcome.Next;
            return true;
        }

        return Sent.TryGetValue((from, input), out to);
    }

    /// <summary>DATA may arrive in "open" and "half-closed (local)" (RFC 9113 Section 6.1).</summary>
    public static bool CanReceiveData(Http2StreamState state) => Receive(state, Http2StreamInput.ReceiveData).IsAllowed;

    /// <summary>DATA may be sent in "open" and "half-closed (remote)".</summary>
    public static bool CanSendData(Http2StreamState state) =>
        state is Http2StreamState.Open or Http2StreamState.HalfClosedRemote;

    private static Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamOutcome> BuildReceived()
    {
        const Http2StreamState idle = Http2StreamState.Idle;
        const Http2StreamState reservedLocal = Http2StreamState.ReservedLocal;
        const Http2StreamState reservedRemote = Http2StreamState.ReservedRemote;
        const Http2StreamState open = Http2StreamState.Open;
        const Http2StreamState halfClosedLocal = Http2StreamState.HalfClosedLocal;
        const Http2StreamState halfClosedRemote = Http2StreamState.HalfClosedRemote;
        const Http2StreamState closed = Http2StreamState.Closed;

        var protocolError = new Http2StreamOutcome(idle, new Http2StreamFault(Http2ErrorCode.ProtocolError, IsConnectionError: true));
        var streamClosed = new Http2StreamOutcome(closed, new Http2StreamFault(Http2ErrorCode.StreamClosed, IsConnectionError: false));
        var discarded = new Http2StreamOutcome(closed, Ignored: true);
        Http2StreamOutcome To(Http2StreamState next) => new(next);

        // One row per state, columns in the order of ReceivedInputs:
        //   HEADERS, END_STREAM, DATA, PRIORITY, RST_STREAM, WINDOW_UPDATE, PUSH_PROMISE on it, PUSH_PROMISE promising it.
        // "idle": only HEADERS and PRIORITY; anything else is a connection error PROTOCOL_ERROR. A PUSH_PROMISE reserves it.
        // "reserved (local)": RST_STREAM, PRIORITY, WINDOW_UPDATE; anything else is a connection error PROTOCOL_ERROR.
        // "reserved (remote)": HEADERS, RST_STREAM, PRIORITY; anything else is a connection error PROTOCOL_ERROR.
        // "open", "half-closed (local)": any frame; END_STREAM half-closes or closes.
        // "half-closed (remote)": beyond WINDOW_UPDATE, PRIORITY and RST_STREAM, a stream error STREAM_CLOSED.
        // "closed": frames in flight when we closed it are minimally processed (HPACK, connection window) and
        //   discarded; DATA still gets a stream error STREAM_CLOSED, so the peer learns to stop sending it.
        // A PUSH_PROMISE on a stream neither "open" nor "half-closed (local)" is a connection error PROTOCOL_ERROR (Section 6.6),
        // except on a stream we closed, where it still reserves the promised stream; one promising a non-idle stream is too.
        Http2StreamOutcome[][] rows =
        [
            /* idle */ [To(open), protocolError, protocolError, To(idle), protocolError, protocolError, protocolError, To(reservedRemote)],
            /* reserved (local) */ [protocolError, protocolError, protocolError, To(reservedLocal), To(closed), To(reservedLocal), protocolError, protocolError],
            /* reserved (remote) */ [To(halfClosedLocal), protocolError, protocolError, To(reservedRemote), To(closed), protocolError, protocolError, protocolError],
            /* open */ [To(open), To(halfClosedRemote), To(open), To(open), To(closed), To(open), To(open), protocolError],
            /* half-closed (local) */ [To(halfClosedLocal), To(closed), To(halfClosedLocal), To(halfClosedLocal), To(closed), To(halfClosedLocal), To(halfClosedLocal), protocolError],
            /* half-closed (remote) */ [streamClosed, streamClosed, streamClosed, To(halfClosedRemote), To(closed), To(halfClosedRemote), protocolError, protocolError],
            /* closed */ [discarded, streamClosed, streamClosed, To(closed), discarded, discarded, To(closed), protocolError],
        ];

        var table = new Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamOutcome>();
        Http2StreamState[] states = [idle, reservedLocal, reservedRemote, open, halfClosedLocal, halfClosedRemote, closed];
        for (var row = 0; row < states.Length; row++)
        {
            for (var column = 0; column < ReceivedInputs.Count; column++)
            {
                var outcome = rows[row][column];
                table[(states[row], ReceivedInputs[column])] = outcome.Fault is null ? outcome : outcome with { Next = states[row] };
            }
        }

        return table;
    }

    private static Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamState> BuildSent()
    {
        var table = new Dictionary<(Http2StreamState, Http2StreamInput), Http2StreamState>
        {
            [(Http2StreamState.Idle, Http2StreamInput.SendHeaders)] = Http2StreamState.Open,
            [(Http2StreamState.Idle, Http2StreamInput.SendPushPromise)] = Http2StreamState.ReservedLocal,
            [(Http2StreamState.ReservedLocal, Http2StreamInput.SendHeaders)] = Http2StreamState.HalfClosedRemote,

            // HEADERS again on an open stream: 1xx responses, then the final response, then trailers.
            [(Http2StreamState.Open, Http2StreamInput.SendHeaders)] = Http2StreamState.Open,
            [(Http2StreamState.Open, Http2StreamInput.SendEndStream)] = Http2StreamState.HalfClosedLocal,
            [(Http2StreamState.HalfClosedRemote, Http2StreamInput.SendHeaders)] = Http2StreamState.HalfClosedRemote,
            [(Http2StreamState.HalfClosedRemote, Http2StreamInput.SendEndStream)] = Http2StreamState.Closed,
        };

        // Either side may reset any stream that has left "idle".
        foreach (var state in Enum.GetValues<Http2StreamState>().Where(s => s != Http2StreamState.Idle))
        {
            table[(state, Http2StreamInput.SendReset)] = Http2StreamState.Closed;
        }

        return table;
    }
}
