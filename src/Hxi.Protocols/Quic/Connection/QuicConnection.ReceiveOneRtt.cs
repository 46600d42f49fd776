using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// The receive path of a datagram: packets are parsed one by one as they come, and a 1-RTT packet of bulk frames
/// (PADDING, PING, ACK, STREAM) is handled in place, so a download allocates nothing per packet unless the wire view
/// watches. The rules are the ones <see cref="ReceivePacket"/> and <see cref="QuicFrameDecoder"/> apply; whatever this
/// path does not know goes there.
/// </summary>
public sealed partial class QuicConnection
{
    // Reused for the ranges of each ACK read in place; LossDetector reads them before the next packet.
    private readonly List<(long Smallest, long Largest)> _bulkAckRanges = [];

    /// <summary>
    /// The packets of one datagram (RFC 9000 Section 12.2), as <see cref="QuicDatagram.Split"/> finds them: parsing
    /// stops at the first malformed packet and at one addressed to another connection ID than the first.
    /// </summary>
    private void ReceivePackets(ReadOnlyMemory<byte> datagram, TimeSpan now)
    {
        var connectionIdLength = _sourceConnectionId.Length;
        _receivingDatagramLength = datagram.Length;
        var first = ReadOnlyMemory<byte>.Empty;
        var offset = 0;
        while (offset < datagram.Length)
        {
            var rest = datagram[offset..];
            var span = rest.Span;
            if ((span[0] & 0x80) == 0)
            {
                // A short header runs to the end of the datagram; QuicPacketParser's checks, without its header object.
                if ((span[0] & 0x40) == 0 || rest.Length < 1 + connectionIdLength + 4 + QuicCipherSuites.SampleLength
                    || (offset > 0 && !span.Slice(1, connectionIdLength).SequenceEqual(first.Span)))
                {
                    return;
                }

                ReceiveOneRttPacket(rest, offset, now);
                return;
            }

            if (!QuicPacketParser.TryParse(rest, connectionIdLength, out var header, out _)
                || (offset > 0 && !QuicBytes.Equal(header.DestinationConnectionId, first)))
            {
                return;
            }

            if (offset == 0)
            {
                first = header.DestinationConnectionId;
            }

            ReceivePacket(header with { DatagramOffset = offset }, now);
            if (IsTerminated || _closeDeadline is not null)
            {
                return;
            }

            offset += header.Packet.Length;
        }
    }

    /// <summary><see cref="ReceivePacket"/> for a 1-RTT packet, with its header object made only to report a drop.</summary>
    private void ReceiveOneRttPacket(ReadOnlyMemory<byte> packet, int datagramOffset, TimeSpan now)
    {
        var space = _spaces[(int)QuicPacketNumberSpace.ApplicationData];
        if (space.Discarded || space.ReceiveKeys is null)
        {
            Drop(ShortHeader(packet, datagramOffset), space.Discarded ? "keys for this packet space are discarded" : "keys not available yet", now);
            return;
        }

        var packetNumberOffset = 1 + _sourceConnectionId.Length;
        _packetDestinationSequence = null;
        if (!_localIds.TryFind(packet.Span[1..packetNumberOffset], out var destination))
        {
            if (!IsStatelessReset(packet.Span))
            {
                Drop(ShortHeader(packet, datagramOffset),
                    $"Destination Connection ID {QuicConnectionId.Format(packet.Span[1..packetNumberOffset])} is not one of ours", now);
            }

            return;
        }

        _packetDestinationSequence = destination;
        var writable = MemoryMarshalHelper.AsWritable(packet);
        if (!TryUnprotect(space, space.ReceiveKeys!, QuicPacketType.OneRtt, packetNumberOffset, writable, out var unprotected))
        {
            if (!IsStatelessReset(packet.Span))
            {
                Drop(ShortHeader(packet, datagramOffset), "packet could not be decrypted", now);
            }

            return;
        }

        if (unprotected.ReservedBitsSet)
        {
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, 0, "reserved header bits are set after removing protection");
        }

