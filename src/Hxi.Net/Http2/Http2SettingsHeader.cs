using System.Buffers.Binary;
using Hxi.Protocols.Http2;

namespace Hxi.Net.Http2;

/// <summary>The HTTP2-Settings header of an h2c Upgrade: a SETTINGS payload in base64url without padding.</summary>
public static class Http2SettingsHeader
{
    public static string Encode(IReadOnlyList<Http2Setting> settings)
    {
        var payload = new byte[settings.Count * 6];
        for (var i = 0; i < settings.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(i * 6), (ushort)settings[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(i * 6 + 2), settings[i].Value);
        }

        return Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
