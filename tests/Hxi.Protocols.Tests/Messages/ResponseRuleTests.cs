using Hxi.Protocols.Http2;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Tests.Messages;

/// <summary>
/// Every field rule a response header section can break, judged the same way on HTTP/2 and HTTP/3, each
/// version naming its own RFC section (RFC 9113 8.2-8.3, RFC 9114 4.2-4.3, RFC 9110 8.6).
/// </summary>
public class ResponseRuleTests
{
    public static TheoryData<string[], MessageRule, string, string> BadResponses => new()
    {
        { [":server: x"], MessageRule.PseudoHeaderUndefined, "RFC 9113 8.3", "RFC 9114 4.3" },
        { ["server: x"], MessageRule.PseudoHeaderMissing, "RFC 9113 8.3.2", "RFC 9114 4.3.2" },
        { [":status: 200", ":status: 200"], MessageRule.PseudoHeaderRepeated, "RFC 9113 8.3", "RFC 9114 4.3" },
        { [":status: 200", ":path: /"], MessageRule.PseudoHeaderUndefined, "RFC 9113 8.3", "RFC 9114 4.3" },
        { ["server: x", ":status: 200"], MessageRule.PseudoHeaderAfterRegularField, "RFC 9113 8.3", "RFC 9114 4.3" },
        { [":status: 20"], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.2", "RFC 9114 4.3.2" },
        { [":status: 2000"], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.2", "RFC 9114 4.3.2" },
        { [":status: 20x"], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.2", "RFC 9114 4.3.2" },
        { [":status: 099"], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.2", "RFC 9114 4.3.2" },
        { [":status: 101"], MessageRule.SwitchingProtocols, "RFC 9113 8.6", "RFC 9114 4.5" },
        { [":status: 200", "Server: x"], MessageRule.FieldNameUppercase, "RFC 9113 8.2.1", "RFC 9114 4.2" },
        { [":status: 200", "x y: 1"], MessageRule.FieldNameInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", "x:y: 1"], MessageRule.FieldNameInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", "x\u00e9: 1"], MessageRule.FieldNameInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", "x\u007f: 1"], MessageRule.FieldNameInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", ": 1"], MessageRule.FieldNameInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", "x-a: 1\r\nx-b: 2"], MessageRule.FieldValueInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", "x-a: 1\n"], MessageRule.FieldValueInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", "x-a: 1\0"], MessageRule.FieldValueInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", "x-a:  1"], MessageRule.FieldValueInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", "x-a: 1\t"], MessageRule.FieldValueInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200 "], MessageRule.FieldValueInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [":status: 200", "connection: close"], MessageRule.ConnectionSpecificField, "RFC 9113 8.2.2", "RFC 9114 4.2" },
        { [":status: 200", "keep-alive: timeout=5"], MessageRule.ConnectionSpecificField, "RFC 9113 8.2.2", "RFC 9114 4.2" },
        { [":status: 200", "proxy-connection: keep-alive"], MessageRule.ConnectionSpecificField, "RFC 9113 8.2.2", "RFC 9114 4.2" },
        { [":status: 200", "transfer-encoding: chunked"], MessageRule.ConnectionSpecificField, "RFC 9113 8.2.2", "RFC 9114 4.2" },
        { [":status: 200", "upgrade: h2c"], MessageRule.ConnectionSpecificField, "RFC 9113 8.2.2", "RFC 9114 4.2" },
        { [":status: 200", "te: gzip"], MessageRule.TeNotTrailers, "RFC 9113 8.2.2", "RFC 9114 4.2" },
        { [":status: 200", "content-length: ten"], MessageRule.ContentLengthInvalid, "RFC 9110 8.6", "RFC 9110 8.6" },
        { [":status: 200", "content-length: -1"], MessageRule.ContentLengthInvalid, "RFC 9110 8.6", "RFC 9110 8.6" },
        { [":status: 200", "content-length: 1, 2"], MessageRule.ContentLengthInvalid, "RFC 9110 8.6", "RFC 9110 8.6" },
        { [":status: 200", "content-length: 1", "content-length: 2"], MessageRule.ContentLengthInvalid, "RFC 9110 8.6", "RFC 9110 8.6" },
    };

    [Theory]
    [MemberData(nameof(BadResponses))]
    public void MalformedResponseHeaders_NameTheRuleAndTheSectionOfEachVersion(string[] lines, MessageRule rule, string http2Section, string http3Section)
    {
        var overHttp2 = new MessageValidator(Http2RuleBook.Instance, MessageKind.Response, 1).ReceiveHeaders(Fields.Of(lines), endStream: false);
        var overHttp3 = new MessageValidator(Http3RuleBook.Instance, MessageKind.Response, 0).ReceiveHeaders(Fields.Of(lines), endStream: false);

        Assert.Equal((rule, http2Section), (overHttp2?.Rule, overHttp2?.Section));
        Assert.Equal((rule, http3Section), (overHttp3?.Rule, overHttp3?.Section));
        Assert.StartsWith("malformed response on stream 1: ", overHttp2!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith($" ({http2Section})", overHttp2.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', overHttp2.ToString());
        Assert.DoesNotContain('\r', overHttp2.ToString());
    }

    public static TheoryData<string[]> GoodResponses => new()
    {
        { [":status: 200"] },
        { [":status: 204", "server: x", "set-cookie: a=b", "set-cookie: c=d"] },
        { [":status: 200", "content-length: 42, 42", "content-length: 42"] },
        { [":status: 599", "x-empty: "] },
        { [":status: 999", "x-odd: a\u00e9b", "x!#$%&'*+-.^_`|~09: v a l u e"] },
    };

    [Theory]
    [MemberData(nameof(GoodResponses))]
    public void WellFormedResponseHeaders_PassOnBothVersions(string[] lines)
    {
        Assert.Null(new MessageValidator(Http2RuleBook.Instance, MessageKind.Response, 1).ReceiveHeaders(Fields.Of(lines), endStream: false));
        Assert.Null(new MessageValidator(Http3RuleBook.Instance, MessageKind.Response, 0).ReceiveHeaders(Fields.Of(lines), endStream: false));
    }

    [Fact]
    public void Detail_ShowsControlBytesEscaped_SoTheLineStaysOneLine()
    {
        var violation = new MessageValidator(Http2RuleBook.Instance, MessageKind.Response, 3)
            .ReceiveHeaders(Fields.Of(":status: 200", "x-a\r\nb: 1"), endStream: false);

        Assert.Equal(@"malformed response on stream 3: field name 'x-a\x0d\x0ab' holds CR (0x0d), which a field name may not (RFC 9113 8.2.1)", violation?.ToString());
    }
}
