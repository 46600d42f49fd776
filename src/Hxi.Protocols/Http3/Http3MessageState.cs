namespace Hxi.Protocols.Http3;

/// <summary>Where a received message is in the frame sequence of RFC 9114 Section 4.1.</summary>
public enum Http3MessageState
{
    /// <summary>Waiting for the (next) header section; 1xx responses stay here.</summary>
    AwaitingHeaders,

    /// <summary>The final header section arrived: DATA or trailers may follow.</summary>
    Body,

    /// <summary>Trailers arrived: only the end of the stream may follow.</summary>
    AfterTrailers,

    Complete,
}

/// <summary>What just arrived on a request or push stream.</summary>
public enum Http3MessageInput
{
    InterimHeaders,
    FinalHeaders,
    Trailers,
    Data,
    End,
}

/// <summary>The message grammar of Section 4.1 as a table: a pair that is missing is an invalid frame sequence.</summary>
public static class Http3MessageRules
{
    public static readonly IReadOnlyDictionary<(Http3MessageState, Http3MessageInput), Http3MessageState> Transitions =
        new Dictionary<(Http3MessageState, Http3MessageInput), Http3MessageState>
        {
            [(Http3MessageState.AwaitingHeaders, Http3MessageInput.InterimHeaders)] = Http3MessageState.AwaitingHeaders,
            [(Http3MessageState.AwaitingHeaders, Http3MessageInput.FinalHeaders)] = Http3MessageState.Body,
            [(Http3MessageState.Body, Http3MessageInput.Data)] = Http3MessageState.Body,
            [(Http3MessageState.Body, Http3MessageInput.Trailers)] = Http3MessageState.AfterTrailers,
            [(Http3MessageState.Body, Http3MessageInput.End)] = Http3MessageState.Complete,
            [(Http3MessageState.AfterTrailers, Http3MessageInput.End)] = Http3MessageState.Complete,
        };

    /// <summary>The next state; an invalid sequence is H3_FRAME_UNEXPECTED, a stream ending before its headers is H3_REQUEST_INCOMPLETE.</summary>
    public static Http3MessageState Next(long streamId, Http3MessageState state, Http3MessageInput input)
    {
        if (Transitions.TryGetValue((state, input), out var next))
        {
            return next;
        }

        if (input == Http3MessageInput.End)
        {
            throw new Http3StreamException(streamId, Http3ErrorCode.RequestIncomplete, $"stream {streamId} ended {Where(state)}, before a complete message");
        }

        throw new Http3ConnectionException(
            Http3ErrorCode.FrameUnexpected, $"{What(input)} {Where(state)} on stream {streamId} is not a valid HTTP/3 frame sequence");
    }

    private static string What(Http3MessageInput input) => input switch
    {
        Http3MessageInput.InterimHeaders => "an interim (1xx) HEADERS",
        Http3MessageInput.FinalHeaders => "HEADERS",
        Http3MessageInput.Trailers => "trailing HEADERS",
        Http3MessageInput.Data => "DATA",
        _ => "the end of the stream",
    };

    private static string Where(Http3MessageState state) => state switch
    {
        Http3MessageState.AwaitingHeaders => "before the header section",
        Http3MessageState.Body => "after the header section",
        Http3MessageState.AfterTrailers => "after the trailers",
        _ => "after the end of the message",
    };
}
