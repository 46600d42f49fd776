using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http2;

/// <summary>The HTTP/2 message rules: where RFC 9113 Section 8 states each one.</summary>
public sealed class Http2RuleBook : MessageRuleBook
{
    public static readonly Http2RuleBook Instance = new();

    private Http2RuleBook()
    {
    }

    public override bool TrailersEndStream => true;

    public override bool RequiresAuthority => false;

    public override string Section(MessageRule rule, MessageKind kind) => SemanticsSection(rule) ?? "RFC 9113 " + rule switch
    {
        MessageRule.PseudoHeaderMissing or MessageRule.PseudoHeaderInvalid => kind == MessageKind.Request ? "8.3.1" : "8.3.2",
        MessageRule.AuthorityInvalid => "8.3.1",
        MessageRule.PseudoHeaderRepeated or MessageRule.PseudoHeaderUndefined or MessageRule.PseudoHeaderAfterRegularField => "8.3",
        MessageRule.ConnectRequestInvalid => "8.5",
        MessageRule.PromisedRequestInvalid => "8.4",
        MessageRule.FieldNameUppercase or MessageRule.FieldNameInvalid or MessageRule.FieldValueInvalid => "8.2.1",
        MessageRule.ConnectionSpecificField or MessageRule.TeNotTrailers => "8.2.2",
        MessageRule.ContentLengthMismatch => "8.1.1",
        MessageRule.SwitchingProtocols => "8.6",
        _ => "8.1", // framing: pseudo-headers in trailers, interim with END_STREAM, DATA first, HEADERS late
    };
}
