using System.Text;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Quic.Streams;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial class QuicConnection
{
    private void ApplyFrame(QuicPacketSpace space, QuicFrame frame, TimeSpan now)
    {
        switch (frame)
        {
            case PaddingFrame or PingFrame:
                break;
            case AckFrame ack:
                ApplyAck(space, ack, now);
                break;
            case CryptoFrame crypto:
                ApplyCrypto(space, crypto, now);
                break;
            case StreamFrame stream:
                ApplyStream(stream);
                break;
            case ResetStreamFrame reset:
                ApplyResetStream(reset);
                break;
            case StopSendingFrame stop:
                ApplyStopSending(stop);
                break;
            case MaxDataFrame maxData:
                if (_connectionSendCredit.Raise((long)Math.Min(maxData.MaximumData, long.MaxValue)))
                {
                    Emit(new QuicSendCreditAvailable());
                }

                break;
            case MaxStreamDataFrame maxStreamData:
                ApplyMaxStreamData(maxStreamData);
                break;
            case MaxStreamsFrame maxStreams:
                ApplyMaxStreams(maxStreams);
                break;
            case StreamDataBlockedFrame blocked:
                // RFC 9000 Section 19.13: only a stream the peer sends on can be blocked; otherwise STREAM_STATE_ERROR.
                StreamForFrame((long)blocked.StreamId, (ulong)blocked.Type, peerSends: true);
                break;
            case DataBlockedFrame or StreamsBlockedFrame:
                // The peer is waiting for credit; ours is announced as the application reads, so nothing to do.
                break;
            case NewConnectionIdFrame newId:
                ApplyNewConnectionId(newId);
                break;
            case RetireConnectionIdFrame retire:
                ApplyRetireConnectionId(retire);
                break;
            case NewTokenFrame token:
                if (Role == QuicRole.Server)
                {
                    throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, (ulong)QuicFrameType.NewToken, "a client sent NEW_TOKEN");
                }

                Emit(new QuicNewTokenReceived(token.Token.ToArray()));
                break;
            case PathChallengeFrame challenge:
                OnPathChallenge(challenge, now);
                break;
            case PathResponseFrame response:
                OnPathResponse(response, now);
                break;
            case ConnectionCloseFrame close:
                ApplyConnectionClose(close, now);
                break;
            case HandshakeDoneFrame:
                if (Role == QuicRole.Server)
                {
                    throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, (ulong)QuicFrameType.HandshakeDone, "a client sent HANDSHAKE_DONE");
                }

                ConfirmHandshake(now);
                break;
        }
    }

    private void ApplyAck(QuicPacketSpace space, AckFrame ack, TimeSpan now)
    {
        var ranges = ack.Ranges.Select(r => ((long)r.Smallest, (long)r.Largest)).ToList();
        ApplyAck(space, (ulong)ack.Type, ack.LargestAcknowledged, ack.AckDelay, ranges, ack.EcnCounts, now);
    }

    /// <summary>An ACK frame's fields: <paramref name="ranges"/> are inclusive (smallest, largest), largest first.</summary>
    private void ApplyAck(QuicPacketSpace space, ulong frameType, ulong largestAcknowledged, ulong ackDelayField, IReadOnlyList<(long Smallest, long Largest)> ranges,
        QuicEcnCounts? ecn, TimeSpan now)
    {
        if ((long)largestAcknowledged >= space.NextPacketNumber)
        {
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, frameType,
                $"ACK of packet {largestAcknowledged}, which was never sent (next is {space.NextPacketNumber})");
        }

        if (Role == QuicRole.Client && space.Space == QuicPacketNumberSpace.Handshake)
        {
            _loss.ReceivedHandshakeAck = true;
        }

        // ACK Delay is scaled by the peer's exponent and ignored in the handshake spaces (RFC 9002 Section 5.3).
        var exponent = (int)Math.Min(_peerParameters?.AckDelayExponent ?? 3, 20);
        var delay = space.Space == QuicPacketNumberSpace.ApplicationData
            ? TimeSpan.FromMicroseconds(Math.Min(ackDelayField > ulong.MaxValue >> exponent ? ulong.MaxValue : ackDelayField << exponent, 1UL << 40))
            : TimeSpan.Zero;
        var largestIncreased = (long)largestAcknowledged > _loss.LargestAcked(space.Space);
        var outcome = _loss.OnAckReceived(space.Space, ranges, delay, now);
        OnEcnAck(space, ecn, largestIncreased, outcome, now);
        OnEcnLost(outcome.Lost);
        foreach (var packet in outcome.Acked)
        {
            OnFramesAcknowledged(packet);
        }

        foreach (var packet in outcome.Lost)
        {
            OnFramesLost(packet);
        }

        // Declared lost, yet it arrived: what is still waiting to be sent again need not go (RFC 9002 Section 6.1).
        foreach (var packet in outcome.LateAcked)
        {
            OnFramesAcknowledged(packet);
        }

        RecordMetricsIfChanged();
    }

    private void OnFramesAcknowledged(SentPacket packet)
    {
        if (packet.Frames is not List<SentFrame> frames)
        {
            return;
        }

        foreach (var frame in frames)
        {
            switch (frame)
            {
                case SentStreamRange range when _streams.TryGetValue(range.StreamId, out var stream):
                    stream.Send.OnAcknowledged(range.Offset, range.Length, range.Fin);
                    ForgetIfDone(stream);
                    break;
                case SentCryptoRange crypto:
                    _spaces[crypto.Space].CryptoOut.OnAcknowledged(crypto.Offset, crypto.Length, false);
                    break;
                case SentAck sentAck:
                    _spaces[(int)QuicPacketNumberSpace.ApplicationData].Acks.OnAckAcknowledged(sentAck.Largest);
                    break;
                case SentControl { Frame: RetireConnectionIdFrame retire }:
                    _peerIds.OnRetireAcknowledged(retire.SequenceNumber);
                    break;
            }
        }
    }

    private void OnFramesLost(SentPacket packet)
    {
        if (packet.Frames is not List<SentFrame> frames)
        {
            return;
        }

        foreach (var frame in frames)
        {
            switch (frame)
            {
                case SentStreamRange range when _streams.TryGetValue(range.StreamId, out var stream) && stream.ResetSent is null:
                    stream.Send.OnLost(range.Offset, range.Length, range.Fin);
                    break;
                case SentCryptoRange crypto when !_spaces[crypto.Space].Discarded:
                    _spaces[crypto.Space].CryptoOut.OnLost(crypto.Offset, crypto.Length, false);
                    break;
                case SentControl control:
                    RequeueControl(control.Frame);
                    break;
            }
        }
    }

    // Lost control frames go out again with the values that are current now (RFC 9000 Section 13.3).
    private void RequeueControl(QuicFrame frame)
    {
        switch (frame)
        {
            case MaxDataFrame:
                _pendingControl.Enqueue(new MaxDataFrame((ulong)_connectionReceiveCredit.Limit));
                break;
            case MaxStreamDataFrame maxStreamData when _streams.TryGetValue((long)maxStreamData.StreamId, out var stream) && !stream.Receive.IsComplete:
                _pendingControl.Enqueue(new MaxStreamDataFrame(maxStreamData.StreamId, (ulong)stream.ReceiveCredit.Limit));
                break;
            case MaxStreamsFrame maxStreams:
                _pendingControl.Enqueue(new MaxStreamsFrame(maxStreams.Bidirectional, (ulong)(maxStreams.Bidirectional ? _localMaxStreamsBidi : _localMaxStreamsUni)));
                break;
            case HandshakeDoneFrame or ResetStreamFrame or StopSendingFrame or RetireConnectionIdFrame:
                _pendingControl.Enqueue(frame);
                break;
            case PathChallengeFrame challenge:
                RequeuePathChallenge(challenge);
                break;
            case NewConnectionIdFrame newId when _localIds.IsActive(newId.SequenceNumber):
                // Only while the peer has not retired it; the same ID and token go out again.
                _pendingControl.Enqueue(newId);
                break;
        }
    }

    private void ApplyCrypto(QuicPacketSpace space, CryptoFrame crypto, TimeSpan now)
    {
        var end = (long)crypto.Offset + crypto.Data.Length;
        if (end - space.CryptoIn.ReadOffset > QuicPacketSpace.MaxCryptoBuffer)
        {
            throw new QuicTransportException(QuicTransportErrorCode.CryptoBufferExceeded, (ulong)QuicFrameType.Crypto,
                $"CRYPTO data up to offset {end} is more than {QuicPacketSpace.MaxCryptoBuffer} bytes ahead");
        }

        space.CryptoIn.Receive((long)crypto.Offset, crypto.Data.Span, fin: false);
        var readable = (int)space.CryptoIn.ReadableBytes;
        if (readable == 0 || _tls is null)
        {
            return;
        }

        var bytes = new byte[readable];
        space.CryptoIn.Read(bytes);
        _tls.ReceiveHandshakeBytes((TlsEncryptionLevel)(int)space.Space, bytes);
        DriveTls(now);
    }

    private void ApplyConnectionClose(ConnectionCloseFrame close, TimeSpan now)
    {
        var reason = Encoding.UTF8.GetString(close.ReasonPhrase.Span);
        EnterDraining(now, new QuicConnectionClosed(true, close.IsApplicationClose, close.ErrorCode, close.TriggeringFrameType, reason));
    }
}
