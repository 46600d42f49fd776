using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>The bookkeeping behind NEW_CONNECTION_ID and RETIRE_CONNECTION_ID, fed hostile and repeated frames directly.</summary>
public class ConnectionIdSetTests
{
    private static readonly byte[] InUse = [0xc0, 0, 0, 0, 0, 0, 0, 0];

    private static NewConnectionIdFrame NewId(ulong sequence, ulong retirePriorTo = 0, byte? first = null) =>
        new(sequence, retirePriorTo, new byte[] { first ?? (byte)sequence, 1, 2, 3, 4, 5, 6, 7 }, Enumerable.Repeat((byte)sequence, 16).ToArray());

    [Fact]
    public void Rfc9000_19_15_ARepeatedFrame_ChangesNothing()
    {
        var ids = new PeerConnectionIdSet(limit: 4);
        Assert.Empty(ids.Receive(NewId(1), InUse, out _));
        Assert.Empty(ids.Receive(NewId(1), InUse, out var switched));
        Assert.Null(switched);
        Assert.Equal(2, ids.ActiveCount);
    }

    [Theory]
    [InlineData(1UL, 2)]   // sequence 1 again, with another ID
    [InlineData(2UL, 1)]   // sequence 1's ID again, as sequence 2
    public void Rfc9000_19_15_ASequenceOrIdIssuedTwiceDifferently_IsProtocolViolation(ulong sequence, byte first)
    {
        var ids = new PeerConnectionIdSet(limit: 4);
        ids.Receive(NewId(1), InUse, out _);
        var error = Assert.Throws<QuicTransportException>(() => ids.Receive(NewId(sequence, first: first), InUse, out _));
        Assert.Equal(QuicTransportErrorCode.ProtocolViolation, error.Code);
    }

    [Fact]
    public void Rfc9000_19_15_TheIdInUse_UnderAnotherSequence_IsProtocolViolation()
    {
        var ids = new PeerConnectionIdSet(limit: 4);
        var frame = new NewConnectionIdFrame(1, 0, InUse, new byte[16]);
        Assert.Equal(QuicTransportErrorCode.ProtocolViolation, Assert.Throws<QuicTransportException>(() => ids.Receive(frame, InUse, out _)).Code);
    }

    [Fact]
    public void Rfc9000_5_1_2_RetirePriorTo_RetiresOlderIds_AndMovesOffTheOneInUse()
    {
        var ids = new PeerConnectionIdSet(limit: 4);
        ids.Receive(NewId(1), InUse, out _);
        ids.Receive(NewId(2), InUse, out _);

        var retire = ids.Receive(NewId(3, retirePriorTo: 2), InUse, out var switched);

        Assert.Equal([1UL, 0UL], retire);
        Assert.Equal(2UL, switched!.Sequence);
        Assert.Equal(2UL, ids.CurrentSequence);
        Assert.Equal(Enumerable.Repeat((byte)2, 16), ids.CurrentResetToken!);
        Assert.Equal([3UL], ids.Unused.Keys);
        Assert.Equal(2, ids.RetirementsOutstanding);
    }

    [Fact]
    public void Rfc9000_19_15_AnIdBelowRetirePriorTo_IsRetiredOnArrival()
    {
        var ids = new PeerConnectionIdSet(limit: 4);
        ids.Receive(NewId(5, retirePriorTo: 3), InUse, out _);

        // Sequence 2 was reordered behind the frame that retired it.
        Assert.Equal([2UL], ids.Receive(NewId(2), [5, 1, 2, 3, 4, 5, 6, 7], out _));
        Assert.Equal(5UL, ids.CurrentSequence);
        Assert.Empty(ids.Unused);
    }

    [Fact]
    public void Rfc9000_5_1_1_MoreActiveIdsThanTheLimit_IsConnectionIdLimitError()
    {
        var ids = new PeerConnectionIdSet(limit: 2);
        ids.Receive(NewId(1), InUse, out _);
        var error = Assert.Throws<QuicTransportException>(() => ids.Receive(NewId(2), InUse, out _));
        Assert.Equal(QuicTransportErrorCode.ConnectionIdLimitError, error.Code);
    }

    [Fact]
    public void Rfc9000_5_1_1_RetiringToMakeRoom_StaysWithinTheLimit()
    {
        var ids = new PeerConnectionIdSet(limit: 2);
        ids.Receive(NewId(1), InUse, out _);
        // Two active (0 and 1) is the limit; sequence 2 comes with the retirement of both.
        ids.Receive(NewId(2, retirePriorTo: 2), InUse, out var switched);
        Assert.Equal(2UL, switched!.Sequence);
        Assert.Equal(1, ids.ActiveCount);
    }

