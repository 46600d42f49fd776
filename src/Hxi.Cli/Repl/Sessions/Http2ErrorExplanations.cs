using Hxi.Protocols.Http2;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>What each RFC 9113 error code means, in one sentence, so a server's verdict explains itself.</summary>
public static class Http2ErrorExplanations
{
    public static string Explain(uint code) => (Http2ErrorCode)code switch
    {
        Http2ErrorCode.NoError => "NO_ERROR: a graceful shutdown, nothing went wrong",
        Http2ErrorCode.ProtocolError => "PROTOCOL_ERROR: the peer saw something RFC 9113 forbids (a frame on the wrong stream, in the wrong state, or malformed)",
        Http2ErrorCode.InternalError => "INTERNAL_ERROR: the peer failed on its own side",
        Http2ErrorCode.FlowControlError => "FLOW_CONTROL_ERROR: a flow-control window was overrun or overflowed",
        Http2ErrorCode.SettingsTimeout => "SETTINGS_TIMEOUT: SETTINGS were not acknowledged in time",
        Http2ErrorCode.StreamClosed => "STREAM_CLOSED: a frame arrived on a stream that was already half-closed or closed",
        Http2ErrorCode.FrameSizeError => "FRAME_SIZE_ERROR: a frame had the wrong length for its type, or exceeded SETTINGS_MAX_FRAME_SIZE",
        Http2ErrorCode.RefusedStream => "REFUSED_STREAM: the stream was refused before any processing; it is safe to retry",
        Http2ErrorCode.Cancel => "CANCEL: the stream is no longer needed",
        Http2ErrorCode.CompressionError => "COMPRESSION_ERROR: the HPACK state could not be kept in sync",
        Http2ErrorCode.ConnectError => "CONNECT_ERROR: the CONNECT tunnel failed",
        Http2ErrorCode.EnhanceYourCalm => "ENHANCE_YOUR_CALM: the peer thinks it is being flooded",
        Http2ErrorCode.InadequateSecurity => "INADEQUATE_SECURITY: the TLS parameters are not good enough for HTTP/2",
        Http2ErrorCode.Http11Required => "HTTP_1_1_REQUIRED: the peer wants this request over HTTP/1.1",
        _ => $"{Http2ErrorCodes.Name(code)}: not a code RFC 9113 defines; peers treat it as INTERNAL_ERROR",
    };
}
