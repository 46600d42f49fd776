using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial class QuicConnection
{
    private const int MinimumInitialDatagram = 1200;

    // Room a packet's header and AEAD tag can take at most, so frames are sized before the header is known.
    private const int LongHeaderOverhead = 1 + 4 + 1 + 20 + 1 + 20 + 2 + 4 + QuicCipherSuites.TagLength;

    /// <summary>The largest UDP payload: what the pooled receive and send scratch buffers hold.</summary>
    private const int ScratchLength = 65_536;

    // Rented from the pool for the length of one WriteDatagram call (see ReceiveDatagram for why).
    private byte[] _payloadScratch = [];
    private byte[] _dataScratch = [];
    private readonly List<PlannedPacket> _planned = new(3);
    private long _packetsSinceKeyUpdate;
    private long _keyPhaseFirstPacket;
    private long _bytesSentBeforeValidation;
    private int _streamCursor;
    private readonly List<QuicStream> _sendCandidates = [];

    // The codepoint of the datagram WriteDatagram is writing (ECT(0) only for 1-RTT packets on a path ECN is tried on).
    private Ecn.EcnCodepoint _sendingEcn;

    /// <summary>Writes the next UDP datagram into <paramref name="destination"/>; returns 0 when there is nothing to send now.</summary>
    public int WriteDatagram(Span<byte> destination, TimeSpan now) => WriteDatagram(destination, now, out _);

    /// <summary>
    /// <see cref="WriteDatagram(Span{byte}, TimeSpan)"/>, and the ECN codepoint the datagram must carry in its IP header
    /// (always Not-ECT unless <see cref="QuicConnectionOptions.EcnMarking"/> is on).
    /// </summary>
    public int WriteDatagram(Span<byte> destination, TimeSpan now, out Ecn.EcnCodepoint ecn)
    {
        ecn = Ecn.EcnCodepoint.NotEct;
        if (IsTerminated)
        {
            return 0;
        }

        var pool = System.Buffers.ArrayPool<byte>.Shared;
        _payloadScratch = pool.Rent(ScratchLength);
        _dataScratch = pool.Rent(ScratchLength);
        try
        {
            _sendingEcn = Ecn.EcnCodepoint.NotEct;
            var length = WriteDatagramWithScratch(destination, now);
            ecn = length > 0 ? _sendingEcn : Ecn.EcnCodepoint.NotEct;
            return length;
        }
        finally
        {
            pool.Return(_payloadScratch);
            pool.Return(_dataScratch);
            _payloadScratch = [];
            _dataScratch = [];
        }
    }

    private int WriteDatagramWithScratch(Span<byte> destination, TimeSpan now)
    {
        var limit = Math.Min(destination.Length, IsHandshakeConfirmed ? _options.MaxDatagramSize : MinimumInitialDatagram);
        if (!AddressValidated)
        {
            // RFC 9000 Section 8.1: three times what the client sent, until its address is validated.
            limit = (int)Math.Min(limit, AmplificationBudget);
            if (limit < 64)
            {
                return 0;
            }
        }

        limit = LimitForUnvalidatedPath(limit);
        if (limit < 64)
        {
            return 0;
        }

        if (_closeDeadline is not null)
        {
            return WriteClose(destination[..limit], now);
        }

        var mayElicit = MaySendAckEliciting(now, limit);
        _planned.Clear();
        var used = 0;
        var payloadOffset = 0;
        var paddingNeeded = false;
        foreach (var space in _spaces)
        {
            if (space.Discarded || (space.SendKeys is null && !(space.Space == QuicPacketNumberSpace.ApplicationData && IsSendingEarlyData)))
            {
                continue;
            }

            var room = limit - used - PacketOverhead(space);
            if (room < 32)
            {
                break;
            }

            var planned = PlanPacket(space, payloadOffset, room, mayElicit || space.ProbesWanted > 0, now);
            if (planned is null)
            {
                continue;
            }

            _planned.Add(planned);
            payloadOffset += planned.PayloadLength;
            used += planned.PayloadLength + PacketOverhead(space);
            paddingNeeded |= space.Space == QuicPacketNumberSpace.Initial && planned.AckEliciting;
        }

        if (_planned.Count == 0)
        {
            return 0;
        }

        // RFC 9000 Sections 8.2.1 and 8.2.2: a datagram with PATH_CHALLENGE or PATH_RESPONSE is expanded to 1200 bytes
        // (which also tests the path's MTU), unless the amplification limit leaves less room; then to that limit.
        var padTo = paddingNeeded ? MinimumInitialDatagram : CarriesPathProbe() ? Math.Min(MinimumInitialDatagram, limit) : 0;
        return WritePlanned(destination, padTo, now);
    }

    private bool CarriesPathProbe()
    {
        foreach (var planned in _planned)
        {
            foreach (var frame in planned.Sent)
            {
                if (frame is SentControl { Frame: PathChallengeFrame or PathResponseFrame })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A server knows the client's address once a Handshake packet from it decrypts (Initial keys are then discarded,
    /// RFC 9000 Section 8.1) or a Retry token proved it; a client never limits itself.
    /// </summary>
    private bool AddressValidated => Role == QuicRole.Client || _spaces[0].Discarded || _binding?.AddressValidated == true;

    /// <summary>What may still be sent before the address is validated: three times the bytes received, less those sent.</summary>
    private long AmplificationBudget => (Statistics.BytesReceived * 3) - _bytesSentBeforeValidation;

    private bool MaySendAckEliciting(TimeSpan now, int size)
    {
        if (_congestion.Available < size)
        {
            return false;
        }

        return _pacer.TimeUntilSend(now, size, _congestion.CongestionWindow, _rtt.SmoothedRtt) == TimeSpan.Zero;
    }

    /// <summary>Header and tag room: a short header for 1-RTT, a long one otherwise (0-RTT included, which has no token).</summary>
    private int PacketOverhead(QuicPacketSpace space) =>
        space.Space == QuicPacketNumberSpace.ApplicationData && space.SendKeys is not null
            ? 1 + _destinationConnectionId.Length + 4 + QuicCipherSuites.TagLength
            : LongHeaderOverhead + _token.Length;

    private sealed record PlannedPacket(QuicPacketSpace Space, int PayloadStart, int PayloadLength, List<SentFrame> Sent, List<QuicFrame>? Frames, bool AckEliciting, bool HasAck);

    private PlannedPacket? PlanPacket(QuicPacketSpace space, int payloadStart, int room, bool mayElicit, TimeSpan now)
    {
        var payload = _payloadScratch.AsSpan(payloadStart, room);
        var written = 0;
        var sent = new List<SentFrame>();
        // The frames as records are kept only for the wire view; untraced, a packet is its bytes and its SentFrames.
        var frames = _tracing ? new List<QuicFrame>() : null;
        var ackEliciting = false;
        var hasAck = false;
        var appSpace = space.Space == QuicPacketNumberSpace.ApplicationData;

        // 0-RTT packets carry no ACK (RFC 9000 Section 12.4): only a space with its own keys acknowledges.
        var ackDue = space.Acks.HasSomethingToAck && space.SendKeys is not null
            && (!appSpace || space.Acks.AckNow || (space.Acks.AckDeadline is { } deadline && deadline <= now) || mayElicit);
        if (ackDue)
        {
            var (ranges, delay) = space.Acks.BuildAck(now);
            // We advertise the default ack_delay_exponent (3), so the delay goes out in units of 8 µs.
            const int exponent = 3;
            // ACK_ECN (type 0x03) once a marked packet arrived in this space (RFC 9000 Section 13.4.1).
            var ack = new AckFrame(appSpace ? (ulong)(delay.TotalMicroseconds / (1 << exponent)) : 0, ranges.Select(r => new QuicAckRange((ulong)r.Smallest, (ulong)r.Largest)).ToList(),
                _ecnReceived[(int)space.Space].ForAck());
            if (TryAdd(ack, payload, ref written, frames))
            {
                hasAck = true;
                sent.Add(new SentAck(ranges[0].Largest));
            }
        }

        if (mayElicit)
        {
            while (space.CryptoOut.HasDataToSend(long.MaxValue) && payload.Length - written > 24)
            {
                var max = payload.Length - written - 16;
                if (!space.CryptoOut.TryTakeFrame(max, long.MaxValue, _dataScratch, out var offset, out var length, out _) || length == 0)
                {
                    break;
                }

                var crypto = new CryptoFrame((ulong)offset, _dataScratch.AsMemory(0, length));
                if (!TryAdd(crypto, payload, ref written, frames))
                {
                    space.CryptoOut.OnLost(offset, length, false);
                    break;
                }

                sent.Add(new SentCryptoRange((int)space.Space, offset, length));
                ackEliciting = true;
            }

            if (appSpace && (IsHandshakeComplete || IsSendingEarlyData))
            {
                ackEliciting |= PlanControlFrames(payload, ref written, sent, frames);
                ackEliciting |= PlanStreamFrames(payload, ref written, sent, frames);
            }

            if (space.ProbesWanted > 0)
            {
                space.ProbesWanted--;
                if (!ackEliciting && TryAdd(new PingFrame(), payload, ref written, frames))
                {
                    ackEliciting = true;
                }
            }
        }

        if (written == 0)
        {
            return null;
        }

        return new PlannedPacket(space, payloadStart, written, sent, frames, ackEliciting, hasAck);
    }

    private bool PlanControlFrames(Span<byte> payload, ref int written, List<SentFrame> sent, List<QuicFrame>? frames)
    {
        var any = false;
        var count = _pendingControl.Count;
        for (var i = 0; i < count && payload.Length - written > 16; i++)
        {
            var frame = _pendingControl.Dequeue();
            if (!TryAdd(frame, payload, ref written, frames))
            {
                _pendingControl.Enqueue(frame);
                continue;
            }

            sent.Add(new SentControl(frame));
            any |= frame.IsAckEliciting;
        }

        return any;
    }

    private bool PlanStreamFrames(Span<byte> payload, ref int written, List<SentFrame> sent, List<QuicFrame>? frames)
    {
        if (_streams.Count == 0)
        {
            return false;
        }

        var any = false;
        // A snapshot in a reused list: this runs for every packet, and the dictionary may change under the loop.
        var streams = _sendCandidates;
        streams.Clear();
        streams.AddRange(_streams.Values);
        for (var i = 0; i < streams.Count && payload.Length - written > 32; i++)
        {
            var stream = streams[(i + _streamCursor) % streams.Count];
            if (!stream.CanSend || stream.ResetSent is not null)
            {
                continue;
            }

            // New bytes need both stream and connection credit; retransmissions need neither.
            var newAllowance = Math.Min(stream.SendCredit.Limit, stream.Send.NextNewOffset + _connectionSendCredit.Available);
            while (stream.Send.HasDataToSend(newAllowance) && payload.Length - written > 32)
            {
                var max = payload.Length - written - 24;
                var before = stream.Send.NextNewOffset;
                if (!stream.Send.TryTakeFrame(max, newAllowance, _dataScratch, out var offset, out var length, out var fin))
                {
                    break;
                }

                var frame = new StreamFrame((ulong)stream.Id, (ulong)offset, _dataScratch.AsMemory(0, length), fin);
                if (!TryAdd(frame, payload, ref written, frames))
                {
                    stream.Send.OnLost(offset, length, fin);
                    break;
                }

                var fresh = stream.Send.NextNewOffset - before;
                _connectionSendCredit.Consume(fresh);
                stream.SendCredit.Consume(fresh);
                sent.Add(new SentStreamRange(stream.Id, offset, length, fin));
                any = true;
                newAllowance = Math.Min(stream.SendCredit.Limit, stream.Send.NextNewOffset + _connectionSendCredit.Available);
            }
        }

        _streamCursor++;
        return any;
    }

    private static bool TryAdd(QuicFrame frame, Span<byte> payload, ref int written, List<QuicFrame>? frames)
    {
        if (!frame.TryWrite(payload[written..], out var length))
        {
            return false;
        }

        written += length;
        frames?.Add(frame);
        return true;
    }

    /// <summary>Writes the planned packets; the last one is padded so the datagram is at least <paramref name="padTo"/> bytes.</summary>
    private int WritePlanned(Span<byte> destination, int padTo, TimeSpan now)
    {
        _sendingEcn = EcnForPlannedDatagram();
        var offset = 0;
        var traces = _tracing ? new List<(int Start, int Length, QuicPacketTrace Trace)>(_planned.Count) : null;
        for (var i = 0; i < _planned.Count; i++)
        {
            var planned = _planned[i];
            var space = planned.Space;
            var packetNumber = space.NextPacketNumber++;
            var pnLength = PacketNumberLength(space.Space, packetNumber);
            var frames = _payloadScratch.AsSpan(planned.PayloadStart, planned.PayloadLength);
            // Datagrams carrying an ack-eliciting Initial or a path probe are expanded; the last packet carries the padding.
            var minimum = padTo > 0 && i == _planned.Count - 1 ? Math.Max(0, padTo - offset) : 0;
            int length;
            QuicPacketType type;
            if (space.Space == QuicPacketNumberSpace.ApplicationData && space.SendKeys is not null)
            {
                type = QuicPacketType.OneRtt;
                if (minimum > 0)
                {
                    var padding = Math.Max(0, minimum - (1 + _destinationConnectionId.Length + pnLength + planned.PayloadLength + QuicCipherSuites.TagLength));
                    frames = _payloadScratch.AsSpan(planned.PayloadStart, planned.PayloadLength + padding);
                    frames[planned.PayloadLength..].Clear();
                }

                length = QuicPacketWriter.WriteShortHeaderPacket(destination[offset..], space.SendKeys!, _destinationConnectionId, false, (ulong)packetNumber, pnLength, frames);
                _packetsSinceKeyUpdate++;
            }
            else
            {
                type = space.Space switch
                {
                    QuicPacketNumberSpace.Initial => QuicPacketType.Initial,
                    QuicPacketNumberSpace.Handshake => QuicPacketType.Handshake,
                    _ => QuicPacketType.ZeroRtt,
                };
                var token = type == QuicPacketType.Initial && Role == QuicRole.Client ? _token : [];
                ZeroRttPackets += type == QuicPacketType.ZeroRtt ? 1 : 0;
                length = QuicPacketWriter.WriteLongHeaderPacket(destination[offset..], space.SendKeys ?? _zeroRttSendKeys!, type, _destinationConnectionId, _sourceConnectionId, token,
                    (ulong)packetNumber, pnLength, frames, minimum, type == QuicPacketType.ZeroRtt ? _originalVersion : _version);
                // A client's first Handshake packet means the server has its address: Initial keys go (RFC 9001 Section 4.9.1).
                if (Role == QuicRole.Client && type == QuicPacketType.Handshake)
                {
                    DiscardSpace(QuicPacketNumberSpace.Initial, now);
                }
            }

            var inFlight = planned.AckEliciting || minimum > 0;
            var marked = _sendingEcn == Ecn.EcnCodepoint.Ect0;
            _loss.OnPacketSent(space.Space, new SentPacket(packetNumber, now, length, planned.AckEliciting, inFlight, planned.Sent, marked), now);
            if (inFlight)
            {
                _pacer.OnPacketSent(now, length, _congestion.CongestionWindow, _rtt.SmoothedRtt);
            }

            if (planned.HasAck)
            {
                space.Acks.OnAckSent();
            }

            Statistics.PacketsSent++;
            OnEcnPacketSent(space.Space, _sendingEcn);
            traces?.Add((offset, length, new QuicPacketTrace(type, _version, _destinationConnectionId, type == QuicPacketType.OneRtt ? ReadOnlyMemory<byte>.Empty : _sourceConnectionId,
                packetNumber, length, type == QuicPacketType.OneRtt && space.SendKeys!.KeyPhase, planned.Frames ?? [])));
            offset += length;
        }

        Statistics.DatagramsSent++;
        Statistics.BytesSent += offset;
        if (!AddressValidated)
        {
            _bytesSentBeforeValidation += offset;
        }

        if (traces is not null)
        {
            var datagram = destination[..offset].ToArray();
            _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, datagram, new QuicDatagramTrace(offset, traces.Count, _sendingEcn)));
            foreach (var (start, length, trace) in traces)
            {
                _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, datagram.AsMemory(start, length), trace));
            }
        }

        MaybeStartKeyUpdate();
        return offset;
    }

    /// <summary>Our own key update (RFC 9001 Section 6.1), once the current phase has been acknowledged.</summary>
    public bool InitiateKeyUpdate()
    {
        var app = _spaces[2];
        if (!IsHandshakeConfirmed || app.SendKeys is null || _loss.LargestAcked(QuicPacketNumberSpace.ApplicationData) < _keyPhaseFirstPacket)
        {
            return false;
        }

        app.SendKeys = app.SendKeys.NextGeneration();
        _keyPhaseFirstPacket = app.NextPacketNumber;
        _packetsSinceKeyUpdate = 0;
        Statistics.KeyUpdates++;
        return true;
    }

    private void MaybeStartKeyUpdate()
    {
        if (_options.KeyUpdateInterval > 0 && _packetsSinceKeyUpdate >= _options.KeyUpdateInterval)
        {
            InitiateKeyUpdate();
        }
    }

    private int WriteClose(Span<byte> destination, TimeSpan now)
    {
        if (!_closeFramePending || _closeFrame is null)
        {
            return 0;
        }

        _closeFramePending = false;
        _closePacketsSent++;
        var offset = 0;
        foreach (var space in _spaces)
        {
            if (space.Discarded || space.SendKeys is null)
            {
                continue;
            }

            // Application closes are not allowed in Initial and Handshake packets: they become APPLICATION_ERROR.
            var frame = space.Space != QuicPacketNumberSpace.ApplicationData && _closeFrame.IsApplicationClose
                ? new ConnectionCloseFrame(false, (ulong)QuicTransportErrorCode.ApplicationError, 0, ReadOnlyMemory<byte>.Empty)
                : _closeFrame;
            // Before address validation the datagram may be short: a packet that does not fit is left out.
            if (!frame.TryWrite(_payloadScratch, out var length) || destination.Length - offset < LongHeaderOverhead + length)
            {
                continue;
            }

            var packetNumber = space.NextPacketNumber++;
            var pnLength = PacketNumberLength(space.Space, packetNumber);
            var payload = _payloadScratch.AsSpan(0, length);
            var start = offset;
            if (space.Space == QuicPacketNumberSpace.ApplicationData)
            {
                offset += QuicPacketWriter.WriteShortHeaderPacket(destination[offset..], space.SendKeys, _destinationConnectionId, false, (ulong)packetNumber, pnLength, payload);
            }
            else
            {
                var type = space.Space == QuicPacketNumberSpace.Initial ? QuicPacketType.Initial : QuicPacketType.Handshake;
                var minimum = Role == QuicRole.Client && type == QuicPacketType.Initial ? MinimumInitialDatagram : 0;
                offset += QuicPacketWriter.WriteLongHeaderPacket(destination[offset..], space.SendKeys, type, _destinationConnectionId, _sourceConnectionId,
                    type == QuicPacketType.Initial && Role == QuicRole.Client ? _token : [], (ulong)packetNumber, pnLength, payload, minimum, _version);
            }

            _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, destination[start..offset].ToArray(),
                new QuicPacketTrace(space.Space == QuicPacketNumberSpace.ApplicationData ? QuicPacketType.OneRtt : space.Space == QuicPacketNumberSpace.Initial ? QuicPacketType.Initial : QuicPacketType.Handshake,
                    _version, _destinationConnectionId, _sourceConnectionId, packetNumber, offset - start, false, [frame])));
        }

        Statistics.DatagramsSent++;
        Statistics.BytesSent += offset;
        if (!AddressValidated)
        {
            _bytesSentBeforeValidation += offset;
        }

        return offset;
    }

    /// <summary>The packet number's encoded length, from what the peer has acknowledged in that space (RFC 9000 Section 17.1).</summary>
    private int PacketNumberLength(QuicPacketNumberSpace space, long packetNumber)
    {
        var largestAcked = _loss.LargestAcked(space);
        return QuicPacketNumber.GetEncodedLength((ulong)packetNumber, largestAcked < 0 ? null : (ulong)largestAcked);
    }
}
