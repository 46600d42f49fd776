using System.Net;
using System.Net.Sockets;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Primitives;

namespace Hxi.Server.Tests;

/// <summary>
/// HTTP/3 requests are served from the route table only: no path, authority or target form makes the server
/// connect anywhere else, and a malformed request is answered with H3_MESSAGE_ERROR instead of left hanging.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class Http3RequestTargetTests(ServerFixture fixture) : IDisposable
{
    // Another server on this host, which a forwarding front could be tricked into reaching; it never accepts.
    private readonly TcpListener _other = StartOther();

    private int OtherPort => ((IPEndPoint)_other.LocalEndpoint).Port;

    [Fact]
    public void ANetworkPathReference_IsAPathOnThisServer_NotAnotherHost()
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Get($"//127.0.0.1:{OtherPort}/secret.txt");
        Assert.True(client.Run(() => client.Answered(stream)), "no answer");
        Assert.Equal("404", client.Status(stream));
        Assert.Contains($"not found: //127.0.0.1:{OtherPort}/secret.txt", System.Text.Encoding.UTF8.GetString(client.Body(stream).ToArray()));
        Assert.False(_other.Pending(), "the server connected to the other port");
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/secret.txt")]
    [InlineData("https://127.0.0.1:{0}/secret.txt")]
    [InlineData("127.0.0.1:{0}")]
    public void AnAbsoluteFormTarget_IsMalformed(string target)
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Send(Request("GET", string.Format(System.Globalization.CultureInfo.InvariantCulture, target, OtherPort)));
        Assert.True(client.Run(() => client.Answered(stream)), "no answer");
        Assert.Equal((ulong)Http3ErrorCode.MessageError, client.ResetCode(stream));
        Assert.False(_other.Pending(), "the server connected to the other port");
    }

    [Fact]
    public void TheAuthority_NamesNoBackend()
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Send(
            [new(":method", "GET"), new(":scheme", "https"), new(":authority", $"127.0.0.1:{OtherPort}"), new(":path", "/json")]);
        Assert.True(client.Run(() => client.Answered(stream)), "no answer");
        Assert.Equal("200", client.Status(stream));
        Assert.False(_other.Pending(), "the server connected to the other port");
    }

    public static TheoryData<string, HeaderField[]> Malformed => new()
    {
        { "an upper-case field name", [.. Request("GET", "/json"), new("X-Upper", "1")] },
        { "a connection-specific field", [.. Request("GET", "/json"), new("connection", "keep-alive")] },
        { "transfer-encoding", [.. Request("GET", "/json"), new("transfer-encoding", "chunked")] },
        { "te other than trailers", [.. Request("GET", "/json"), new("te", "gzip")] },
        { "a CR in a value", [.. Request("GET", "/json"), new("x-a", "1\r2")] },
        { "a CONNECT request", [new(":method", "CONNECT"), new(":authority", "127.0.0.1:1")] },
        { "an unknown scheme with a bare path", [new(":method", "GET"), new(":scheme", "foo"), new(":authority", "localhost"), new(":path", "x")] },
        { "an authority that differs from host", [.. Request("GET", "/json"), new("host", "elsewhere")] },
        { "a method with a space", Request("G T", "/json") },
        { "an empty method", Request("", "/json") },
        { "no :path", [new(":method", "GET"), new(":scheme", "https"), new(":authority", "localhost")] },
        { "no :method", [new(":scheme", "https"), new(":authority", "localhost"), new(":path", "/json")] },
        { "no :scheme", [new(":method", "GET"), new(":authority", "localhost"), new(":path", "/json")] },
        { "two :path", [.. Request("GET", "/json"), new(":path", "/")] },
        { "a response pseudo-header", [.. Request("GET", "/json"), new(":status", "200")] },
        { "a pseudo-header after a field", [new(":method", "GET"), new(":scheme", "https"), new("accept", "*/*"), new(":path", "/json")] },
        { "a space in the path", Request("GET", "/json x") },
        { "userinfo in the authority", [new(":method", "GET"), new(":scheme", "https"), new(":authority", "user@localhost"), new(":path", "/")] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void AMalformedRequest_IsResetWithMessageError_AndTheConnectionGoesOn(string what, HeaderField[] fields)
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Send(fields);
        Assert.True(client.Run(() => client.Answered(stream)), $"{what}: no answer");
        Assert.Equal((ulong)Http3ErrorCode.MessageError, client.ResetCode(stream));

        var next = client.Get("/json");
        Assert.True(client.Run(() => client.Ended(next)), $"{what}: the next request got no answer");
        Assert.Equal("200", client.Status(next));
    }

    public static TheoryData<string, HeaderField[], byte[], HeaderField[]?> MalformedBodies => new()
    {
        { "content-length 10 with 3 bytes", [.. Request("POST", "/echo"), new("content-length", "10")], "abc"u8.ToArray(), null },
        { "content-length 2 with 3 bytes", [.. Request("POST", "/echo"), new("content-length", "2")], "abc"u8.ToArray(), null },
        { "content-length not a number", [.. Request("POST", "/echo"), new("content-length", "ten")], "abc"u8.ToArray(), null },
        { "trailers with a pseudo-header", Request("POST", "/echo"), "abc"u8.ToArray(), [new(":path", "/x")] },
        { "trailers with a connection-specific field", Request("POST", "/echo"), "abc"u8.ToArray(), [new("keep-alive", "1")] },
    };

    /// <summary>A request whose head is fine but whose body or trailers break the rules: the stream is reset, even if the app had started.</summary>
    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void AMalformedBodyOrTrailers_IsResetWithMessageError_AndTheConnectionGoesOn(string what, HeaderField[] fields, byte[] body, HeaderField[]? trailers)
    {
        using var client = new Http3TestClient(fixture.Server);
        var stream = client.Send(fields, body, trailers);
        Assert.True(client.Run(() => client.Answered(stream)), $"{what}: no answer");
        Assert.Equal((ulong)Http3ErrorCode.MessageError, client.ResetCode(stream));

        var next = client.Get("/json");
        Assert.True(client.Run(() => client.Ended(next)), $"{what}: the next request got no answer");
        Assert.Equal("200", client.Status(next));
    }

    public void Dispose() => _other.Stop();

    private static HeaderField[] Request(string method, string path) =>
        [new(":method", method), new(":scheme", "https"), new(":authority", "localhost"), new(":path", path)];

    private static TcpListener StartOther()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }
}
