using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>A connection ID the peer issued, with the token that lets it reset the connection statelessly.</summary>
internal sealed record PeerConnectionId(ulong Sequence, byte[] ConnectionId, byte[]? ResetToken);

/// <summary>
/// The connection IDs the peer issued to us (RFC 9000 Sections 5.1.2 and 19.15): the one packets are sent to,
/// the unused ones we may move to, and our RETIRE_CONNECTION_ID frames not yet acknowledged. Every unused ID
/// has a higher sequence number than the one in use; an ID that arrives below it is retired on arrival.
/// </summary>
internal sealed class PeerConnectionIdSet(int limit)
{
    private readonly SortedDictionary<ulong, PeerConnectionId> _unused = [];
    private readonly HashSet<ulong> _retiring = [];
    private ulong _largestRetirePriorTo;

    /// <summary>Sequence number of the ID we send to; 0 is the one from the handshake.</summary>
    public ulong CurrentSequence { get; private set; }

    /// <summary>The stateless reset token for the ID in use, when the peer gave one; retired IDs' tokens are forgotten (Section 10.3.1).</summary>
    public byte[]? CurrentResetToken { get; set; }

    public IReadOnlyDictionary<ulong, PeerConnectionId> Unused => _unused;

    /// <summary>The IDs not retired: the one in use and the unused ones (what active_connection_id_limit counts).</summary>
    public int ActiveCount => 1 + _unused.Count;

    /// <summary>How many RETIRE_CONNECTION_ID frames may be unacknowledged at once: twice the limit, as Section 5.1.2 suggests.</summary>
    public int MaxRetirementsOutstanding => 2 * limit;

    public int RetirementsOutstanding => _retiring.Count;

    /// <summary>
    /// Applies NEW_CONNECTION_ID. Returns the sequence numbers to retire; <paramref name="switchedTo"/> is set when
    /// Retire Prior To retired the ID in use, so packets must go to another one. <paramref name="current"/> is the ID in use.
    /// </summary>
    public List<ulong> Receive(NewConnectionIdFrame frame, ReadOnlySpan<byte> current, out PeerConnectionId? switchedTo)
    {
        switchedTo = null;
        var retire = new List<ulong>();
        var sequence = frame.SequenceNumber;
        var id = frame.ConnectionId.Span;

        // The ID must not already be ours under another number, nor the number carry another ID (Section 19.15, a MAY).
        if (sequence == CurrentSequence ? !id.SequenceEqual(current) : id.SequenceEqual(current))
        {
            throw Violation($"NEW_CONNECTION_ID sequence {sequence} disagrees with the connection ID in use (sequence {CurrentSequence})");
        }

        foreach (var (known, entry) in _unused)
        {
            if ((known == sequence) != id.SequenceEqual(entry.ConnectionId))
            {
                throw Violation($"NEW_CONNECTION_ID sequence {sequence} disagrees with the connection ID issued as sequence {known}");
            }
        }

        // Retire what Retire Prior To asks for before adding the new ID, so the limit holds (Section 5.1.2).
        var mustSwitch = false;
        if (frame.RetirePriorTo > _largestRetirePriorTo)
        {
            _largestRetirePriorTo = frame.RetirePriorTo;
            foreach (var old in _unused.Keys.Where(s => s < _largestRetirePriorTo).ToList())
            {
                _unused.Remove(old);
                retire.Add(old);
            }

            if (CurrentSequence < _largestRetirePriorTo)
            {
                retire.Add(CurrentSequence);
                mustSwitch = true;
            }
        }

        if (sequence < _largestRetirePriorTo || sequence < CurrentSequence)
        {
            // Already retired, or late and below the ID in use: retire it (again) rather than keep it.
            retire.Add(sequence);
        }
        else if (sequence != CurrentSequence)
        {
            _unused.TryAdd(sequence, new PeerConnectionId(sequence, frame.ConnectionId.ToArray(), frame.StatelessResetToken.ToArray()));
        }

        if (mustSwitch)
        {
            switchedTo = TakeLowestUnused()
                ?? throw Violation($"Retire Prior To {_largestRetirePriorTo} leaves no connection ID to send to");
        }

        if (ActiveCount > limit)
        {
            throw new QuicTransportException(QuicTransportErrorCode.ConnectionIdLimitError, (ulong)QuicFrameType.NewConnectionId,
                $"the peer's connection IDs would number {ActiveCount}; our active_connection_id_limit is {limit}");
        }

        foreach (var retired in retire)
        {
            _retiring.Add(retired);
        }

        if (_retiring.Count > MaxRetirementsOutstanding)
        {
            throw new QuicTransportException(QuicTransportErrorCode.ConnectionIdLimitError, (ulong)QuicFrameType.NewConnectionId,
                $"{_retiring.Count} retirements of the peer's connection IDs are unacknowledged; at most {MaxRetirementsOutstanding} are kept");
        }

        return retire;
    }

