using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2;

/// <summary>SETTINGS parameters of RFC 9113 Section 6.5.2 (and RFC 8441's extended CONNECT).</summary>
public enum Http2SettingId : ushort
{
    HeaderTableSize = 0x1,
    EnablePush = 0x2,
    MaxConcurrentStreams = 0x3,
    InitialWindowSize = 0x4,
    MaxFrameSize = 0x5,
    MaxHeaderListSize = 0x6,
    EnableConnectProtocol = 0x8,
    NoRfc7540Priorities = 0x9,
}

/// <summary>One SETTINGS parameter as it went over the wire.</summary>
public readonly record struct Http2Setting(Http2SettingId Id, uint Value)
{
    public override string ToString() => $"{Http2SettingNames.Name(Id)}={Value}";
}

/// <summary>SETTINGS_* names, and parsing of names (with or without the prefix) or numbers.</summary>
public static class Http2SettingNames
{
    private static readonly (Http2SettingId Id, string Name)[] Known =
    [
        (Http2SettingId.HeaderTableSize, "SETTINGS_HEADER_TABLE_SIZE"),
        (Http2SettingId.EnablePush, "SETTINGS_ENABLE_PUSH"),
        (Http2SettingId.MaxConcurrentStreams, "SETTINGS_MAX_CONCURRENT_STREAMS"),
        (Http2SettingId.InitialWindowSize, "SETTINGS_INITIAL_WINDOW_SIZE"),
        (Http2SettingId.MaxFrameSize, "SETTINGS_MAX_FRAME_SIZE"),
        (Http2SettingId.MaxHeaderListSize, "SETTINGS_MAX_HEADER_LIST_SIZE"),
        (Http2SettingId.EnableConnectProtocol, "SETTINGS_ENABLE_CONNECT_PROTOCOL"),
        (Http2SettingId.NoRfc7540Priorities, "SETTINGS_NO_RFC7540_PRIORITIES"),
    ];

    public static IEnumerable<string> AllNames => Known.Select(k => k.Name);

    public static string Name(Http2SettingId id)
    {
        foreach (var (known, name) in Known)
        {
            if (known == id)
            {
                return name;
            }
        }

        return $"UNKNOWN_SETTING(0x{(ushort)id:x})";
    }

    /// <summary>Accepts SETTINGS_MAX_FRAME_SIZE, MAX_FRAME_SIZE (any case), 5 or 0x5.</summary>
    public static bool TryParse(string text, out Http2SettingId id)
    {
        foreach (var (known, name) in Known)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name["SETTINGS_".Length..], text, StringComparison.OrdinalIgnoreCase))
            {
                id = known;
                return true;
            }
        }

        if (NumberText.TryParseUInt32(text, out var value) && value <= ushort.MaxValue)
        {
            id = (Http2SettingId)value;
            return true;
        }

        id = default;
        return false;
    }
}
