using Hxi.Protocols.Http2;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Tests.Messages;

/// <summary>
/// A message judged as it arrives: interim responses, the final header section, DATA against content-length,
/// trailers (RFC 9113 8.1 and 8.1.1, RFC 9114 4.1 and 4.1.2, RFC 9110 6.4.1 and 15.2).
/// </summary>
public class MessageSequenceTests
{
    private static MessageValidator Response(MessageRuleBook book, string method = "GET") =>
        new(book, MessageKind.Response, book == Http2RuleBook.Instance ? 1 : 0) { RequestMethod = method };

    public static TheoryData<string> Versions => new() { "h2", "h3" };

    private static MessageRuleBook Book(string version) => version == "h2" ? Http2RuleBook.Instance : Http3RuleBook.Instance;

    [Fact]
    public void Rfc9113_8_1_1_ContentLength1000_Then10BytesAndEndStream_IsMalformed()
    {
        var response = Response(Http2RuleBook.Instance);
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 200", "content-length: 1000"), endStream: false));

        var violation = response.ReceiveData(10, endStream: true);

        Assert.Equal("malformed response on stream 1: content-length 1000 but 10 bytes of DATA (RFC 9113 8.1.1)", violation?.ToString());
        Assert.Equal(MessageRule.ContentLengthMismatch, violation?.Rule);
    }

