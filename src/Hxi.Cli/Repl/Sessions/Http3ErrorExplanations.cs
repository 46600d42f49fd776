using Hxi.Protocols.Http3;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>What each RFC 9114 and RFC 9204 error code means, in one sentence, so a server's verdict explains itself.</summary>
public static class Http3ErrorExplanations
{
    public static string Explain(ulong code) => (Http3ErrorCode)code switch
    {
        Http3ErrorCode.NoError => "H3_NO_ERROR: a graceful close, nothing went wrong",
        Http3ErrorCode.GeneralProtocolError => "H3_GENERAL_PROTOCOL_ERROR: the peer saw a protocol violation no more specific code covers",
        Http3ErrorCode.InternalError => "H3_INTERNAL_ERROR: the peer failed on its own side",
        Http3ErrorCode.StreamCreationError => "H3_STREAM_CREATION_ERROR: a stream was opened that the peer does not accept (a second control stream, a client push stream)",
        Http3ErrorCode.ClosedCriticalStream => "H3_CLOSED_CRITICAL_STREAM: a control or QPACK stream was closed or reset, which RFC 9114 forbids",
        Http3ErrorCode.FrameUnexpected => "H3_FRAME_UNEXPECTED: a frame arrived on a stream or at a time it is not allowed (DATA on the control stream, a second SETTINGS)",
        Http3ErrorCode.FrameError => "H3_FRAME_ERROR: a frame's layout was wrong (its payload did not match its type or length)",
        Http3ErrorCode.ExcessiveLoad => "H3_EXCESSIVE_LOAD: the peer thinks it is being flooded",
        Http3ErrorCode.IdError => "H3_ID_ERROR: a stream or push id was used wrongly (a GOAWAY id that grew, a push id beyond MAX_PUSH_ID)",
        Http3ErrorCode.SettingsError => "H3_SETTINGS_ERROR: SETTINGS were invalid (a repeated identifier, an HTTP/2 setting)",
        Http3ErrorCode.MissingSettings => "H3_MISSING_SETTINGS: the control stream did not begin with SETTINGS",
        Http3ErrorCode.RequestRejected => "H3_REQUEST_REJECTED: the request was not processed at all; it is safe to retry",
        Http3ErrorCode.RequestCancelled => "H3_REQUEST_CANCELLED: the request or its response is no longer wanted",
        Http3ErrorCode.RequestIncomplete => "H3_REQUEST_INCOMPLETE: the stream ended before the request was complete",
        Http3ErrorCode.MessageError => "H3_MESSAGE_ERROR: the message was malformed (bad pseudo-header fields, a forbidden header)",
        Http3ErrorCode.ConnectError => "H3_CONNECT_ERROR: the CONNECT tunnel failed",
        Http3ErrorCode.VersionFallback => "H3_VERSION_FALLBACK: the peer wants this request over HTTP/1.1 or HTTP/2",
        Http3ErrorCode.QpackDecompressionFailed => "QPACK_DECOMPRESSION_FAILED: a field section could not be decoded (a bad index, an evicted entry)",
        Http3ErrorCode.QpackEncoderStreamError => "QPACK_ENCODER_STREAM_ERROR: an encoder stream instruction could not be applied",
        Http3ErrorCode.QpackDecoderStreamError => "QPACK_DECODER_STREAM_ERROR: a decoder stream instruction was invalid",
        _ => $"{Http3ErrorCodes.Name(code)}: not a code RFC 9114 defines; Section 9 has receivers treat unknown codes like H3_NO_ERROR",
    };
}
