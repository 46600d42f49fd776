using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Quic.Streams;

namespace Hxi.Protocols.Tests.QuicRecovery;

public class StreamBufferTests
{
    [Fact]
    public void SendBuffer_ResendsLostRanges_BeforeNewData()
    {
        var buffer = new SendBuffer();
        buffer.Write(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray(), fin: true);
        var frame = new byte[40];
        Assert.True(buffer.TryTakeFrame(40, long.MaxValue, frame, out var o1, out var l1, out var f1));
        Assert.True(buffer.TryTakeFrame(40, long.MaxValue, frame, out var o2, out var l2, out _));
        Assert.Equal((0L, 40, false), (o1, l1, f1));
        Assert.Equal((40L, 40), (o2, l2));
        buffer.OnLost(0, 40, false);
        buffer.OnAcknowledged(40, 40, false);

        Assert.True(buffer.TryTakeFrame(40, long.MaxValue, frame, out var o3, out var l3, out _));
        Assert.Equal((0L, 40), (o3, l3));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (byte)i), frame.Take(40));
        Assert.True(buffer.TryTakeFrame(40, long.MaxValue, frame, out var o4, out var l4, out var f4));
        Assert.Equal((80L, 20, true), (o4, l4, f4));
        Assert.False(buffer.TryTakeFrame(40, long.MaxValue, frame, out _, out _, out _));

        buffer.OnAcknowledged(0, 40, false);
        buffer.OnAcknowledged(80, 20, true);
        Assert.True(buffer.IsFullyAcknowledged);
        Assert.Equal(0, buffer.BufferedBytes);
    }

    /// <summary>
    /// Writes of many sizes, the first ones small (a chunk sized to the write, grown to a full one when more comes):
    /// every byte goes out once, in order, across the 16 KB chunk boundaries, and a lost range is read back intact.
    /// </summary>
    [Theory]
    [InlineData(new[] { 10, 20_000, 5 })]
    [InlineData(new[] { 1, 1, 1, 16_381, 1, 40_000 })]
    [InlineData(new[] { 16_384, 3, 16_384 })]
    public void SendBuffer_SmallFirstWrites_ThenLargeOnes_SendEveryByteInOrder(int[] writes)
    {
        var buffer = new SendBuffer();
        var total = writes.Sum();
        var expected = Enumerable.Range(0, total).Select(i => (byte)(i * 7)).ToArray();
        var written = 0;
        foreach (var length in writes)
        {
            buffer.Write(expected.AsSpan(written, length), fin: written + length == total);
            written += length;
        }

        var sent = new byte[total];
        var frame = new byte[1_500];
        while (buffer.TryTakeFrame(frame.Length, long.MaxValue, frame, out var offset, out var length, out _) && length > 0)
        {
            frame.AsSpan(0, length).CopyTo(sent.AsSpan((int)offset));
        }

        Assert.Equal(expected, sent);
        buffer.OnLost(16_000, 1_000, false);
        Assert.True(buffer.TryTakeFrame(1_000, long.MaxValue, frame, out var again, out var againLength, out _));
        Assert.Equal((16_000L, 1_000), (again, againLength));
        Assert.Equal(expected.AsSpan(16_000, 1_000).ToArray(), frame.AsSpan(0, 1_000).ToArray());
    }

    [Fact]
    public void SendBuffer_AllAcknowledged_GivesItsBytesBack_AndStaysFinished()
    {
        var buffer = new SendBuffer();
        buffer.Write(new byte[30], fin: true);
        var frame = new byte[100];
        Assert.True(buffer.TryTakeFrame(100, long.MaxValue, frame, out _, out var length, out var fin));
        Assert.Equal((30, true), (length, fin));

        buffer.OnAcknowledged(0, 30, true);

        Assert.True(buffer.IsFullyAcknowledged);
        Assert.Equal(0, buffer.BufferedBytes);
        Assert.Equal(30, buffer.WrittenEnd);
        Assert.False(buffer.TryTakeFrame(100, long.MaxValue, frame, out _, out _, out _));
    }

    [Fact]
    public void SendBuffer_StopsAtTheFlowControlLimit()
    {
        var buffer = new SendBuffer();
        buffer.Write(new byte[100], fin: false);
        var frame = new byte[100];
        Assert.True(buffer.TryTakeFrame(100, 30, frame, out _, out var length, out _));
        Assert.Equal(30, length);
        Assert.False(buffer.HasDataToSend(30));
        Assert.True(buffer.HasDataToSend(31));
    }

    [Fact]
    public void SendBuffer_LostFinAlone_IsSentAgain()
    {
        var buffer = new SendBuffer();
        buffer.Write([], fin: true);
        var frame = new byte[10];
        Assert.True(buffer.TryTakeFrame(10, 0, frame, out _, out var length, out var fin));
        Assert.Equal((0, true), (length, fin));
        buffer.OnLost(0, 0, true);
        Assert.True(buffer.TryTakeFrame(10, 0, frame, out _, out _, out var again));
        Assert.True(again);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void ReceiveBuffer_ReassemblesReorderedOverlappingFrames(int pieceSize)
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var pieces = new List<(int Offset, int Length)>();
        for (var offset = 0; offset < data.Length; offset += pieceSize)
        {
            pieces.Add((offset, Math.Min(pieceSize + 3, data.Length - offset)));   // overlaps by 3
        }

        var random = new Random(pieceSize);
        var buffer = new ReceiveBuffer();
        var output = new List<byte>();
        foreach (var (offset, length) in pieces.OrderBy(_ => random.Next()))
        {
            buffer.Receive(offset, data.AsSpan(offset, length), fin: offset + length == data.Length);
            var chunk = new byte[64];
            int read;
            while ((read = buffer.Read(chunk)) > 0)
            {
                output.AddRange(chunk.Take(read));
            }
        }

        Assert.Equal(data, output);
        Assert.True(buffer.IsComplete);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReceiveBuffer_MostlyInOrderWithLossAndDuplicates_PartialReads_DeliversEveryByteOnce(int seed)
    {
        // The shape of a real download: 1,200-byte frames, one in twenty held back and resent later, some sent
        // twice, and a reader that takes odd amounts, so the contiguous buffer must grow, compact and refill.
        var random = new Random(seed);
        var data = new byte[300_000];
        random.NextBytes(data);
        var frames = new List<(int Offset, int Length)>();
        var resend = new List<(int Offset, int Length)>();
        for (var offset = 0; offset < data.Length; offset += 1200)
        {
            var frame = (offset, Math.Min(1200, data.Length - offset));
            if (random.Next(20) == 0)
            {
                resend.Add(frame);
                continue;
            }

            frames.Add(frame);
            if (random.Next(30) == 0)
            {
                frames.Add(frame);
            }

            if (resend.Count > 0 && random.Next(10) == 0)
            {
                frames.Add(resend[0]);
                resend.RemoveAt(0);
            }
        }

        frames.AddRange(resend);
        var buffer = new ReceiveBuffer();
        var output = new MemoryStream();
        var chunk = new byte[5000];
        foreach (var (offset, length) in frames)
        {
            buffer.Receive(offset, data.AsSpan(offset, length), fin: offset + length == data.Length);
            var read = buffer.Read(chunk.AsSpan(0, random.Next(1, chunk.Length)));
            output.Write(chunk, 0, read);
        }

        int rest;
        while ((rest = buffer.Read(chunk)) > 0)
        {
            output.Write(chunk, 0, rest);
        }

        Assert.Equal(data, output.ToArray());
        Assert.True(buffer.IsComplete);
        Assert.Equal(0, buffer.BufferedOutOfOrder);
        Assert.Equal(0, buffer.ReadableBytes);
    }

    [Fact]
    public void Rfc9000_4_5_DataPastTheFinalSize_IsAnError()
    {
        var buffer = new ReceiveBuffer();
        buffer.Receive(0, new byte[10], fin: true);
        Assert.Throws<QuicStreamDataException>(() => buffer.Receive(5, new byte[10], fin: false));
        Assert.Throws<QuicStreamDataException>(() => buffer.Receive(0, new byte[5], fin: true));
        Assert.Throws<QuicStreamDataException>(() => buffer.Reset(11));
    }

    [Fact]
    public void Rfc9000_4_5_FinalSizeBelowReceivedData_IsAnError()
    {
        var buffer = new ReceiveBuffer();
        buffer.Receive(0, new byte[20], fin: false);
        Assert.Throws<QuicStreamDataException>(() => buffer.Receive(0, new byte[10], fin: true));
    }

    [Fact]
    public void ReceiveCredit_AnnouncesANewLimit_AtHalfTheWindow()
    {
        var credit = new ReceiveCredit(1000);
        Assert.True(credit.TryReceive(1000));
        Assert.False(credit.TryReceive(1001));
        Assert.Null(credit.OnConsumed(400));
        Assert.Equal(1500, credit.OnConsumed(100));
    }

    [Fact]
    public void AckTracker_AcksHandshakePacketsAtOnce_AndEverySecondApplicationPacket()
    {
        var initial = new AckTracker(QuicPacketNumberSpace.Initial);
        initial.OnPacketReceived(0, true, TimeSpan.Zero, TimeSpan.FromMilliseconds(25));
        Assert.True(initial.AckNow);

        var app = new AckTracker(QuicPacketNumberSpace.ApplicationData);
        app.OnPacketReceived(0, true, TimeSpan.Zero, TimeSpan.FromMilliseconds(25));
        Assert.False(app.AckNow);
        Assert.Equal(TimeSpan.FromMilliseconds(25), app.AckDeadline);
        app.OnPacketReceived(1, true, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(25));
        Assert.True(app.AckNow);
    }

    [Fact]
    public void AckTracker_BuildsRangesLargestFirst_AndSpotsDuplicates()
    {
        var tracker = new AckTracker(QuicPacketNumberSpace.ApplicationData);
        foreach (var pn in new long[] { 0, 1, 2, 5, 6, 9 })
        {
            tracker.OnPacketReceived(pn, true, TimeSpan.FromMilliseconds(pn), TimeSpan.FromMilliseconds(25));
        }

        var (ranges, delay) = tracker.BuildAck(TimeSpan.FromMilliseconds(12));
        Assert.Equal([(9L, 9L), (5L, 6L), (0L, 2L)], ranges);
        Assert.Equal(TimeSpan.FromMilliseconds(3), delay);
        Assert.True(tracker.IsDuplicate(5));
        Assert.False(tracker.IsDuplicate(7));
    }
}
