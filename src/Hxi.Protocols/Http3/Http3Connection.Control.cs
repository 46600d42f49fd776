using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http3;

public sealed partial class Http3Connection
{
    /// <summary>Where each known frame type may appear (RFC 9114 Section 7.2 and Appendix A.2); unknown types go anywhere.</summary>
    private static readonly Dictionary<long, Http3StreamKind[]> LegalStreams = new()
    {
        [Http3FrameType.Data] = [Http3StreamKind.Request, Http3StreamKind.Push],
        [Http3FrameType.Headers] = [Http3StreamKind.Request, Http3StreamKind.Push],
        [Http3FrameType.CancelPush] = [Http3StreamKind.Control],
        [Http3FrameType.Settings] = [Http3StreamKind.Control],
        [Http3FrameType.PushPromise] = [Http3StreamKind.Request],
        [Http3FrameType.GoAway] = [Http3StreamKind.Control],
        [Http3FrameType.MaxPushId] = [Http3StreamKind.Control],
        [Http3FrameType.PriorityUpdateRequest] = [Http3StreamKind.Control],
        [Http3FrameType.PriorityUpdatePush] = [Http3StreamKind.Control],
    };

    /// <summary>Frames only one role may send: receiving one as that role is H3_FRAME_UNEXPECTED.</summary>
    private static readonly Dictionary<long, Http3Role> OnlyReceivedBy = new()
    {
        [Http3FrameType.PushPromise] = Http3Role.Client,
        [Http3FrameType.MaxPushId] = Http3Role.Server,
        [Http3FrameType.PriorityUpdateRequest] = Http3Role.Server,
        [Http3FrameType.PriorityUpdatePush] = Http3Role.Server,
    };

    private static bool IsCritical(Http3StreamKind kind) =>
        kind is Http3StreamKind.Control or Http3StreamKind.QpackEncoder or Http3StreamKind.QpackDecoder;

    private void CheckAllowed(Http3ReceiveStream stream, long type)
    {
        if (Http3FrameType.IsReservedHttp2Type(type))
        {
            throw new Http3ConnectionException(Http3ErrorCode.FrameUnexpected, $"{Http3FrameType.Name(type)} on stream {stream.Id}");
        }

        if (stream.Kind == Http3StreamKind.Control && !stream.SettingsSeen && type != Http3FrameType.Settings)
        {
            throw new Http3ConnectionException(
                Http3ErrorCode.MissingSettings, $"the control stream starts with {Http3FrameType.Name(type)} instead of SETTINGS");
        }

        if (LegalStreams.TryGetValue(type, out var kinds) && !kinds.Contains(stream.Kind))
        {
            throw new Http3ConnectionException(
                Http3ErrorCode.FrameUnexpected, $"{Http3FrameType.Name(type)} is not allowed on {stream.Kind} stream {stream.Id}");
        }

        if (OnlyReceivedBy.TryGetValue(type, out var receiver) && receiver != Role)
        {
            throw new Http3ConnectionException(Http3ErrorCode.FrameUnexpected, $"a {Role.ToString().ToLowerInvariant()} received {Http3FrameType.Name(type)}");
        }
    }

    /// <summary>Reads the type varint of a unidirectional stream (Section 6.2), and a push stream's push id.</summary>
    private void ReadStreamPrefix(Http3ReceiveStream stream, ref ReadOnlySpan<byte> data)
    {
        while (stream.Kind is Http3StreamKind.PendingType or Http3StreamKind.PendingPushId && !data.IsEmpty)
        {
            stream.Prefix[stream.PrefixLength++] = data[0];
            data = data[1..];
            if (stream.PrefixLength < QuicVarint.GetLengthFromFirstByte(stream.Prefix[0]))
            {
                continue;
            }

            QuicVarint.TryRead(stream.Prefix, out ulong value, out _);
            byte[] prefixBytes = stream.Prefix[..stream.PrefixLength];
            stream.PrefixLength = 0;
            if (stream.Kind == Http3StreamKind.PendingPushId)
            {
                AcceptPushStream(stream, (long)value, [.. stream.TypePrefix, .. prefixBytes]);
                continue;
            }

            if ((long)value == Http3StreamType.Push && Role == Http3Role.Client && MaxPushId is not null)
            {
                // An accepted push stream is shown once its push id has arrived too, as one line.
                stream.TypePrefix = prefixBytes;
            }
            else
            {
                Trace(WireDirection.Received, WireLayer.Http3, prefixBytes, new Http3StreamTypeTrace(stream.Id, (long)value));
            }

            AcceptUniStream(stream, (long)value);
        }
    }

