using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2;

/// <summary>Error codes of RFC 9113 Section 7, used in RST_STREAM and GOAWAY.</summary>
public enum Http2ErrorCode : uint
{
    NoError = 0x0,
    ProtocolError = 0x1,
    InternalError = 0x2,
    FlowControlError = 0x3,
    SettingsTimeout = 0x4,
    StreamClosed = 0x5,
    FrameSizeError = 0x6,
    RefusedStream = 0x7,
    Cancel = 0x8,
    CompressionError = 0x9,
    ConnectError = 0xa,
    EnhanceYourCalm = 0xb,
    InadequateSecurity = 0xc,
    Http11Required = 0xd,
}

/// <summary>Names as the RFC spells them (PROTOCOL_ERROR), and parsing of names or numbers.</summary>
public static class Http2ErrorCodes
{
    private static readonly string[] Names =
    [
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
        "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
        "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    ];

    public static IReadOnlyList<string> AllNames => Names;

    public static string Name(Http2ErrorCode code) => Name((uint)code);

    public static string Name(uint code) => code < Names.Length ? Names[code] : $"UNKNOWN_ERROR(0x{code:x})";

    /// <summary>The name of a code carried in the shared <c>StreamReset</c> event, which holds either version's codes.</summary>
    public static string Name(ulong code) => code <= uint.MaxValue ? Name((uint)code) : $"UNKNOWN_ERROR(0x{code:x})";

    /// <summary>Accepts PROTOCOL_ERROR, protocol_error, 1 or 0x1.</summary>
    public static bool TryParse(string text, out uint code)
    {
        var index = Array.FindIndex(Names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            code = (uint)index;
            return true;
        }

        return NumberText.TryParseUInt32(text, out code);
    }
}
