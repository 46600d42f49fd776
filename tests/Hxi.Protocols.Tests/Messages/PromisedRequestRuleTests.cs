using Hxi.Protocols.Http2;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Tests.Messages;

/// <summary>
/// The request a server promises in PUSH_PROMISE (RFC 9113 8.4 and 8.4.1, RFC 9114 4.6): a complete, well-formed
/// request as in RFC 9113 8.3.1 / RFC 9114 4.3.1, whose method is safe and cacheable, without content, and with
/// :authority.
/// </summary>
public class PromisedRequestRuleTests
{
    private const string Method = ":method: GET", Scheme = ":scheme: https", Authority = ":authority: example.com", Path = ":path: /style.css";

    public static TheoryData<string[], MessageRule, string, string> BadPromises => new()
    {
        { [":method: POST", Scheme, Authority, Path], MessageRule.PromisedRequestInvalid, "RFC 9113 8.4", "RFC 9114 4.6" },
        { [":method: OPTIONS", Scheme, Authority, Path], MessageRule.PromisedRequestInvalid, "RFC 9113 8.4", "RFC 9114 4.6" },
        { [":method: get", Scheme, Authority, Path], MessageRule.PromisedRequestInvalid, "RFC 9113 8.4", "RFC 9114 4.6" },
        { [":method: CONNECT", Authority], MessageRule.PromisedRequestInvalid, "RFC 9113 8.4", "RFC 9114 4.6" },
        { [Method, Scheme, Path], MessageRule.PromisedRequestInvalid, "RFC 9113 8.4", "RFC 9114 4.6" },
        { [Method, Scheme, Path, "host: example.com"], MessageRule.PromisedRequestInvalid, "RFC 9113 8.4", "RFC 9114 4.6" },
        { [Method, Scheme, Authority, Path, "content-length: 3"], MessageRule.PromisedRequestInvalid, "RFC 9113 8.4", "RFC 9114 4.6" },
        { [Scheme, Authority, Path], MessageRule.PseudoHeaderMissing, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Authority, Path], MessageRule.PseudoHeaderMissing, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, Authority], MessageRule.PseudoHeaderMissing, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, Authority, ":path: style.css"], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, Authority, Path, ":status: 200"], MessageRule.PseudoHeaderUndefined, "RFC 9113 8.3", "RFC 9114 4.3" },
        { [Method, Scheme, ":authority: user@example.com", Path], MessageRule.AuthorityInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, Authority, Path, "Accept: */*"], MessageRule.FieldNameUppercase, "RFC 9113 8.2.1", "RFC 9114 4.2" },
        { [Method, Scheme, Authority, Path, "content-length: many"], MessageRule.ContentLengthInvalid, "RFC 9110 8.6", "RFC 9110 8.6" },
    };

    [Theory]
    [MemberData(nameof(BadPromises))]
    public void MalformedPromisedRequests_NameTheRuleAndTheSectionOfEachVersion(string[] lines, MessageRule rule, string http2Section, string http3Section)
    {
        var overHttp2 = MessageValidator.CheckPromisedRequest(Http2RuleBook.Instance, 2, "PUSH_PROMISE on stream 1", Fields.Of(lines));
        var overHttp3 = MessageValidator.CheckPromisedRequest(Http3RuleBook.Instance, 0, "PUSH_PROMISE for push ID 0", Fields.Of(lines));

        Assert.Equal((rule, http2Section), (overHttp2?.Rule, overHttp2?.Section));
        Assert.Equal((rule, http3Section), (overHttp3?.Rule, overHttp3?.Section));
        Assert.Equal(MessageKind.Request, overHttp2!.Kind);
        Assert.StartsWith("malformed request on stream 2: PUSH_PROMISE on stream 1: ", overHttp2.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnsafeMethod_IsNamedInTheViolation()
    {
        var violation = MessageValidator.CheckPromisedRequest(Http2RuleBook.Instance, 2, "PUSH_PROMISE on stream 1", Fields.Of(":method: POST", Scheme, Authority, Path));

        Assert.Equal(
            "malformed request on stream 2: PUSH_PROMISE on stream 1: :method 'POST' is not safe and cacheable (GET or HEAD) (RFC 9113 8.4)",
            violation?.ToString());
    }

    public static TheoryData<string[]> GoodPromises => new()
    {
        { [Method, Scheme, Authority, Path] },
        { [":method: HEAD", Scheme, Authority, ":path: /logo.png", "accept: image/*"] },
        { [Method, Scheme, Authority, Path, "content-length: 0"] },
        { [Method, ":scheme: http", ":authority: example.com:8080", ":path: /a?b=c"] },
    };

    [Theory]
    [MemberData(nameof(GoodPromises))]
    public void WellFormedPromisedRequests_PassOnBothVersions(string[] lines)
    {
        Assert.Null(MessageValidator.CheckPromisedRequest(Http2RuleBook.Instance, 2, "PUSH_PROMISE on stream 1", Fields.Of(lines)));
        Assert.Null(MessageValidator.CheckPromisedRequest(Http3RuleBook.Instance, 0, "PUSH_PROMISE for push ID 0", Fields.Of(lines)));
    }
}