    [Fact]
    public void Rfc9114_4_1_2_ContentLength1000_Then10BytesAndFin_IsMalformed()
    {
        var response = Response(Http3RuleBook.Instance);
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 200", "content-length: 1000"), endStream: false));
        Assert.Null(response.ReceiveData(10, endStream: false));

        var violation = response.ReceiveEnd();

        Assert.Equal("malformed response on stream 0: content-length 1000 but 10 bytes of DATA (RFC 9114 4.1.2)", violation?.ToString());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void TooManyBytes_AreCaughtAtTheDataThatPassesContentLength(string version)
    {
        var response = Response(Book(version));
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 200", "content-length: 5"), endStream: false));
        Assert.Null(response.ReceiveData(5, endStream: false));

        var violation = response.ReceiveData(7, endStream: false);

        Assert.Equal("content-length 5 but 12 bytes of DATA", violation?.Detail);
        Assert.Null(response.ReceiveEnd()); // said once, not again at the end
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void ExactContentLength_InManyDataFrames_WithTrailers_IsWellFormed(string version)
    {
        var book = Book(version);
        var response = Response(book);
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 200", "content-length: 6"), endStream: false));
        Assert.Null(response.ReceiveData(1, endStream: false));
        Assert.Null(response.ReceiveData(0, endStream: false));
        Assert.Null(response.ReceiveData(5, endStream: false));
        Assert.Null(response.ReceiveHeaders(Fields.Of("grpc-status: 0"), endStream: book.TrailersEndStream));
        Assert.Null(response.ReceiveEnd());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Rfc9110_15_2_AnyNumberOfInterimResponses_BeforeTheFinalOne(string version)
    {
        var response = Response(Book(version));

        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 100"), endStream: false));
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 103", "link: </a.css>; rel=preload"), endStream: false));
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 103", "link: </b.js>; rel=preload"), endStream: false));
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 200", "content-length: 2"), endStream: false));
        Assert.Null(response.ReceiveData(2, endStream: true));
    }

    [Fact]
    public void Rfc9113_8_1_InterimResponseWithEndStream_IsMalformed()
    {
        var response = Response(Http2RuleBook.Instance);

        var violation = response.ReceiveHeaders(Fields.Of(":status: 103"), endStream: true);

        Assert.Equal("malformed response on stream 1: interim response 103 ends the stream (RFC 9113 8.1)", violation?.ToString());
    }

    [Theory]
    [InlineData("h2", "RFC 9113 8.6")]
    [InlineData("h3", "RFC 9114 4.5")]
    public void SwitchingProtocols_IsNotAnInterimResponseOnHttp2OrHttp3(string version, string section)
    {
        var violation = Response(Book(version)).ReceiveHeaders(Fields.Of(":status: 101", "server: x"), endStream: false);

        Assert.Equal((MessageRule.SwitchingProtocols, section), (violation?.Rule, violation?.Section));
    }

    [Theory]
    [InlineData("h2", "RFC 9113 8.1")]
    [InlineData("h3", "RFC 9114 4.1")]
    public void DataBeforeHeaders_IsMalformed(string version, string section)
    {
        var violation = Response(Book(version)).ReceiveData(4, endStream: false);

        Assert.Equal((MessageRule.DataBeforeHeaders, section), (violation?.Rule, violation?.Section));
        Assert.Equal("DATA before the response's HEADERS", violation?.Detail);
    }

    [Theory]
    [InlineData("h2", "RFC 9113 8.1")]
    [InlineData("h3", "RFC 9114 4.3")]
    public void PseudoHeaderInTrailers_IsMalformed(string version, string section)
    {
        var book = Book(version);
        var response = Response(book);
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 200"), endStream: false));

        var violation = response.ReceiveHeaders(Fields.Of(":status: 200"), endStream: true);

        Assert.Equal((MessageRule.PseudoHeaderInTrailers, section), (violation?.Rule, violation?.Section));
    }

    [Theory]
    [InlineData("h2", "RFC 9113 8.2.2")]
    [InlineData("h3", "RFC 9114 4.2")]
    public void TrailersObeyTheFieldRulesToo(string version, string section)
    {
        var response = Response(Book(version));
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 200"), endStream: false));

        var violation = response.ReceiveHeaders(Fields.Of("transfer-encoding: chunked"), endStream: true);

        Assert.Equal((MessageRule.ConnectionSpecificField, section), (violation?.Rule, violation?.Section));
    }

    [Fact]
    public void Rfc9113_8_1_TrailersWithoutEndStream_AndHeadersAfterThem_AreMalformed()
    {
        var response = Response(Http2RuleBook.Instance);
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 200"), endStream: false));

        var trailers = response.ReceiveHeaders(Fields.Of("x-checksum: 1"), endStream: false);
        var more = response.ReceiveHeaders(Fields.Of("x-checksum: 2"), endStream: true);

        Assert.Equal((MessageRule.TrailersDoNotEndStream, "RFC 9113 8.1"), (trailers?.Rule, trailers?.Section));
        Assert.Equal((MessageRule.HeadersAfterTrailers, "RFC 9113 8.1"), (more?.Rule, more?.Section));
    }

    [Fact]
    public void Rfc9114_4_1_HeadersAfterTrailers_IsMalformed()
    {
        var response = Response(Http3RuleBook.Instance);
        Assert.Null(response.ReceiveHeaders(Fields.Of(":status: 200"), endStream: false));
        Assert.Null(response.ReceiveHeaders(Fields.Of("x-checksum: 1"), endStream: false));

        var violation = response.ReceiveHeaders(Fields.Of("x-checksum: 2"), endStream: false);

        Assert.Equal("malformed response on stream 0: a field section after the trailers (RFC 9114 4.1)", violation?.ToString());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Rfc9110_6_4_1_ResponsesWithoutContent_MayDeclareALength_ButCarryNoData(string version)
    {
        var book = Book(version);
        var head = Response(book, method: "HEAD");
        Assert.Null(head.ReceiveHeaders(Fields.Of(":status: 200", "content-length: 1000"), endStream: false));
        Assert.Null(head.ReceiveEnd());

        var notModified = Response(book);
        Assert.Null(notModified.ReceiveHeaders(Fields.Of(":status: 304", "content-length: 1000"), endStream: true));

        var headWithData = Response(book, method: "HEAD");
        Assert.Null(headWithData.ReceiveHeaders(Fields.Of(":status: 200", "content-length: 5"), endStream: false));
        var violation = headWithData.ReceiveData(5, endStream: false);
        Assert.Equal("5 bytes of DATA in a response to HEAD, which has no content", violation?.Detail);
        Assert.Equal("RFC 9110 6.4.1", violation?.Section);

        var noContent = Response(book);
        Assert.Null(noContent.ReceiveHeaders(Fields.Of(":status: 204"), endStream: false));
        Assert.Equal("1 byte of DATA in a 204 response, which has no content", noContent.ReceiveData(1, endStream: false)?.Detail);
    }

    [Fact]
    public void AfterAViolation_TheValidatorKeepsJudging_ForConnectionsThatOnlyReport()
    {
        var response = Response(Http2RuleBook.Instance);

        Assert.Equal(MessageRule.FieldNameUppercase, response.ReceiveHeaders(Fields.Of(":status: 200", "Content-Length: 3", "content-length: 4"), endStream: false)?.Rule);
        Assert.Null(response.ReceiveData(4, endStream: false));
        Assert.Equal(MessageRule.PseudoHeaderInTrailers, response.ReceiveHeaders(Fields.Of(":path: /"), endStream: true)?.Rule);
    }
}
