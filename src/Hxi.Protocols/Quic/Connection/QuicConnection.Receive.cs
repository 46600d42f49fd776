using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Tls;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial class QuicConnection
{
    private QuicPacketKeys? _nextReceiveKeys;
    private QuicPacketKeys? _previousReceiveKeys;

    // The first packet number the peer protected with the current 1-RTT keys after its key update (-1: none yet).
    private long _receivePhaseStart = -1;

    /// <summary>Feeds one UDP datagram: its packets are decrypted, checked and their frames applied.</summary>
    /// <param name="ecn">The ECN bits of the datagram's IP header (Not-ECT when the driver cannot read them).</param>
    public void ReceiveDatagram(ReadOnlySpan<byte> datagram, TimeSpan now, Ecn.EcnCodepoint ecn = Ecn.EcnCodepoint.NotEct)
    {
        if (IsTerminated || datagram.Length > ScratchLength)
        {
            return;
        }

        _receivingEcn = ecn;

        // Packets are decrypted in place, in a pooled buffer held only for this call: an idle or half-open
        // connection keeps no 64 KB buffers of its own.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ScratchLength);
        try
        {
            ReceiveDatagram(datagram, buffer, now);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReceiveDatagram(ReadOnlySpan<byte> datagram, byte[] buffer, TimeSpan now)
    {
        Statistics.DatagramsReceived++;
        Statistics.BytesReceived += datagram.Length;
        datagram.CopyTo(buffer);
        var memory = buffer.AsMemory(0, datagram.Length);
        if (_closeDeadline is not null)
        {
            OnPacketWhileClosing(now);
            return;
        }

        if (_tracing)
        {
            // The wire view records the datagram with its packet count before any packet is processed.
            var split = QuicDatagram.Split(memory, _sourceConnectionId.Length);
            _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, memory, new QuicDatagramTrace(datagram.Length, split.Packets.Count, _receivingEcn)));
        }

        try
        {
            ReceivePackets(memory, now);
        }
        catch (Exception ex) when (ex is QuicTransportException or TlsAlertException && _options.IgnoreTransportErrors)
        {
            Statistics.PacketsDropped++;
        }
        catch (QuicTransportException ex)
        {
            CloseWithError(ex.Code, ex.FrameType, ex.Reason, now);
        }
        catch (TlsAlertException ex)
        {
            // RFC 9001 Section 4.8: a TLS alert becomes CRYPTO_ERROR 0x100 + the alert.
            CloseWithError((QuicTransportErrorCode)(0x100 + (int)ex.Alert), 0x06, ex.Message, now);
        }
    }

    private void ReceivePacket(QuicPacketHeader header, TimeSpan now)
    {
        switch (header.Type)
        {
            case QuicPacketType.VersionNegotiation:
                ReceiveVersionNegotiation(header, now);
                return;
            case QuicPacketType.Retry:
                ReceiveRetry(header, now);
                return;
            case QuicPacketType.UnsupportedVersion:
                Drop(header, "unsupported packet type or version", now);
                return;
            case QuicPacketType.ZeroRtt when _zeroRttReceiveKeys is null:
                Drop(header, Role == QuicRole.Client ? "a client never receives 0-RTT" : "0-RTT not accepted (no ticket, rejected, or the handshake is over)", now);
                return;
        }

        if (_tls is not null && !AcceptPacketVersion(header, now))
        {
            return;
        }

        var space = header.Type switch
        {
            QuicPacketType.Initial => _spaces[0],
            QuicPacketType.Handshake => _spaces[1],
            _ => _spaces[2],
        };

        if (Role == QuicRole.Server && header.Type == QuicPacketType.Initial && _tls is null)
        {
            // The datagram, not the packet, must be 1200 bytes: a client may coalesce 0-RTT after its Initial.
            if (_receivingDatagramLength < 1200 && header.DatagramOffset == 0)
            {
                Drop(header, "client Initial in a datagram shorter than 1200 bytes (RFC 9000 Section 14.1)", now);
                return;
            }

            // After a Retry the endpoint read the client's original Destination Connection ID from the token.
            var original = _binding?.OriginalDestinationConnectionId ?? header.DestinationConnectionId.ToArray();
            _retrySourceConnectionId = _binding?.RetrySourceConnectionId;
            _version = _originalVersion = header.Version;
            AcceptInitial(header.DestinationConnectionId.Span, header.SourceConnectionId.Span, original, now);
            _idleDeadline = now + _idleTimeout;
        }

        var keys = header.Type == QuicPacketType.ZeroRtt ? _zeroRttReceiveKeys : space.ReceiveKeys;
        if (space.Discarded || keys is null)
        {
            Drop(header, space.Discarded ? "keys for this packet space are discarded" : "keys not available yet", now);
            return;
        }

        _packetDestinationSequence = null;
        if (header.Type == QuicPacketType.OneRtt)
        {
            // Any ID we issued and the peer has not retired is ours (RFC 9000 Section 5.1.1); a stranger may be a reset.
            if (!_localIds.TryFind(header.DestinationConnectionId.Span, out var destination))
            {
                if (!IsStatelessReset(header.Packet.Span))
                {
                    Drop(header, $"Destination Connection ID {QuicConnectionId.Format(header.DestinationConnectionId.Span)} is not one of ours", now);
                }

                return;
            }

            _packetDestinationSequence = destination;
        }

        var packet = MemoryMarshalHelper.AsWritable(header.Packet);
        if (!TryUnprotectInVersion(space, keys, header, packet, out var unprotected))
        {
            if (header.Type == QuicPacketType.OneRtt && IsStatelessReset(header.Packet.Span))
            {
                return;
            }

            Drop(header, "packet could not be decrypted", now);
            return;
        }

        if (unprotected.ReservedBitsSet)
        {
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, 0, "reserved header bits are set after removing protection");
        }

        var packetNumber = (long)unprotected.PacketNumber;
        if (space.Acks.IsDuplicate(packetNumber))
        {
            Drop(header, $"duplicate packet {packetNumber}", now);
            return;
        }

        if (Role == QuicRole.Client && !_receivedFirstPacket && header.Type == QuicPacketType.Initial)
        {
            // The server chose its own connection ID: from now on it is the destination (RFC 9000 Section 7.2).
            _destinationConnectionId = header.SourceConnectionId.ToArray();
        }

        _receivedFirstPacket = true;
        var payload = header.Packet.Slice(unprotected.PayloadOffset, unprotected.PayloadLength);
        List<QuicFrame> frames;
        try
        {
            frames = QuicFrameDecoder.DecodeAll(payload, header.Type == QuicPacketType.ZeroRtt ? QuicPacketSpaces.ZeroRtt : space.Flag);
            ZeroRttPackets += header.Type == QuicPacketType.ZeroRtt ? 1 : 0;
        }
        finally
        {
            Statistics.PacketsReceived++;
        }

        if (_tracing)
        {
            RecordReceived(header, packetNumber, unprotected.KeyPhase, frames);
        }

        var ackEliciting = false;
        foreach (var frame in frames)
        {
            ackEliciting |= frame.IsAckEliciting;
            ApplyFrame(space, frame, now);
            if (_closeDeadline is not null || IsTerminated)
            {
                return;
            }
        }

        CountEcn(space);
        // Our max_ack_delay is the default we advertise (25 ms, RFC 9000 Section 18.2).
        space.Acks.OnPacketReceived(packetNumber, ackEliciting, now, TimeSpan.FromMilliseconds(25));
        _idleDeadline = now + _idleTimeout;

        // A server drops Initial keys once the client proves it has Handshake keys (RFC 9001 Section 4.9.1).
        if (Role == QuicRole.Server && header.Type == QuicPacketType.Handshake)
        {
            DiscardSpace(QuicPacketNumberSpace.Initial, now);
        }

        DriveTls(now);
    }

    private void RecordReceived(QuicPacketHeader header, long packetNumber, bool keyPhase, IReadOnlyList<QuicFrame> frames) =>
        _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, header.Packet,
            new QuicPacketTrace(header.Type, header.Version, header.DestinationConnectionId, header.SourceConnectionId, packetNumber, header.Packet.Length, keyPhase, frames,
                AckDelayExponent: (int)Math.Min(_peerParameters?.AckDelayExponent ?? QuicTransportParameters.DefaultAckDelayExponent, 20))));

    private bool TryUnprotect(QuicPacketSpace space, QuicPacketKeys keys, QuicPacketType type, int packetNumberOffset, Span<byte> packet, out QuicUnprotectedPacket result)
    {
        result = default;
        if (!keys.TryRemoveHeaderProtection(packet, packetNumberOffset, out var pnLength, out var truncated))
        {
            return false;
        }

        var largest = space.Acks.LargestReceived;
        var packetNumber = QuicPacketNumber.Decode(largest < 0 ? null : (ulong)largest, truncated, pnLength);
        var headerLength = packetNumberOffset + pnLength;
        var payloadLength = packet.Length - headerLength - QuicCipherSuites.TagLength;
        if (payloadLength < 0)
        {
            return false;
        }

        result = new QuicUnprotectedPacket(packet[0], packetNumber, pnLength, headerLength, payloadLength);
        if (type != QuicPacketType.OneRtt || result.KeyPhase == keys.KeyPhase)
        {
            return keys.TryDecryptPayload(packet, headerLength, packetNumber)
                || (_previousReceiveKeys is { } previous && TryWithCopy(previous, packet, headerLength, packetNumber));
        }

        // A flipped key phase: the peer started a key update, or the packet is a late one from before ours.
        if (_previousReceiveKeys is { } old && old.KeyPhase == result.KeyPhase && TryWithCopy(old, packet, headerLength, packetNumber))
        {
            // RFC 9001 Section 6.4: old keys are only for packets numbered below the first one of the new phase.
            if (_receivePhaseStart >= 0 && (long)packetNumber > _receivePhaseStart)
            {
                throw new QuicTransportException(QuicTransportErrorCode.KeyUpdateError, 0,
                    $"packet {packetNumber} uses the old keys after packet {_receivePhaseStart} used the new ones");
            }

            return true;
        }

        if (_nextReceiveKeys is { } next && next.TryDecryptPayload(packet, headerLength, packetNumber))
        {
            _receivePhaseStart = (long)packetNumber;
            OnPeerKeyUpdate(space);
            return true;
        }

        return false;
    }

    // A failed AEAD open may scribble on the buffer, so a second attempt works on a copy.
    private static bool TryWithCopy(QuicPacketKeys keys, Span<byte> packet, int headerLength, ulong packetNumber)
    {
        var copy = packet.ToArray();
        if (!keys.TryDecryptPayload(copy, headerLength, packetNumber))
        {
            return false;
        }

        copy.CopyTo(packet);
        return true;
    }

    /// <summary>RFC 9001 Section 6.2: the peer moved to the next keys; we follow with ours.</summary>
    private void OnPeerKeyUpdate(QuicPacketSpace space)
    {
        _previousReceiveKeys = space.ReceiveKeys;
        space.ReceiveKeys = _nextReceiveKeys;
        _nextReceiveKeys = space.ReceiveKeys!.NextGeneration();
        if (space.SendKeys is { } send && send.KeyPhase != space.ReceiveKeys.KeyPhase)
        {
            space.SendKeys = send.NextGeneration();
        }

        Statistics.KeyUpdates++;
        _packetsSinceKeyUpdate = 0;
    }

    private void ReceiveRetry(QuicPacketHeader header, TimeSpan now)
    {
        if (Role != QuicRole.Client || _receivedFirstPacket || _retrySourceConnectionId is not null)
        {
            Drop(header, "unexpected Retry", now);
            return;
        }

        if (!QuicRetryIntegrity.Verify(_originalDestinationConnectionId, header.Packet.Span))
        {
            Drop(header, "Retry integrity tag does not verify", now);
            return;
        }

        _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, header.Packet,
            new QuicPacketTrace(header.Type, header.Version, header.DestinationConnectionId, header.SourceConnectionId, -1, header.Packet.Length, false, [],
                $"Retry: new destination {QuicConnectionId.Format(header.SourceConnectionId.Span)}, token of {header.Token.Length} bytes")));
        // RFC 9000 Section 17.2.5.2: start over with the new connection ID and the token; packet numbers go on.
        _retrySourceConnectionId = header.SourceConnectionId.ToArray();
        _destinationConnectionId = _retrySourceConnectionId;
        _token = header.Token.ToArray();
        InstallInitialKeys(_destinationConnectionId);
        var initial = _spaces[0];
        var sent = initial.CryptoOut.NextNewOffset;
        _loss.DiscardSpace(QuicPacketNumberSpace.Initial, now);
        initial.CryptoOut.OnLost(0, (int)sent, false);
    }

    private void Drop(QuicPacketHeader header, string reason, TimeSpan now)
    {
        Statistics.PacketsDropped++;
        if (!_tracing)
        {
            return; // nobody is watching: a flood of undecryptable packets allocates nothing
        }

        _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, header.Packet,
            new QuicPacketTrace(header.Type, header.Version, header.DestinationConnectionId, header.SourceConnectionId, -1, header.Packet.Length, false, [], $"dropped: {reason}")));
    }
}

/// <summary>Packets are decrypted in place inside the connection's own receive buffer.</summary>
internal static class MemoryMarshalHelper
{
    public static Span<byte> AsWritable(ReadOnlyMemory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(memory).Span;
}
