using System.Security.Cryptography;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial class QuicConnection
{
    /// <summary>The most of our connection IDs the peer holds at once, whatever its active_connection_id_limit allows.</summary>
    public const int MaxIssuedConnectionIds = 4;

    private readonly LocalConnectionIdSet _localIds;
    private readonly PeerConnectionIdSet _peerIds;

    // Which of our IDs the 1-RTT packet being processed was sent to: a RETIRE_CONNECTION_ID must not name it.
    private ulong? _packetDestinationSequence;

    /// <summary>Our connection IDs the peer has not retired, by sequence number (a snapshot).</summary>
    public IReadOnlyDictionary<ulong, ReadOnlyMemory<byte>> LocalConnectionIds =>
        _localIds.Active.ToDictionary(entry => entry.Key, entry => (ReadOnlyMemory<byte>)entry.Value);

    /// <summary>The peer's connection IDs we have not retired, by sequence number, the one in use included (a snapshot).</summary>
    public IReadOnlyDictionary<ulong, ReadOnlyMemory<byte>> PeerConnectionIds
    {
        get
        {
            var ids = _peerIds.Unused.ToDictionary(entry => entry.Key, entry => (ReadOnlyMemory<byte>)entry.Value.ConnectionId);
            ids[_peerIds.CurrentSequence] = _destinationConnectionId;
            return ids;
        }
    }

    /// <summary>The sequence number of the peer's connection ID we send to (<see cref="DestinationConnectionId"/>).</summary>
    public ulong DestinationSequenceNumber => _peerIds.CurrentSequence;

    /// <summary>
    /// Sends to the next unused connection ID the peer issued and retires the one in use (RFC 9000 Section 5.1.2),
    /// which asks the peer for a replacement. False when there is none to move to or the handshake is not confirmed.
    /// </summary>
    public bool SwitchDestinationConnectionId()
    {
        if (!IsHandshakeConfirmed || _closeDeadline is not null || IsTerminated || !_peerIds.TrySwitch(out var retired, out var next))
        {
            return false;
        }

        _destinationConnectionId = next.ConnectionId;
        _pendingControl.Enqueue(new RetireConnectionIdFrame(retired));
        return true;
    }

    /// <summary>Tops the peer up to min(its active_connection_id_limit, <see cref="MaxIssuedConnectionIds"/>) of our IDs.</summary>
    private void IssueConnectionIds()
    {
        if (_peerParameters is null)
        {
            return;
        }

        var target = (int)Math.Min(_peerParameters.ActiveConnectionIdLimit, MaxIssuedConnectionIds);
        foreach (var (sequence, id) in _localIds.IssueUpTo(target, NewConnectionId))
        {
            _binding?.Host.OnConnectionIdIssued(id);
            _pendingControl.Enqueue(new NewConnectionIdFrame(sequence, 0, id, ResetTokenFor(id)));
            Emit(new QuicConnectionIdIssued(sequence, id));
        }
    }

    private void ApplyNewConnectionId(NewConnectionIdFrame frame)
    {
        if (_destinationConnectionId.Length == 0)
        {
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, (ulong)QuicFrameType.NewConnectionId,
                "NEW_CONNECTION_ID from a peer that uses a zero-length connection ID");
        }

        var retire = _peerIds.Receive(frame, _destinationConnectionId, out var switchedTo);
        foreach (var sequence in retire)
        {
            _pendingControl.Enqueue(new RetireConnectionIdFrame(sequence));
        }

        if (switchedTo is not null)
        {
            _destinationConnectionId = switchedTo.ConnectionId;
        }
    }

    private void ApplyRetireConnectionId(RetireConnectionIdFrame frame)
    {
        if (_localIds.Retire(frame.SequenceNumber, _packetDestinationSequence) is not { } retired)
        {
            return;
        }

        _binding?.Host.OnConnectionIdRetired(retired);
        Emit(new QuicConnectionIdRetired(frame.SequenceNumber, retired));
        // RFC 9000 Section 5.1.1: a retirement is a request for a replacement.
        IssueConnectionIds();
    }

    /// <summary>
    /// The stateless reset token for one of our IDs: the endpoint derives it from its key, so it can still reset the
    /// connection after losing it (RFC 9000 Section 10.3.2). Alone, a connection draws it from the system's CSPRNG,
    /// not the seeded Random: the token ends the connection for whoever knows it.
    /// </summary>
    private byte[] ResetTokenFor(ReadOnlySpan<byte> connectionId) =>
        _binding?.Host.ResetTokenFor(connectionId) ?? RandomNumberGenerator.GetBytes(NewConnectionIdFrame.ResetTokenLength);

    /// <summary>RFC 9000 Section 10.3.1: a datagram ending in the token for the ID we send to is a stateless reset.</summary>
    private bool IsStatelessReset(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 21 || _peerIds.CurrentResetToken is not { } token)
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(datagram[^NewConnectionIdFrame.ResetTokenLength..], token))
        {
            return false;
        }

        TerminateWith(new QuicConnectionClosed(true, false, 0, 0, "the peer sent a stateless reset"));
        return true;
    }
}