    private void AcceptUniStream(Http3ReceiveStream stream, long type)
    {
        switch (type)
        {
            case Http3StreamType.Control:
                ClaimCritical(stream, Http3StreamKind.Control, "control");
                break;
            case Http3StreamType.QpackEncoder:
                ClaimCritical(stream, Http3StreamKind.QpackEncoder, "QPACK encoder");
                break;
            case Http3StreamType.QpackDecoder:
                ClaimCritical(stream, Http3StreamKind.QpackDecoder, "QPACK decoder");
                break;
            case Http3StreamType.Push:
                // Section 6.2.2: only servers push, and only within the client's MAX_PUSH_ID.
                if (Role == Http3Role.Server)
                {
                    throw new Http3ConnectionException(Http3ErrorCode.StreamCreationError, $"the client opened push stream {stream.Id}");
                }

                if (MaxPushId is null)
                {
                    throw new Http3ConnectionException(Http3ErrorCode.IdError, $"push stream {stream.Id} although we sent no MAX_PUSH_ID");
                }

                stream.Kind = Http3StreamKind.PendingPushId;
                break;
            default:
                // Section 6.2.3: unknown types are not an error; stop the peer sending more of them.
                stream.Kind = Http3StreamKind.Ignored;
                Emit(new UnknownStreamReceived(stream.Id, type));
                _writes.Enqueue(new StopSendingWrite(stream.Id, (ulong)Http3ErrorCode.StreamCreationError));
                break;
        }
    }

    private void ClaimCritical(Http3ReceiveStream stream, Http3StreamKind kind, string name)
    {
        if (_streams.Values.Any(s => s != stream && s.Kind == kind))
        {
            throw new Http3ConnectionException(Http3ErrorCode.StreamCreationError, $"a second {name} stream ({stream.Id})");
        }

        stream.Kind = kind;
    }

    private void HandleControlFrame(Http3ReceiveStream stream, Http3Frame frame)
    {
        switch (frame)
        {
            case SettingsFrame settings:
                if (stream.SettingsSeen)
                {
                    throw new Http3ConnectionException(Http3ErrorCode.FrameUnexpected, "a second SETTINGS frame on the control stream");
                }

                stream.SettingsSeen = true;
                PeerSettings = settings;
                _encoder.ApplyPeerSettings(
                    settings.Get(Http3SettingId.QpackMaxTableCapacity), settings.Get(Http3SettingId.QpackBlockedStreams));
                FlushEncoderStream();
                Emit(new SettingsReceived(settings.Settings));
                break;
            case GoAwayFrame goAway:
                // Section 5.2: a server's id is a client-initiated bidirectional stream, and it never grows.
                if (Role == Http3Role.Client && (goAway.Id & 3) != 0)
                {
                    throw new Http3ConnectionException(Http3ErrorCode.IdError, $"GOAWAY names stream {goAway.Id}, not a client request stream");
                }

                if (goAway.Id > GoAwayId)
                {
                    throw new Http3ConnectionException(Http3ErrorCode.IdError, $"GOAWAY id grew from {GoAwayId} to {goAway.Id}");
                }

                GoAwayId = goAway.Id;
                Emit(new GoAwayReceived(goAway.Id));
                break;
            case CancelPushFrame cancel:
                if (Role == Http3Role.Client)
                {
                    CheckPushId(cancel.PushId, "CANCEL_PUSH");
                }
                else
                {
                    CheckCancelledPromise(cancel.PushId);
                }

                Emit(new CancelPushReceived(cancel.PushId));
                break;
            case MaxPushIdFrame maxPushId:
                if (maxPushId.PushId < _peerMaxPushId)
                {
                    throw new Http3ConnectionException(Http3ErrorCode.IdError, $"MAX_PUSH_ID fell from {_peerMaxPushId} to {maxPushId.PushId}");
                }

                _peerMaxPushId = maxPushId.PushId;
                Emit(new MaxPushIdReceived(maxPushId.PushId));
                break;
            case PriorityUpdateFrame priority:
                Emit(new PriorityUpdateReceived(priority));
                break;
            case UnknownFrame unknown:
                Emit(new UnknownFrameReceived(stream.Id, unknown.FrameType, unknown.Payload.Length));
                break;
        }
    }

    private long _peerMaxPushId = -1;
}
