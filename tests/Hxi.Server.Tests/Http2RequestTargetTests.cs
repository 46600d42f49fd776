using System.Net;
using System.Net.Sockets;
using System.Text;
using Hxi.Protocols.Primitives;

namespace Hxi.Server.Tests;

/// <summary>
/// Over HTTP/1.1 and HTTP/2 (Kestrel) as over HTTP/3: a request is served from the route table only, whatever its
/// target names, and a malformed HTTP/2 request gets RST_STREAM PROTOCOL_ERROR or a 400, never silence.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class Http2RequestTargetTests(ServerFixture fixture) : IDisposable
{
    private const uint ProtocolError = 0x1;

    // Another server on this host, which a forwarding front could be tricked into reaching; it never accepts.
    private readonly TcpListener _other = StartOther();

    private int OtherPort => ((IPEndPoint)_other.LocalEndpoint).Port;

    [Theory]
    [InlineData("//127.0.0.1:{0}/secret.txt")]
    [InlineData("http://127.0.0.1:{0}/secret.txt")]
    public async Task Http1_ANetworkPathOrAbsoluteFormTarget_IsServedHere_NotFetchedElsewhere(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fixture.Server.HttpUri.Host, fixture.Server.HttpUri.Port);
        var stream = tcp.GetStream();
        var request = $"GET {Format(target)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // The route table has no /secret.txt and no //host route: 404 from this server, or 400 for a target it refuses.
        Assert.Matches("^HTTP/1.1 (404|400) ", statusLine);
        Assert.False(_other.Pending(), "the server connected to the other port");
    }

    [Theory]
    [InlineData("//127.0.0.1:{0}/secret.txt")]
    [InlineData("http://127.0.0.1:{0}/secret.txt")]
    [InlineData("127.0.0.1:{0}")]
    public async Task Http2_ANetworkPathOrAbsoluteFormTarget_IsServedHereOrRefused(string target)
    {
        using var client = await RawHttp2Client.ConnectAsync(fixture.Server.H2cUri);
        await client.SendAsync(1, Request("GET", Format(target)));
        var answer = await client.ReadAnswerAsync(1);

        Assert.True(answer.Status is "404" or "400" || answer.ResetCode == ProtocolError, $"answer: {answer}");
        Assert.False(_other.Pending(), "the server connected to the other port");
    }

    public static TheoryData<string, HeaderField[], byte[]?, HeaderField[]?> Malformed => new()
    {
        { "no :path", [new(":method", "GET"), new(":scheme", "http"), new(":authority", "localhost")], null, null },
        { "a method with a space", Request("G T", "/json"), null, null },
        { "an upper-case field name", [.. Request("GET", "/json"), new("X-Upper", "1")], null, null },
        { "a connection-specific field", [.. Request("GET", "/json"), new("connection", "keep-alive")], null, null },
        { "a pseudo-header after a regular field", [new(":method", "GET"), new(":scheme", "http"), new("accept", "*/*"), new(":path", "/json")], null, null },
        { "content-length 10 with 3 bytes", [.. Request("POST", "/echo"), new("content-length", "10")], "abc"u8.ToArray(), null },
        { "trailers with a pseudo-header", Request("POST", "/echo"), "abc"u8.ToArray(), [new(":path", "/x")] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Http2_AMalformedRequest_GetsProtocolErrorOr400(string what, HeaderField[] fields, byte[]? body, HeaderField[]? trailers)
    {
        using var client = await RawHttp2Client.ConnectAsync(fixture.Server.H2cUri);
        await client.SendAsync(1, fields, body, trailers);
        var answer = await client.ReadAnswerAsync(1);

        // RFC 9113 8.1.1: a stream error PROTOCOL_ERROR (Kestrel may also end the connection with it, or answer 400).
        Assert.True(answer.Status == "400" || answer.ResetCode == ProtocolError || answer.GoAwayCode == ProtocolError, $"{what}: {answer}");
    }

    public void Dispose() => _other.Stop();

    private string Format(string target) => string.Format(System.Globalization.CultureInfo.InvariantCulture, target, OtherPort);

    private static HeaderField[] Request(string method, string path) =>
        [new(":method", method), new(":scheme", "http"), new(":authority", "localhost"), new(":path", path)];

    private static TcpListener StartOther()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }
}
