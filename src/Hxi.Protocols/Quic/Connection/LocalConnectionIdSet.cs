using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// The connection IDs this endpoint issued (RFC 9000 Section 5.1.1): sequence 0 went out in the handshake's
/// Source Connection ID, the rest in NEW_CONNECTION_ID frames. An ID stays active, and packets addressed to it
/// stay ours, until the peer retires it.
/// </summary>
internal sealed class LocalConnectionIdSet
{
    // A Dictionary, not a SortedDictionary: TryFind runs for every 1-RTT packet, and its enumerator allocates nothing.
    private readonly Dictionary<ulong, byte[]> _active = [];
    private ulong _nextSequence = 1;

    public LocalConnectionIdSet(byte[] handshakeConnectionId)
    {
        Length = handshakeConnectionId.Length;
        _active[0] = handshakeConnectionId;
    }

    /// <summary>Every ID we issue has this length, so a short header's Destination Connection ID can be cut out.</summary>
    public int Length { get; }

    /// <summary>Zero-length IDs cannot be replaced: such an endpoint never sends NEW_CONNECTION_ID (Section 5.1.1).</summary>
    public bool CanIssue => Length > 0;

    public IReadOnlyDictionary<ulong, byte[]> Active => _active;

    /// <summary>The sequence number the next issued ID will get; every one below it was issued.</summary>
    public ulong NextSequence => _nextSequence;

    public bool IsActive(ulong sequence) => _active.ContainsKey(sequence);

    /// <summary>Whether <paramref name="connectionId"/> is one of ours that the peer has not retired.</summary>
    public bool TryFind(ReadOnlySpan<byte> connectionId, out ulong sequence)
    {
        foreach (var (candidate, id) in _active)
        {
            if (connectionId.SequenceEqual(id))
            {
                sequence = candidate;
                return true;
            }
        }

        sequence = 0;
        return false;
    }

    /// <summary>Issues IDs until <paramref name="target"/> are active; returns the new ones with their sequence numbers.</summary>
    public List<(ulong Sequence, byte[] ConnectionId)> IssueUpTo(int target, Func<int, byte[]> newConnectionId)
    {
        var issued = new List<(ulong, byte[])>();
        if (!CanIssue)
        {
            return issued;
        }

        while (_active.Count < target)
        {
            // The same ID must never be handed out twice on one connection (Section 5.1).
            byte[] id;
            do
            {
                id = newConnectionId(Length);
            }
            while (TryFind(id, out _));

            var sequence = _nextSequence++;
            _active[sequence] = id;
            issued.Add((sequence, id));
        }

        return issued;
    }

    /// <summary>
    /// Issues the ID of the preferred_address transport parameter, which is sequence 1 (RFC 9000 Section 5.1.1): only
    /// before any NEW_CONNECTION_ID, so the frames' numbering then goes on from 2. Null when that is no longer possible.
    /// </summary>
    public byte[]? IssuePreferredAddressId(Func<int, byte[]> newConnectionId)
    {
        if (!CanIssue || _nextSequence != 1)
        {
            return null;
        }

        var issued = IssueUpTo(_active.Count + 1, newConnectionId);
        return issued[0].ConnectionId;
    }

    /// <summary>
    /// Applies RETIRE_CONNECTION_ID (RFC 9000 Section 19.16). Returns the retired ID, or null when it was retired
    /// already (a retransmission). <paramref name="packetDestination"/> is the sequence number of the ID the
    /// carrying packet was sent to, which the frame must not retire.
    /// </summary>
    public byte[]? Retire(ulong sequence, ulong? packetDestination)
    {
        if (!CanIssue)
        {
            throw Violation("RETIRE_CONNECTION_ID to an endpoint that uses a zero-length connection ID");
        }

        if (sequence >= _nextSequence)
        {
            throw Violation($"RETIRE_CONNECTION_ID for sequence {sequence}, which was never issued (the highest is {_nextSequence - 1})");
        }

        if (sequence == packetDestination)
        {
            throw Violation($"RETIRE_CONNECTION_ID for sequence {sequence} in a packet sent to that connection ID");
        }

        return _active.Remove(sequence, out var id) ? id : null;
    }

    private static QuicTransportException Violation(string reason) =>
        new(QuicTransportErrorCode.ProtocolViolation, (ulong)QuicFrameType.RetireConnectionId, reason);
}