    [Fact]
    public void Rfc9000_5_1_2_UnacknowledgedRetirements_AreBounded()
    {
        var ids = new PeerConnectionIdSet(limit: 2);
        var current = InUse;
        // Each frame retires everything before it; nothing is acknowledged, so retirements pile up.
        var error = Assert.Throws<QuicTransportException>(() =>
        {
            for (var sequence = 1UL; sequence < 100; sequence++)
            {
                ids.Receive(NewId(sequence, retirePriorTo: sequence), current, out var switched);
                current = switched!.ConnectionId;
            }
        });
        Assert.Equal(QuicTransportErrorCode.ConnectionIdLimitError, error.Code);
        Assert.True(ids.CurrentSequence <= (ulong)ids.MaxRetirementsOutstanding + 1);
    }

    [Fact]
    public void Rfc9000_5_1_2_AcknowledgedRetirements_MakeRoomAgain()
    {
        var ids = new PeerConnectionIdSet(limit: 2);
        var current = InUse;
        for (var sequence = 1UL; sequence < 100; sequence++)
        {
            foreach (var retired in ids.Receive(NewId(sequence, retirePriorTo: sequence), current, out var switched))
            {
                ids.OnRetireAcknowledged(retired);
                current = switched!.ConnectionId;
            }
        }

        Assert.Equal(99UL, ids.CurrentSequence);
        Assert.Equal(0, ids.RetirementsOutstanding);
    }

    [Fact]
    public void Switching_TakesTheLowestUnusedId_AndRetiresTheOneInUse()
    {
        var ids = new PeerConnectionIdSet(limit: 4);
        ids.Receive(NewId(3), InUse, out _);
        ids.Receive(NewId(1), InUse, out _);
        Assert.True(ids.TrySwitch(out var retired, out var next));
        Assert.Equal(0UL, retired);
        Assert.Equal(1UL, next.Sequence);
        Assert.True(ids.TrySwitch(out retired, out next));
        Assert.Equal((1UL, 3UL), (retired, next.Sequence));
        Assert.False(ids.TrySwitch(out _, out _));
    }

    [Fact]
    public void LocalIds_AreIssuedUpToTheTarget_WithIncreasingSequenceNumbers()
    {
        var ids = new LocalConnectionIdSet([1, 1, 1, 1]);
        var next = (byte)2;
        var issued = ids.IssueUpTo(3, length => Enumerable.Repeat(next++, length).ToArray());
        Assert.Equal([1UL, 2UL], issued.Select(i => i.Sequence));
        Assert.Empty(ids.IssueUpTo(3, _ => throw new InvalidOperationException("nothing to issue")));
        Assert.True(ids.TryFind([3, 3, 3, 3], out var sequence));
        Assert.Equal(2UL, sequence);
    }

    [Fact]
    public void LocalIds_NeverRepeatAnActiveId()
    {
        var ids = new LocalConnectionIdSet([7, 7]);
        var candidates = new Queue<byte[]>([[7, 7], [7, 7], [8, 8]]);
        var issued = Assert.Single(ids.IssueUpTo(2, _ => candidates.Dequeue()));
        Assert.Equal([8, 8], issued.ConnectionId);
    }

    [Fact]
    public void LocalIds_RetiredOnce_AreForgotten_AndARepeatIsHarmless()
    {
        var ids = new LocalConnectionIdSet([1, 1, 1, 1]);
        ids.IssueUpTo(2, length => new byte[length]);
        Assert.Equal([1, 1, 1, 1], ids.Retire(0, packetDestination: 1));
        Assert.Null(ids.Retire(0, packetDestination: 1));
        Assert.False(ids.TryFind([1, 1, 1, 1], out _));
    }

    [Fact]
    public void LocalIds_ZeroLength_IssueNothing_AndRefuseRetirement()
    {
        var ids = new LocalConnectionIdSet([]);
        Assert.Empty(ids.IssueUpTo(4, _ => throw new InvalidOperationException("zero-length IDs are never replaced")));
        Assert.True(ids.TryFind([], out _));
        Assert.Equal(QuicTransportErrorCode.ProtocolViolation, Assert.Throws<QuicTransportException>(() => ids.Retire(0, null)).Code);
    }
}
