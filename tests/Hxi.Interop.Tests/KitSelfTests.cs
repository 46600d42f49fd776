using System.Security.Cryptography.X509Certificates;

namespace Hxi.Interop.Tests;

/// <summary>Checks of the kit itself that need no peer.</summary>
[Trait("Category", "PeerKit")]
public sealed class KitSelfTests
{
    [Fact]
    public void TestCertificates_LeafChainsToCa_ForEveryLoopbackName()
    {
        using var leaf = X509CertificateLoader.LoadCertificateFromFile(TestCertificates.ServerCertificatePath);
        using var chain = new X509Chain { ChainPolicy = TestCertificates.CreateChainPolicy() };

        Assert.True(chain.Build(leaf), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(leaf.MatchesHostname("localhost"));
        Assert.True(leaf.MatchesHostname("127.0.0.1"));
        Assert.True(leaf.MatchesHostname("::1"));
        Assert.Contains("PRIVATE KEY", File.ReadAllText(TestCertificates.ServerKeyPath));
    }

    [Fact]
    public void PeerBinaries_SkipsForAMissingProgram_OutsideCi()
    {
        var reason = PeerBinaries.SkipReason(["hxi-no-such-program"], isCi: false);

        Assert.NotNull(reason);
        Assert.Contains("'hxi-no-such-program' is not on PATH", reason);
    }

    [Fact]
    public void PeerBinaries_RunsInsteadOfSkipping_UnderCi()
    {
        Assert.Null(PeerBinaries.SkipReason(["hxi-no-such-program"], isCi: true));
    }

    [Fact]
    public async Task HxiRunner_RunsTheBuiltCli()
    {
        var result = await HxiRunner.RunAsync("--version");

        Assert.EndsWith("hxi.dll", HxiRunner.AssemblyPath);
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
