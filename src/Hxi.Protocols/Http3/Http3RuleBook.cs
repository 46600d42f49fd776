using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http3;

/// <summary>The HTTP/3 message rules: where RFC 9114 Section 4 states each one.</summary>
public sealed class Http3RuleBook : MessageRuleBook
{
    public static readonly Http3RuleBook Instance = new();

    private Http3RuleBook()
    {
    }

    // HTTP/3 ends a message with the stream's FIN, not with a flag on its last frame.
    public override bool TrailersEndStream => false;

    public override bool RequiresAuthority => true;

    public override string Section(MessageRule rule, MessageKind kind) => SemanticsSection(rule) ?? "RFC 9114 " + rule switch
    {
        MessageRule.PseudoHeaderMissing or MessageRule.PseudoHeaderInvalid => kind == MessageKind.Request ? "4.3.1" : "4.3.2",
        MessageRule.AuthorityInvalid => "4.3.1",
        MessageRule.PseudoHeaderRepeated or MessageRule.PseudoHeaderUndefined or MessageRule.PseudoHeaderAfterRegularField
            or MessageRule.PseudoHeaderInTrailers => "4.3",
        MessageRule.ConnectRequestInvalid => "4.4",
        MessageRule.PromisedRequestInvalid => "4.6",
        MessageRule.FieldNameUppercase or MessageRule.ConnectionSpecificField or MessageRule.TeNotTrailers => "4.2",
        MessageRule.FieldNameInvalid or MessageRule.FieldValueInvalid or MessageRule.ContentLengthMismatch => "4.1.2",
        MessageRule.SwitchingProtocols => "4.5",
        _ => "4.1", // framing: interim without a final response, DATA first, HEADERS late
    };
}
