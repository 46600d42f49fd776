using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2;

public sealed partial class Http2Connection
{
    /// <summary>The validator of what the peer sends on <paramref name="stream"/>: responses for a client, requests for a server.</summary>
    private MessageValidator ReceivedMessage(Http2Stream stream) =>
        stream.Received ??= new MessageValidator(
            Http2RuleBook.Instance, Role == Http2Role.Client ? MessageKind.Response : MessageKind.Request, stream.Id)
        {
            RequestMethod = stream.RequestMethod,
        };

    /// <summary>RFC 9113 Section 8.1.1: a malformed message is a stream error PROTOCOL_ERROR, unless we only report it.</summary>
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
            throw new Http2StreamException((int)violation.StreamId, Http2ErrorCode.ProtocolError, violation.ToString());
        }
    }

    private static string? MethodOf(IReadOnlyList<HeaderField> fields)
    {
        foreach (var field in fields)
        {
            if (field.Name == ":method")
            {
                return field.Value;
            }
        }

        return null;
    }
}
