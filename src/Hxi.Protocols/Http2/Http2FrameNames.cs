namespace Hxi.Protocols.Http2;

/// <summary>Frame type names as the RFC spells them (RST_STREAM, WINDOW_UPDATE).</summary>
public static class Http2FrameNames
{
    private static readonly string[] Names =
    [
        "DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION",
    ];

    public static IReadOnlyList<string> AllNames => Names;

    public static string Name(Http2FrameType type) => Name((byte)type);

    public static string Name(byte type) => type < Names.Length ? Names[type] : $"UNKNOWN(0x{type:x2})";

    /// <summary>Accepts DATA, data, rst_stream, RST-STREAM, 3 or 0x3.</summary>
    public static bool TryParse(string text, out byte type)
    {
        var normalised = text.Replace('-', '_');
        var index = Array.FindIndex(Names, n => string.Equals(n, normalised, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            type = (byte)index;
            return true;
        }

        if (Primitives.NumberText.TryParseUInt32(text, out var value) && value <= byte.MaxValue)
        {
            type = (byte)value;
            return true;
        }

        type = 0;
        return false;
    }
}
