using System.Text.RegularExpressions;

namespace Hxi.Interop.Tests;

/// <summary>
/// Issue #9: the HTTP/2 settings flags reach a real server in hxi's SETTINGS, and a transfer under them completes.
/// (Kestrel keeps its own DATA frames at 16 KB whatever we allow; the in-memory pair in Http2LocalSettingsTests
/// proves a 40,000-byte frame is accepted once our SETTINGS are acknowledged.)
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
[Trait("Category", "Interop")]
public sealed class Http2SettingFlagsInteropTests(EmbeddedServerFixture kestrel)
{
    [Fact]
    public async Task MaxFrameSizeWindowBitsAndHeaderTableSize_AreAnnounced_AndTheTransferCompletes()
    {
        var result = await HxiRunner.RunAsync(
            "--cacert", kestrel.CaPath, "--frames", "--max-frame-size", "65536", "--window-bits", "20", "--header-table-size", "8192",
            kestrel.Https("/bytes/300000"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("[SETTINGS_MAX_FRAME_SIZE(0x05):65536]", result.StdErr);
        Assert.Contains("[SETTINGS_INITIAL_WINDOW_SIZE(0x04):1048575]", result.StdErr);
        Assert.Contains("[SETTINGS_HEADER_TABLE_SIZE(0x01):8192]", result.StdErr);
        var received = Regex.Matches(result.StdErr, @"recv DATA frame <length=(\d+),").Sum(m => int.Parse(m.Groups[1].Value));
        Assert.Equal(300_000, received);
        Assert.Contains("recv SETTINGS frame <length=0, flags=0x01, stream_id=0>", result.StdErr);
    }
}
