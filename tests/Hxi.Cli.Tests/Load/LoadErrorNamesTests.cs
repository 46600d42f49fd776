using System.Net.Sockets;
using Hxi.Net.Client;
using Hxi.Net.Load;

namespace Hxi.Cli.Tests.Load;

/// <summary>A load report counts failures by the name a person looks up: the RFC code, the socket error.</summary>
public sealed class LoadErrorNamesTests
{
    [Theory]
    [InlineData(FailureKind.StreamReset, "the server reset stream 5 with REFUSED_STREAM", "RST_STREAM REFUSED_STREAM")]
    [InlineData(FailureKind.StreamReset, "the server reset stream 0 with H3_REQUEST_REJECTED", "RESET_STREAM H3_REQUEST_REJECTED")]
    [InlineData(FailureKind.Protocol, "the server sent GOAWAY NO_ERROR with last stream 7: stream 9 was not processed", "GOAWAY NO_ERROR")]
    [InlineData(FailureKind.Protocol, "the HTTP/3 connection is closed: the server closed it with H3_EXCESSIVE_LOAD", "H3_EXCESSIVE_LOAD")]
    [InlineData(FailureKind.Protocol, "connection lost: Broken pipe", "connection closed")]
    [InlineData(FailureKind.Timeout, "connect timed out", "timeout")]
    [InlineData(FailureKind.Tls, "TLS handshake with localhost failed: untrusted root", "TLS handshake failed")]
    public void NamesComeFromTheFailure(FailureKind kind, string message, string name) =>
        Assert.Equal(name, LoadErrorNames.Name(new HxiException(kind, message)));

    [Fact]
    public void ConnectFailures_AreNamedByTheSocketError() =>
        Assert.Equal("connect: connection refused", LoadErrorNames.Name(
            new HxiException(FailureKind.Connect, "could not connect", new SocketException((int)SocketError.ConnectionRefused))));
}
