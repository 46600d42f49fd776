using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2;

/// <summary>Per-stream state kept by <see cref="Http2Connection"/>: its state, windows and send queue.</summary>
internal sealed class Http2Stream(int id, int sendWindow, int receiveWindow)
{
    public int Id { get; } = id;

    public Http2StreamState State { get; set; } = Http2StreamState.Idle;

    /// <summary>Credit the peer has given us; may go negative when SETTINGS shrink it (RFC 9113 Section 6.9.2).</summary>
    public long SendWindow { get; set; } = sendWindow;

    public long ReceiveWindow { get; set; } = receiveWindow;

    /// <summary>Bytes consumed since the last stream WINDOW_UPDATE we sent.</summary>
    public int UnacknowledgedBytes { get; set; }

    /// <summary>Body chunks waiting for flow-control credit, in order.</summary>
    public Queue<ReadOnlyMemory<byte>> SendQueue { get; } = new();

    /// <summary>How much of the first queued chunk has already gone out.</summary>
    public int HeadOffset { get; set; }

    public long QueuedBytes { get; set; }

    /// <summary>END_STREAM goes on the last DATA frame once the queue drains.</summary>
    public bool EndStreamQueued { get; set; }

    /// <summary>Trailers wait behind the body; they are HPACK-encoded only when sent, to keep table order.</summary>
    public IReadOnlyList<HeaderField>? QueuedTrailers { get; set; }

    /// <summary>The method of the request we sent (or were promised) on this stream: a response to HEAD has no content.</summary>
    public string? RequestMethod { get; set; }

    /// <summary>The request's or final response's header section has arrived: a field section after it is the trailers.</summary>
    public bool HeaderSectionReceived { get; set; }

    /// <summary>Judges the message the peer sends on this stream; created with its first HEADERS or DATA.</summary>
    public MessageValidator? Received { get; set; }

    public bool HasPendingSend => SendQueue.Count > 0 || EndStreamQueued || QueuedTrailers is not null;
}
