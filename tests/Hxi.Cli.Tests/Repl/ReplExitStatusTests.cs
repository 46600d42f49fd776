using Hxi.Cli.Repl;
using Hxi.Cli.Wire;
using Hxi.Net.Client;

namespace Hxi.Cli.Tests.Repl;

/// <summary>
/// Issue #9: the REPL follows the README's exit-status table. A script's status is the code of its first failed
/// command (2 for a command that cannot run, 5 for a wait that ran out, a failed request's own code); a session
/// that never starts exits with its reason's code, as one-shot mode does (a TLS failure is 4, not 3). 1 stays "a bug".
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
public sealed class ReplExitStatusTests(EmbeddedServerFixture fixture)
{
    [Fact]
    public async Task UntrustedCertificate_Is4_AsInOneShotMode()
    {
        // A CA file that holds some other CA: the server's certificate does not chain to it.
        var otherCa = Path.Combine(Path.GetTempPath(), $"hxi-other-ca-{Guid.NewGuid():N}.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=not the server's CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(otherCa, ca.ExportCertificatePem());
        }

        try
        {
            var settings = new ReplSettings
            {
                Url = fixture.Server.HttpsUri,
                CaCertificate = otherCa,
                View = new WireViewOptions(false, false, false),
            };
            var output = new StringWriter();

            var exit = await ReplRunner.RunAsync(settings, new StringReader("get /\nquit\n"), output, CancellationToken.None);

            Assert.True(exit == (int)FailureKind.Tls, $"exit {exit}\n{output}");
            Assert.Contains("hxi: error: ", output.ToString());
        }
        finally
        {
            File.Delete(otherCa);
        }
    }

    [Fact]
    public async Task ServerResetStream_Is7_TheRequestsOwnCode()
    {
        var (exit, output) = await fixture.RunAsync("get /reset\nquit\n", frames: false);

        Assert.True(exit == (int)FailureKind.StreamReset, $"exit {exit}\n{output}");
        Assert.Contains("INTERNAL_ERROR", output);
    }

    [Fact]
    public async Task FirstFailureDecides_AnUnknownCommandBeforeAFailedWait_Is2()
    {
        var (exit, output) = await fixture.RunAsync("frobnicate\nwait frame PUSH_PROMISE 100ms\nget /json\nquit\n", frames: false);

        Assert.Equal((int)FailureKind.Usage, exit);
        Assert.Contains("error: unknown command 'frobnicate'", output);
        Assert.Contains("error: wait: no PUSH_PROMISE frame arrived", output);
    }

    [Fact]
    public async Task FailedWaitFirst_Is5()
    {
        var (exit, _) = await fixture.RunAsync("wait stream 7 end 100ms\nfrobnicate\nquit\n", frames: false);

        Assert.Equal((int)FailureKind.Timeout, exit);
    }

    [Fact]
    public async Task CleanScript_Is0()
    {
        var (exit, output) = await fixture.RunAsync("get /json\nping\nquit\n", frames: false);

        Assert.True(exit == 0, output);
    }
}
