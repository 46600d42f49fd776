namespace Hxi.Protocols.Http3;

/// <summary>
/// The reserved "GREASE" code points of RFC 9114 (frame types 7.2.8, stream types 6.2.3, settings 7.2.4.1,
/// error codes 8.1): 0x1f * N + 0x21. A peer must ignore them, which is why we send them too.
/// </summary>
public static class Http3Reserved
{
    public static bool IsReserved(ulong value) => value >= 0x21 && (value - 0x21) % 0x1f == 0;

    /// <summary>The reserved value for <paramref name="n"/>; any N up to 2^62/31 stays a valid varint.</summary>
    public static ulong ForN(ulong n) => (0x1f * n) + 0x21;
}
