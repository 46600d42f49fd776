using Hxi.Cli.Commands;
using Hxi.Cli.Repl.Parsing;
using Hxi.Net.Client;
using Hxi.Protocols.Tls;

namespace Hxi.Cli.Tests;

/// <summary>--tls-ciphers, and the REPL's key-update command: names in, the core's values out, bad input a usage error.</summary>
public sealed class QuicFlagsTests
{
    [Fact]
    public void TlsCiphers_TakeRfcNamesOrHexCodes_InOrder_WithoutRepeats()
    {
        Assert.Equal([TlsCipherSuite.ChaCha20Poly1305Sha256], QuicFlags.ParseCipherSuites("TLS_CHACHA20_POLY1305_SHA256"));
        Assert.Equal(
            [TlsCipherSuite.Aes256GcmSha384, TlsCipherSuite.Aes128GcmSha256],
            QuicFlags.ParseCipherSuites("tls_aes_256_gcm_sha384:0x1301,TLS_AES_256_GCM_SHA384"));
    }

    [Theory]
    [InlineData("TLS_AES_128_CCM_SHA256")]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA256")]
    [InlineData(":")]
    public void TlsCiphers_NotUsableByQuic_AreAUsageError(string list)
    {
        var error = Assert.Throws<HxiException>(() => QuicFlags.ParseCipherSuites(list));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("--tls-ciphers", error.Message);
    }

    [Fact]
    public void NoEcn_TurnsMarkingOff_AndEcnIsOnWithoutIt()
    {
        var flags = new QuicFlags();
        var command = new System.CommandLine.RootCommand();
        foreach (var option in flags.All)
        {
            command.Add(option);
        }

        Assert.True(flags.Read(command.Parse([])).ApplyTo(new ClientOptions()).QuicEcn);
        Assert.False(flags.Read(command.Parse(["--no-ecn"])).ApplyTo(new ClientOptions()).QuicEcn);
    }

    [Fact]
    public void KeyUpdate_IsAnHttp3OnlyReplCommand_WithNoArguments()
    {
        Assert.IsType<KeyUpdateCommand>(ReplParser.Parse(["key-update"], ReplDialect.Http3));
        Assert.True(ReplCommandNames.IsHttp3Only(new KeyUpdateCommand()));
        Assert.Throws<ReplInputException>(() => ReplParser.Parse(["key-update now"], ReplDialect.Http3));
    }
}
