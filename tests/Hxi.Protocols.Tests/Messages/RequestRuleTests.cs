using Hxi.Protocols.Http2;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Tests.Messages;

/// <summary>The rules a server applies to the requests it receives (RFC 9113 8.3.1 and 8.5, RFC 9114 4.3.1 and 4.4).</summary>
public class RequestRuleTests
{
    private const string Method = ":method: GET", Scheme = ":scheme: https", Authority = ":authority: example.com", Path = ":path: /";

    public static TheoryData<string[], MessageRule, string, string> BadRequests => new()
    {
        { [Scheme, Authority, Path], MessageRule.PseudoHeaderMissing, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Authority, Path], MessageRule.PseudoHeaderMissing, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, Authority], MessageRule.PseudoHeaderMissing, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, Authority, Path, ":status: 200"], MessageRule.PseudoHeaderUndefined, "RFC 9113 8.3", "RFC 9114 4.3" },
        { [Method, Scheme, Authority, Path, ":protocol: websocket"], MessageRule.PseudoHeaderUndefined, "RFC 9113 8.3", "RFC 9114 4.3" },
        { [Method, Method, Scheme, Authority, Path], MessageRule.PseudoHeaderRepeated, "RFC 9113 8.3", "RFC 9114 4.3" },
        { [Method, Scheme, "user-agent: x", Authority, Path], MessageRule.PseudoHeaderAfterRegularField, "RFC 9113 8.3", "RFC 9114 4.3" },
        { [Method, Scheme, Authority, ":path: "], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, Authority, ":path: index.html"], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, Authority, ":path: *"], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [":method: GE T", Scheme, Authority, Path], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, ":scheme: ", Authority, Path], MessageRule.PseudoHeaderInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, ":authority: ", Path], MessageRule.AuthorityInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, ":authority: user@example.com", Path], MessageRule.AuthorityInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [Method, Scheme, Authority, Path, "host: other.example"], MessageRule.AuthorityInvalid, "RFC 9113 8.3.1", "RFC 9114 4.3.1" },
        { [":method: CONNECT", Authority, Path], MessageRule.ConnectRequestInvalid, "RFC 9113 8.5", "RFC 9114 4.4" },
        { [":method: CONNECT", Scheme, Authority], MessageRule.ConnectRequestInvalid, "RFC 9113 8.5", "RFC 9114 4.4" },
        { [":method: CONNECT"], MessageRule.ConnectRequestInvalid, "RFC 9113 8.5", "RFC 9114 4.4" },
        { [Method, Scheme, Authority, Path, "Accept: */*"], MessageRule.FieldNameUppercase, "RFC 9113 8.2.1", "RFC 9114 4.2" },
        { [Method, Scheme, Authority, Path, "x-a: \0"], MessageRule.FieldValueInvalid, "RFC 9113 8.2.1", "RFC 9114 4.1.2" },
        { [Method, Scheme, Authority, Path, "connection: keep-alive"], MessageRule.ConnectionSpecificField, "RFC 9113 8.2.2", "RFC 9114 4.2" },
        { [Method, Scheme, Authority, Path, "te: trailers, deflate"], MessageRule.TeNotTrailers, "RFC 9113 8.2.2", "RFC 9114 4.2" },
        { [Method, Scheme, Authority, Path, "content-length: 0x10"], MessageRule.ContentLengthInvalid, "RFC 9110 8.6", "RFC 9110 8.6" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void MalformedRequestHeaders_NameTheRuleAndTheSectionOfEachVersion(string[] lines, MessageRule rule, string http2Section, string http3Section)
    {
        var overHttp2 = new MessageValidator(Http2RuleBook.Instance, MessageKind.Request, 1).ReceiveHeaders(Fields.Of(lines), endStream: false);
        var overHttp3 = new MessageValidator(Http3RuleBook.Instance, MessageKind.Request, 0).ReceiveHeaders(Fields.Of(lines), endStream: false);

        Assert.Equal((rule, http2Section), (overHttp2?.Rule, overHttp2?.Section));
        Assert.Equal((rule, http3Section), (overHttp3?.Rule, overHttp3?.Section));
        Assert.StartsWith("malformed request on stream 1: ", overHttp2!.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string[]> GoodRequests => new()
    {
        { [Method, Scheme, Authority, Path, "user-agent: hxi", "te: trailers"] },
        { [Method, Scheme, Authority, ":path: /search?q=a%20b", "host: EXAMPLE.com"] },
        { [":method: OPTIONS", Scheme, Authority, ":path: *"] },
        { [":method: CONNECT", ":authority: example.com:443"] },
        { [Method, ":scheme: foo", ":path: relative-is-fine-outside-http"] },
        { [Method, Scheme, Path, "host: example.com"] },
    };

    [Theory]
    [MemberData(nameof(GoodRequests))]
    public void WellFormedRequestHeaders_PassOnBothVersions(string[] lines)
    {
        Assert.Null(new MessageValidator(Http2RuleBook.Instance, MessageKind.Request, 1).ReceiveHeaders(Fields.Of(lines), endStream: true));
        Assert.Null(new MessageValidator(Http3RuleBook.Instance, MessageKind.Request, 0).ReceiveHeaders(Fields.Of(lines), endStream: false));
    }

    [Fact]
    public void Rfc9114_4_3_1_HttpsRequestNeedsAuthorityOrHost_OnHttp3Only()
    {
        string[] lines = [Method, Scheme, Path];

        var overHttp3 = new MessageValidator(Http3RuleBook.Instance, MessageKind.Request, 0).ReceiveHeaders(Fields.Of(lines), endStream: false);
        var overHttp2 = new MessageValidator(Http2RuleBook.Instance, MessageKind.Request, 1).ReceiveHeaders(Fields.Of(lines), endStream: true);

        Assert.Equal("malformed request on stream 0: neither :authority nor host (RFC 9114 4.3.1)", overHttp3?.ToString());
        Assert.Null(overHttp2);
    }

    [Fact]
    public void RequestContent_IsCheckedAgainstContentLength()
    {
        var request = new MessageValidator(Http2RuleBook.Instance, MessageKind.Request, 5);
        Assert.Null(request.ReceiveHeaders(Fields.Of(":method: POST", Scheme, Authority, Path, "content-length: 5"), endStream: false));
        Assert.Null(request.ReceiveData(3, endStream: false));

        var violation = request.ReceiveData(0, endStream: true);

        Assert.Equal("malformed request on stream 5: content-length 5 but 3 bytes of DATA (RFC 9113 8.1.1)", violation?.ToString());
    }

    [Fact]
    public void Rfc9113_8_1_1_HeadersWithEndStreamAndAContentLength_IsMalformed()
    {
        var request = new MessageValidator(Http2RuleBook.Instance, MessageKind.Request, 1);

        var violation = request.ReceiveHeaders(Fields.Of(":method: POST", Scheme, Authority, Path, "content-length: 5"), endStream: true);

        Assert.Equal(MessageRule.ContentLengthMismatch, violation?.Rule);
        Assert.Equal("content-length 5 but 0 bytes of DATA", violation?.Detail);
    }
}
