namespace Hxi.Interop.Tests;

/// <summary>
/// QUIC versions against Caddy 2.6 (quic-go 0.29), which speaks v1 and drafts but not RFC 9369's v2: hxi asking for v2
/// is told so by Version Negotiation (RFC 9000 Section 6) and goes on in v1, and the handshake's version checks
/// (RFC 9368) let a server that predates version_information through.
/// </summary>
[Collection(CaddyCollection.Name)]
[Trait("Category", "Interop")]
public sealed class QuicVersionCaddyTests(CaddyFixture caddy)
{
    [RequiresPeerFact("caddy")]
    public async Task QuicVersion2_ToAServerWithoutIt_FallsBackToVersion1ByVersionNegotiation()
    {
        var result = await HxiRunner.RunAsync("--cacert", caddy.CaPath, "--http3-only", "--quic-version", "2", "--quic", caddy.Https("/json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"proto\":\"HTTP/3.0\"", result.StdOut);
        var wire = result.StdErr;
        Assert.Matches(@"send Initial packet <length=1200, pn=0, version=v2, ", wire);
        // quic-go lists a reserved (greasing) version at a random place among the ones it speaks (RFC 9000 Section 6.3).
        Assert.Matches(@"Version Negotiation: the server offers [^\n]*\bv1\b", wire);
        Assert.Matches(@"send Initial packet <length=1200, pn=\d+, version=v1, ", wire);
        Assert.Matches(@"recv Initial packet <length=\d+, pn=0, version=v1", wire);
    }

    [RequiresPeerFact("caddy")]
    public async Task QuicVersion1_IsNotUpgradedByAServerWithoutCompatibleNegotiation()
    {
        var result = await HxiRunner.RunAsync("--cacert", caddy.CaPath, "--http3-only", "--quic", caddy.Https("/json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("version=v2", result.StdErr);
        Assert.DoesNotContain("compatible version negotiation", result.StdErr);
    }
}
