namespace Hxi.Protocols.Http2;

/// <summary>Frame types of RFC 9113 Section 6. Any other value is kept as an <see cref="UnknownFrame"/>.</summary>
public enum Http2FrameType : byte
{
    Data = 0x0,
    Headers = 0x1,
    Priority = 0x2,
    RstStream = 0x3,
    Settings = 0x4,
    PushPromise = 0x5,
    Ping = 0x6,
    GoAway = 0x7,
    WindowUpdate = 0x8,
    Continuation = 0x9,
}

/// <summary>Frame flag bits (RFC 9113 Section 6); their meaning depends on the frame type.</summary>
[Flags]
public enum Http2FrameFlags : byte
{
    None = 0,
    EndStream = 0x1,
    Ack = 0x1,
    EndHeaders = 0x4,
    Padded = 0x8,
    Priority = 0x20,
}
