using System.Text.Json;

namespace Hxi.Server.Tests;

internal static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static string ProtocolName(Transport transport) =>
        transport is Transport.Http2OverTls or Transport.Http2Cleartext ? "HTTP/2" : "HTTP/1.1";
}
