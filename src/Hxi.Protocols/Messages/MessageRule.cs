namespace Hxi.Protocols.Messages;

/// <summary>
/// A rule a received HTTP message can break (RFC 9113 Section 8, RFC 9114 Section 4, RFC 9110).
/// The rules are the same on HTTP/2 and HTTP/3; each version's <see cref="MessageRuleBook"/> names its own section.
/// </summary>
public enum MessageRule
{
    /// <summary>:method, :scheme and :path in a request, :status in a response.</summary>
    PseudoHeaderMissing,

    /// <summary>The same pseudo-header field twice in one field section.</summary>
    PseudoHeaderRepeated,

    /// <summary>A pseudo-header field that is not defined, or defined only for the other kind of message.</summary>
    PseudoHeaderUndefined,

    /// <summary>A pseudo-header field after a regular field.</summary>
    PseudoHeaderAfterRegularField,

    /// <summary>A pseudo-header field in a trailer section.</summary>
    PseudoHeaderInTrailers,

    /// <summary>:status that is not three digits, an empty or relative :path, an empty :method or :scheme.</summary>
    PseudoHeaderInvalid,

    /// <summary>:authority missing where the scheme needs one, empty, with userinfo, or unlike Host.</summary>
    AuthorityInvalid,

    /// <summary>A CONNECT request with :scheme or :path, or without :authority.</summary>
    ConnectRequestInvalid,

    /// <summary>
    /// A request promised in PUSH_PROMISE whose method is not safe and cacheable (GET, HEAD), that announces
    /// content, or that lacks :authority (RFC 9113 8.4, RFC 9114 4.6).
    /// </summary>
    PromisedRequestInvalid,

    /// <summary>A field name with an upper-case letter.</summary>
    FieldNameUppercase,

    /// <summary>A field name that is empty or holds a character a token may not (space, control, colon, delimiter, non-ASCII).</summary>
    FieldNameInvalid,

    /// <summary>A field value with NUL, CR or LF, or with leading or trailing whitespace.</summary>
    FieldValueInvalid,

    /// <summary>connection, keep-alive, proxy-connection, transfer-encoding or upgrade.</summary>
    ConnectionSpecificField,

    /// <summary>te with a value other than "trailers".</summary>
    TeNotTrailers,

    /// <summary>content-length that is not a non-negative decimal integer, or several different values.</summary>
    ContentLengthInvalid,

    /// <summary>content-length unlike the sum of the DATA payloads (too many or too few bytes).</summary>
    ContentLengthMismatch,

    /// <summary>Content in a response that has none: to HEAD, or 204 or 304.</summary>
    ContentNotAllowed,

    /// <summary>An interim (1xx) response that ends the stream.</summary>
    InterimResponseEndsStream,

    /// <summary>101 (Switching Protocols), which HTTP/2 and HTTP/3 do not support.</summary>
    SwitchingProtocols,

    /// <summary>DATA before the header section.</summary>
    DataBeforeHeaders,

    /// <summary>A field section after the final header section that does not end the stream (HTTP/2 trailers carry END_STREAM).</summary>
    TrailersDoNotEndStream,

    /// <summary>A field section after the trailers.</summary>
    HeadersAfterTrailers,
}
