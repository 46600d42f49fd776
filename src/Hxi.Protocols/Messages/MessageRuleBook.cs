namespace Hxi.Protocols.Messages;

/// <summary>
/// What differs between HTTP/2 and HTTP/3 in the message rules: the section each rule lives in, and the
/// few rules only one version has. The rules themselves are in <see cref="MessageValidator"/>, once.
/// </summary>
public abstract class MessageRuleBook
{
    /// <summary>"RFC 9113 8.3.1" and the like, for a rule broken by a message of <paramref name="kind"/>.</summary>
    public abstract string Section(MessageRule rule, MessageKind kind);

    /// <summary>HTTP/2 marks the end of a message on its last frame, so trailers must carry END_STREAM.</summary>
    public abstract bool TrailersEndStream { get; }

    /// <summary>HTTP/3 requires :authority or Host for schemes with an authority (RFC 9114 4.3.1); HTTP/2 only asks the client to send it.</summary>
    public abstract bool RequiresAuthority { get; }

    /// <summary>Sections of RFC 9110 (HTTP Semantics), the same for every version.</summary>
    protected static string? SemanticsSection(MessageRule rule) => rule switch
    {
        MessageRule.ContentLengthInvalid => "RFC 9110 8.6",
        MessageRule.ContentNotAllowed => "RFC 9110 6.4.1",
        _ => null,
    };
}
