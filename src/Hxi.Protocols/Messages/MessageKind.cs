namespace Hxi.Protocols.Messages;

/// <summary>Which kind of message was received: a server receives requests, a client responses.</summary>
public enum MessageKind
{
    Request,
    Response,
}
