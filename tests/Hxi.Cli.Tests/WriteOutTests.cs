using System.Net;
using Hxi.Cli.Output;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Tests;

/// <summary>-w/--write-out: curl's variable names and escapes, and a typo caught before any request.</summary>
public sealed class WriteOutTests
{
    private static readonly WriteOutValues Values = new()
    {
        Head = new ResponseHead("HTTP/2.0", 201, "", [new HeaderField("content-type", "application/json")], 1),
        Connection = new ConnectionInfo { Host = "localhost", Port = 8443, Protocol = "h2", RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 8443) },
        EffectiveUrl = new Uri("https://localhost:8443/json"),
        Method = "GET",
        TimeNameLookup = 0.001,
        TimeConnect = 0.002,
        TimeAppConnect = 0.010,
        TimeStartTransfer = 0.0125,
        TimeTotal = 0.02,
        SizeDownload = 84,
        Redirects = 1,
    };

    [Theory]
    [InlineData("%{http_code}\\n", "201\n")]
    [InlineData("%{http_version} %{remote_ip}:%{remote_port}", "2 127.0.0.1:8443")]
    [InlineData("%{time_connect}\\t%{time_total}", "0.002000\t0.020000")]
    [InlineData("%{size_download} bytes of %{content_type} from %{url_effective}", "84 bytes of application/json from https://localhost:8443/json")]
    [InlineData("100%% %{num_redirects}", "100% 1")]
    [InlineData("plain", "plain")]
    public void Variables_AreCurls(string template, string expected)
    {
        Assert.Null(WriteOut.Validate(template));
        Assert.Equal(expected, WriteOut.Format(template, Values));
    }

    [Theory]
    [InlineData("%{http_cod}", "-w: unknown variable '%{http_cod}'")]
    [InlineData("%{http_code", "-w: '%{http_code' is not closed with '}'")]
    public void Mistakes_AreUsageErrors_BeforeTheRequest(string template, string message) =>
        Assert.StartsWith(message, WriteOut.Validate(template));
}
