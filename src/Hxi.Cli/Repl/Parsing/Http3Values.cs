using System.Globalization;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Quic;

namespace Hxi.Cli.Repl.Parsing;

/// <summary>Reads HTTP/3's values (varint ids, frame and stream types, settings, error codes) by name or number.</summary>
public static class Http3Values
{
    /// <summary>The largest QUIC variable-length integer (RFC 9000 Section 16).</summary>
    public const long MaxVarint = (1L << 62) - 1;

    public static readonly IReadOnlyDictionary<string, long> FrameTypes = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)
    {
        ["DATA"] = Http3FrameType.Data,
        ["HEADERS"] = Http3FrameType.Headers,
        ["CANCEL_PUSH"] = Http3FrameType.CancelPush,
        ["SETTINGS"] = Http3FrameType.Settings,
        ["PUSH_PROMISE"] = Http3FrameType.PushPromise,
        ["GOAWAY"] = Http3FrameType.GoAway,
        ["MAX_PUSH_ID"] = Http3FrameType.MaxPushId,
        ["PRIORITY_UPDATE"] = Http3FrameType.PriorityUpdateRequest,
        ["PRIORITY_UPDATE_PUSH"] = Http3FrameType.PriorityUpdatePush,
        // A reserved type every peer must ignore (RFC 9114 Section 7.2.8).
        ["GREASE"] = (long)Http3Reserved.ForN(1),
    };

    public static readonly IReadOnlyDictionary<string, long> StreamTypes = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)
    {
        ["control"] = Http3StreamType.Control,
        ["push"] = Http3StreamType.Push,
        ["encoder"] = Http3StreamType.QpackEncoder,
        ["decoder"] = Http3StreamType.QpackDecoder,
        ["grease"] = (long)Http3Reserved.ForN(1),
    };

    public static readonly IReadOnlyDictionary<string, long> Settings = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)
    {
        ["QPACK_MAX_TABLE_CAPACITY"] = Http3SettingId.QpackMaxTableCapacity,
        ["MAX_FIELD_SECTION_SIZE"] = Http3SettingId.MaxFieldSectionSize,
        ["QPACK_BLOCKED_STREAMS"] = Http3SettingId.QpackBlockedStreams,
        ["ENABLE_CONNECT_PROTOCOL"] = Http3SettingId.EnableConnectProtocol,
        ["H3_DATAGRAM"] = Http3SettingId.H3Datagram,
        ["GREASE"] = (long)Http3Reserved.ForN(1),
    };

    public static readonly IReadOnlyList<string> ErrorCodeNames = [.. Enum.GetValues<Http3ErrorCode>().Select(Http3ErrorCodes.Name)];

    /// <summary>A stream id, push id or other varint: decimal, or hex with 0x.</summary>
    public static long Varint(string text, string what)
    {
        var parsed = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!parsed || value < 0 || value > MaxVarint)
        {
            throw new ReplInputException($"{what} '{text}' is not a number from 0 to 2^62-1 (decimal, or hex with 0x)");
        }

        return value;
    }

    public static long FrameType(string text) => Named(FrameTypes, text, "frame type", "DATA, SETTINGS, GOAWAY or GREASE");

    public static long StreamType(string text) => Named(StreamTypes, text, "stream type", "control, push, encoder, decoder or grease");

    public static long Setting(string text) =>
        Named(Settings, text.StartsWith("SETTINGS_", StringComparison.OrdinalIgnoreCase) ? text[9..] : text, "setting", "QPACK_MAX_TABLE_CAPACITY or MAX_FIELD_SECTION_SIZE");

    public static ulong ErrorCode(string text) =>
        Http3ErrorCodes.TryParse(text, out var code) && code <= MaxVarint
            ? code
            : throw new ReplInputException($"unknown HTTP/3 error code '{text}' (a name like H3_NO_ERROR or H3_REQUEST_CANCELLED, or a number)");

    /// <summary>A QUIC transport error code (RFC 9000 Section 20.1) by name (PROTOCOL_VIOLATION) or number.</summary>
    public static ulong TransportErrorCode(string text)
    {
        for (ulong code = 0; code <= 0x10; code++)
        {
            if (QuicTransportErrorCodes.Name(code).Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                return code;
            }
        }

        return (ulong)Named(new Dictionary<string, long>(), text, "QUIC transport error code", "PROTOCOL_VIOLATION or NO_ERROR");
    }

    private static long Named(IReadOnlyDictionary<string, long> names, string text, string what, string examples)
    {
        if (names.TryGetValue(text.Replace('-', '_'), out var value))
        {
            return value;
        }

        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            return Varint(text, what);
        }

        throw new ReplInputException($"unknown {what} '{text}' (a name like {examples}, or a number)");
    }
}
