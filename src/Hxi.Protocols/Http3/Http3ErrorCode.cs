using System.Globalization;

namespace Hxi.Protocols.Http3;

/// <summary>Application error codes of RFC 9114 Section 8.1 and RFC 9204 Section 6, used in RESET_STREAM, STOP_SENDING and CONNECTION_CLOSE.</summary>
public enum Http3ErrorCode : ulong
{
    NoError = 0x100,
    GeneralProtocolError = 0x101,
    InternalError = 0x102,
    StreamCreationError = 0x103,
    ClosedCriticalStream = 0x104,
    FrameUnexpected = 0x105,
    FrameError = 0x106,
    ExcessiveLoad = 0x107,
    IdError = 0x108,
    SettingsError = 0x109,
    MissingSettings = 0x10a,
    RequestRejected = 0x10b,
    RequestCancelled = 0x10c,
    RequestIncomplete = 0x10d,
    MessageError = 0x10e,
    ConnectError = 0x10f,
    VersionFallback = 0x110,
    QpackDecompressionFailed = 0x200,
    QpackEncoderStreamError = 0x201,
    QpackDecoderStreamError = 0x202,
}

/// <summary>Names as the RFCs spell them (H3_FRAME_UNEXPECTED), GREASE for the reserved 0x1f * N + 0x21 codes.</summary>
public static class Http3ErrorCodes
{
    private static readonly Dictionary<ulong, string> Names = new()
    {
        [0x100] = "H3_NO_ERROR",
        [0x101] = "H3_GENERAL_PROTOCOL_ERROR",
        [0x102] = "H3_INTERNAL_ERROR",
        [0x103] = "H3_STREAM_CREATION_ERROR",
        [0x104] = "H3_CLOSED_CRITICAL_STREAM",
        [0x105] = "H3_FRAME_UNEXPECTED",
        [0x106] = "H3_FRAME_ERROR",
        [0x107] = "H3_EXCESSIVE_LOAD",
        [0x108] = "H3_ID_ERROR",
        [0x109] = "H3_SETTINGS_ERROR",
        [0x10a] = "H3_MISSING_SETTINGS",
        [0x10b] = "H3_REQUEST_REJECTED",
        [0x10c] = "H3_REQUEST_CANCELLED",
        [0x10d] = "H3_REQUEST_INCOMPLETE",
        [0x10e] = "H3_MESSAGE_ERROR",
        [0x10f] = "H3_CONNECT_ERROR",
        [0x110] = "H3_VERSION_FALLBACK",
        [0x200] = "QPACK_DECOMPRESSION_FAILED",
        [0x201] = "QPACK_ENCODER_STREAM_ERROR",
        [0x202] = "QPACK_DECODER_STREAM_ERROR",
    };

    public static string Name(Http3ErrorCode code) => Name((ulong)code);

    /// <summary>The RFC name, "GREASE (0x...)" for a reserved code, or the number in hex.</summary>
    public static string Name(ulong code) =>
        Names.TryGetValue(code, out var name) ? name
        : Http3Reserved.IsReserved(code) ? $"GREASE (0x{code:x})"
        : "0x" + code.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Parses "H3_FRAME_ERROR", "FRAME_ERROR", a decimal or a 0x-prefixed hex number.</summary>
    public static bool TryParse(string text, out ulong code)
    {
        text = text.Trim();
        foreach (var (value, name) in Names)
        {
            if (name.Equals(text, StringComparison.OrdinalIgnoreCase)
                || (name.StartsWith("H3_", StringComparison.Ordinal) && name[3..].Equals(text, StringComparison.OrdinalIgnoreCase)))
            {
                code = value;
                return true;
            }
        }

        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code);
    }
}