    /// <summary>
    /// Adds the ID the server's preferred_address carries, sequence 1 (RFC 9000 Section 5.1.1), as an unused one. It counts
    /// toward our active_connection_id_limit, which is at least 2, so it always fits beside the handshake's.
    /// </summary>
    public void AddPreferredAddressId(byte[] connectionId, byte[] resetToken) =>
        _unused.TryAdd(1UL, new PeerConnectionId(1, connectionId, resetToken));

    /// <summary>
    /// Takes an unused ID for a path being probed, without moving to it: the one of <paramref name="sequence"/> when given
    /// and there, else the lowest. Null when there is none.
    /// </summary>
    public PeerConnectionId? TakeForProbe(ulong? sequence)
    {
        if (sequence is { } wanted && _unused.Remove(wanted, out var exact))
        {
            return exact;
        }

        if (_unused.Count == 0)
        {
            return null;
        }

        var (lowest, entry) = _unused.First();
        _unused.Remove(lowest);
        return entry;
    }

    /// <summary>
    /// The probed path became the one in use: packets go to <paramref name="probed"/>'s ID from now on, and the one in
    /// use before is retired (returned, for a RETIRE_CONNECTION_ID).
    /// </summary>
    public ulong Adopt(PeerConnectionId probed)
    {
        var retired = CurrentSequence;
        _retiring.Add(retired);
        CurrentSequence = probed.Sequence;
        CurrentResetToken = probed.ResetToken;
        return retired;
    }

    /// <summary>An ID taken for a path that failed validation is retired: it was seen on that path and must not be used elsewhere (Section 9.5).</summary>
    public void RetireProbed(PeerConnectionId probed) => _retiring.Add(probed.Sequence);

    /// <summary>Moves to the lowest unused ID and retires the one in use; false when there is none, or too many retirements are pending.</summary>
    public bool TrySwitch(out ulong retired, out PeerConnectionId next)
    {
        retired = CurrentSequence;
        next = null!;
        if (_unused.Count == 0 || _retiring.Count >= MaxRetirementsOutstanding)
        {
            return false;
        }

        next = TakeLowestUnused()!;
        _retiring.Add(retired);
        return true;
    }

    /// <summary>The peer acknowledged our RETIRE_CONNECTION_ID for <paramref name="sequence"/>.</summary>
    public void OnRetireAcknowledged(ulong sequence) => _retiring.Remove(sequence);

    private PeerConnectionId? TakeLowestUnused()
    {
        if (_unused.Count == 0)
        {
            return null;
        }

        var (sequence, next) = _unused.First();
        _unused.Remove(sequence);
        CurrentSequence = sequence;
        CurrentResetToken = next.ResetToken;
        return next;
    }

    private static QuicTransportException Violation(string reason) =>
        new(QuicTransportErrorCode.ProtocolViolation, (ulong)QuicFrameType.NewConnectionId, reason);
}