        var packetNumber = (long)unprotected.PacketNumber;
        if (space.Acks.IsDuplicate(packetNumber))
        {
            Drop(ShortHeader(packet, datagramOffset), $"duplicate packet {packetNumber}", now);
            return;
        }

        _receivedFirstPacket = true;
        var payload = packet.Slice(unprotected.PayloadOffset, unprotected.PayloadLength);
        bool ackEliciting;
        if (IsBulkPayload(payload.Span))
        {
            Statistics.PacketsReceived++;
            if (_tracing)
            {
                // Frames the bulk reader accepts, the decoder accepts too (QuicBulkFrameReaderTests): this cannot throw.
                RecordReceived(ShortHeader(packet, datagramOffset), packetNumber, unprotected.KeyPhase, QuicFrameDecoder.DecodeAll(payload, space.Flag));
            }

            // The bulk reader takes only PADDING, PING, ACK and STREAM: any byte but PADDING's zero is a non-probing frame,
            // and the scan stops at the first one (the frame type of a packet that is not all padding).
            OnPacketProbingKnown(packetNumber, payload.Span.ContainsAnyExcept((byte)0));
            if (!ApplyBulkFrames(space, payload.Span, now, out ackEliciting))
            {
                return;
            }
        }
        else
        {
            List<QuicFrame> frames;
            try
            {
                frames = QuicFrameDecoder.DecodeAll(payload, space.Flag);
            }
            finally
            {
                Statistics.PacketsReceived++;
            }

            if (_tracing)
            {
                RecordReceived(ShortHeader(packet, datagramOffset), packetNumber, unprotected.KeyPhase, frames);
            }

            OnPacketProbingKnown(packetNumber, HasNonProbingFrame(frames));
            ackEliciting = false;
            foreach (var frame in frames)
            {
                ackEliciting |= frame.IsAckEliciting;
                ApplyFrame(space, frame, now);
                if (_closeDeadline is not null || IsTerminated)
                {
                    return;
                }
            }
        }

        CountEcn(space);
        space.Acks.OnPacketReceived(packetNumber, ackEliciting, now, TimeSpan.FromMilliseconds(25));
        _idleDeadline = now + _idleTimeout;
        DriveTls(now);
    }

    /// <summary>Whether every frame is a well-formed bulk frame: checked in full first, as the decoder does before any frame acts.</summary>
    private static bool IsBulkPayload(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        var reader = new QuicBulkFrameReader(payload);
        while (reader.TryRead(out _))
        {
        }

        return !reader.GaveUp;
    }

    /// <summary>Applies the frames <see cref="IsBulkPayload"/> accepted; false when one of them closed the connection.</summary>
    private bool ApplyBulkFrames(QuicPacketSpace space, ReadOnlySpan<byte> payload, TimeSpan now, out bool ackEliciting)
    {
        ackEliciting = false;
        var reader = new QuicBulkFrameReader(payload);
        while (reader.TryRead(out var frame))
        {
            ackEliciting |= frame.IsAckEliciting;
            if (frame.IsStream)
            {
                ApplyStream(frame.StreamId, frame.Offset, payload.Slice(frame.DataOffset, frame.DataLength), frame.Fin);
            }
            else if (frame.IsAck)
            {
                reader.CopyAckRanges(frame, _bulkAckRanges);
                ApplyAck(space, frame.TypeCode, frame.Largest, frame.AckDelay, _bulkAckRanges, frame.EcnCounts, now);
            }

            if (_closeDeadline is not null || IsTerminated)
            {
                return false;
            }
        }

        return true;
    }

    private QuicPacketHeader ShortHeader(ReadOnlyMemory<byte> packet, int datagramOffset) =>
        QuicPacketParser.TryParse(packet, _sourceConnectionId.Length, out var header, out _)
            ? header with { DatagramOffset = datagramOffset }
            : throw new InvalidOperationException("a short header that parsed before no longer parses");
}
