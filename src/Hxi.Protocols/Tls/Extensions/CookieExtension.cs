namespace Hxi.Protocols.Tls;

/// <summary>cookie (RFC 9846 Section 4.2.2): sent by a HelloRetryRequest, echoed in the second ClientHello.</summary>
/// <remarks>
/// <code>
///    struct {
///        opaque cookie&lt;1..2^16-1&gt;;
///    } Cookie;
/// </code>
/// </remarks>
internal static class CookieExtension
{
    public static TlsExtension Create(ReadOnlySpan<byte> cookie)
    {
        var writer = new TlsWriter();
        writer.WriteVector16(cookie);
        return new TlsExtension(TlsExtensionType.Cookie, writer.ToArray());
    }

    public static byte[] Read(ref TlsReader reader) => reader.ReadVector16(1, ushort.MaxValue, "cookie").ToArray();
}
