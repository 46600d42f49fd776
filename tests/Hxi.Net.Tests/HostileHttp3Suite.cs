using Hxi.Protocols.Http3;
using Hxi.Protocols.Quic;

namespace Hxi.Net.Tests;

/// <summary>
/// Issue 9 item 5, HTTP/3 and QUIC: every case of <see cref="HostileHttp3Cases"/> against the hxi command line (run
/// in-process). hxi must exit with the case's status and one stderr line naming the RFC code, never take the
/// internal-error path, finish well inside its generous --timeout (a hang is exit 5, a failure), and close the
/// connection with the code the RFC names.
/// </summary>
public sealed class HostileHttp3Suite
{
    /// <summary>
    /// Every case by name. A case that cannot pass yet gets its own MemberData with a Skip naming what it waits for,
    /// never a weaker assertion.
    /// </summary>
    public static TheoryData<string> Cases => [.. HostileHttp3Cases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case(string name)
    {
        var hostile = HostileHttp3Cases.Named(name);
        await using var server = HostileHttp3Server.AfterRequest(hostile.Attack, hostile.ControlPreamble ?? RawHttp3.Frame(RawHttp3.Settings), hostile.Parameters);

        var result = await HxiInProcess.RunAsync("--http3-only", "--cacert", server.CaPath, "--timeout", "10", server.Url.ToString());

        HostileAssert.Outcome(hostile.Exit, hostile.Code, hostile.Says, result);
        var closed = await server.ClientClosedAsync();
        Assert.True(closed.IsApplicationError != hostile.TransportClose, $"expected a {(hostile.TransportClose ? "transport" : "application")} close, got {closed.Describe()}\n{result}");
        var code = closed.IsApplicationError ? Http3ErrorCodes.Name(closed.ErrorCode) : QuicTransportErrorCodes.Name(closed.ErrorCode);
        Assert.True(code == hostile.Closes, $"expected hxi to close with {hostile.Closes}, got {closed.Describe()}\n{result}");
    }
}
