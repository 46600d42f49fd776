using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http3;

public sealed partial class Http3Connection
{
    // Peer streams we reset or stopped reading; later bytes on them are dropped, not taken for a new stream.
    private readonly HashSet<long> _stoppedPeerStreams = [];

    /// <summary>Reject malformed messages (the RFC) or only report them; the REPL's <c>strict</c> setting changes it live.</summary>
    public MalformedMessagePolicy MalformedMessages { get; set; }

    /// <summary>The validator of what the peer sends on <paramref name="stream"/>: responses (and pushed responses) for a client, requests for a server.</summary>
    private MessageValidator ReceivedMessage(Http3ReceiveStream stream) =>
        stream.Received ??= new MessageValidator(
            Http3RuleBook.Instance, Role == Http3Role.Client ? MessageKind.Response : MessageKind.Request, stream.Id)
        {
            RequestMethod = stream.RequestMethod,
        };

    /// <summary>RFC 9114 Section 4.1.2: a malformed message is a stream error H3_MESSAGE_ERROR, unless we only report it.</summary>
    private void Judge(MessageViolation? violation)
    {
        if (violation is null)
        {
            return;
        }

        var rejected = MalformedMessages == MalformedMessagePolicy.Reject;
        Emit(new MalformedMessageReceived(violation, rejected));
        if (rejected)
        {
            throw new Http3StreamException(violation.StreamId, Http3ErrorCode.MessageError, violation.ToString());
        }
    }
}
