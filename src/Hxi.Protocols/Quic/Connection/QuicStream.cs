using Hxi.Protocols.Quic.Streams;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>One stream's two halves: what we send (with the peer's credit) and what we receive (with ours).</summary>
internal sealed class QuicStream(long id, bool canSend, bool canReceive, long sendLimit, long receiveWindow)
{
    public long Id { get; } = id;

    public bool CanSend { get; } = canSend;

    public bool CanReceive { get; } = canReceive;

    public SendBuffer Send { get; } = new();

    public SendCredit SendCredit { get; } = new(sendLimit);

    public ReceiveBuffer Receive { get; } = new();

    public ReceiveCredit ReceiveCredit { get; } = new(receiveWindow);

    /// <summary>RESET_STREAM we sent (or must send again if lost): the code, and the final size.</summary>
    public (ulong Code, long FinalSize)? ResetSent { get; set; }

    public bool ResetReceived { get; set; }

    public bool StopSendingSent { get; set; }

    /// <summary>The stream's one "readable" event: records are immutable, so every announcement shares it.</summary>
    public QuicStreamReadable ReadableEvent => field ??= new QuicStreamReadable(Id);

    /// <summary>A readable event waits in the queue: more data before it is polled needs no second one.</summary>
    public bool ReadablePending { get; set; }

    /// <summary>Both halves are finished: the stream can be forgotten.</summary>
    public bool IsDone =>
        (!CanSend || Send.IsFullyAcknowledged || ResetSent is not null)
        && (!CanReceive || Receive.IsComplete || ResetReceived);

    public static bool IsBidirectional(long id) => (id & 0x2) == 0;

    public static bool IsClientInitiated(long id) => (id & 0x1) == 0;
}
