namespace Hxi.Protocols.Http3;

/// <summary>Frame type codes of RFC 9114 Section 7.2 and RFC 9218 Section 7.2; any other value is an unknown frame.</summary>
public static class Http3FrameType
{
    public const long Data = 0x00;
    public const long Headers = 0x01;
    public const long CancelPush = 0x03;
    public const long Settings = 0x04;
    public const long PushPromise = 0x05;
    public const long GoAway = 0x07;
    public const long MaxPushId = 0x0d;
    public const long PriorityUpdateRequest = 0xf0700;
    public const long PriorityUpdatePush = 0xf0701;

    /// <summary>HTTP/2 frame types with no HTTP/3 meaning (PRIORITY, PING, WINDOW_UPDATE, CONTINUATION): receiving one is H3_FRAME_UNEXPECTED.</summary>
    public static bool IsReservedHttp2Type(long type) => type is 0x02 or 0x06 or 0x08 or 0x09;

    public static string Name(long type) => type switch
    {
        Data => "DATA",
        Headers => "HEADERS",
        CancelPush => "CANCEL_PUSH",
        Settings => "SETTINGS",
        PushPromise => "PUSH_PROMISE",
        GoAway => "GOAWAY",
        MaxPushId => "MAX_PUSH_ID",
        PriorityUpdateRequest => "PRIORITY_UPDATE",
        PriorityUpdatePush => "PRIORITY_UPDATE(push)",
        _ when IsReservedHttp2Type(type) => $"HTTP/2 type 0x{type:x}",
        _ when Http3Reserved.IsReserved((ulong)type) => $"GREASE 0x{type:x}",
        _ => $"UNKNOWN 0x{type:x}",
    };
}

/// <summary>Unidirectional stream types of RFC 9114 Section 6.2 and RFC 9204 Section 4.2.</summary>
public static class Http3StreamType
{
    public const long Control = 0x00;
    public const long Push = 0x01;
    public const long QpackEncoder = 0x02;
    public const long QpackDecoder = 0x03;

    public static string Name(long type) => type switch
    {
        Control => "control",
        Push => "push",
        QpackEncoder => "QPACK encoder",
        QpackDecoder => "QPACK decoder",
        _ when Http3Reserved.IsReserved((ulong)type) => $"GREASE 0x{type:x}",
        _ => $"unknown 0x{type:x}",
    };
}

/// <summary>SETTINGS identifiers of RFC 9114 Section 7.2.4.1, RFC 9204 Section 5, RFC 9220 and RFC 9297.</summary>
public static class Http3SettingId
{
    public const long QpackMaxTableCapacity = 0x01;
    public const long MaxFieldSectionSize = 0x06;
    public const long QpackBlockedStreams = 0x07;
    public const long EnableConnectProtocol = 0x08;
    public const long H3Datagram = 0x33;

    /// <summary>HTTP/2 settings with no HTTP/3 meaning; receiving one is H3_SETTINGS_ERROR (Section 7.2.4.1).</summary>
    public static bool IsReservedHttp2Setting(long id) => id is 0x00 or 0x02 or 0x03 or 0x04 or 0x05;

    public static string Name(long id) => id switch
    {
        QpackMaxTableCapacity => "SETTINGS_QPACK_MAX_TABLE_CAPACITY",
        MaxFieldSectionSize => "SETTINGS_MAX_FIELD_SECTION_SIZE",
        QpackBlockedStreams => "SETTINGS_QPACK_BLOCKED_STREAMS",
        EnableConnectProtocol => "SETTINGS_ENABLE_CONNECT_PROTOCOL",
        H3Datagram => "SETTINGS_H3_DATAGRAM",
        _ when Http3Reserved.IsReserved((ulong)id) => $"GREASE 0x{id:x}",
        _ => $"0x{id:x}",
    };
}
