namespace Hxi.Protocols.Messages;

/// <summary>What a connection does with a malformed message it receives.</summary>
public enum MalformedMessagePolicy
{
    /// <summary>The RFC's answer: a stream error (PROTOCOL_ERROR on HTTP/2, H3_MESSAGE_ERROR on HTTP/3).</summary>
    Reject,

    /// <summary>Report the violation and carry on, so a person can see what a broken peer sends (the REPL's <c>strict off</c>).</summary>
    Report,
}
