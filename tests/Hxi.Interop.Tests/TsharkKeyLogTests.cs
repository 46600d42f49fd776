namespace Hxi.Interop.Tests;

/// <summary>tshark decrypts a loopback capture of hxi's QUIC connection to Caddy with the SSLKEYLOGFILE hxi wrote.</summary>
[Collection(CaddyCollection.Name)]
public sealed class TsharkKeyLogTests(CaddyFixture caddy)
{
    private const int HandshakeDone = 0x1e;

    [RequiresPeerFact("tshark", "caddy")]
    public async Task Tshark_DecryptsHxisQuic_WithHxisKeyLog()
    {
        var directory = Directory.CreateTempSubdirectory("hxi-tshark-").FullName;
        var keyLog = Path.Combine(directory, "keys.log");
        var captureFile = Path.Combine(directory, "quic.pcapng");
        try
        {
            await using (var capture = await TsharkCapture.StartAsync($"udp port {caddy.HttpsPort}", captureFile))
            {
                var result = await HxiRunner.RunAsync(
                    ["--http3-only", "--cacert", caddy.CaPath, caddy.Https("/")],
                    TimeSpan.FromSeconds(30),
                    new Dictionary<string, string> { ["SSLKEYLOGFILE"] = keyLog });
                Assert.True(result.ExitCode == 0, result.ToString());
                await capture.StopAsync();
            }

            var decrypted = await FrameTypesAsync(captureFile, keyLog);
            Assert.Contains(HandshakeDone, decrypted);
            Assert.Contains(decrypted, IsStream);

            // Without the key log only the Initial packets open (their keys come from the connection ID):
            // the frames above are there because of hxi's secrets.
            var withoutKeys = await FrameTypesAsync(captureFile, "");
            Assert.DoesNotContain(HandshakeDone, withoutKeys);
            Assert.DoesNotContain(withoutKeys, IsStream);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool IsStream(int type) => type is >= 0x08 and <= 0x0f;

    /// <summary>Every QUIC frame type tshark decodes in the capture (it prints them in decimal, comma-separated per datagram).</summary>
    private static async Task<HashSet<int>> FrameTypesAsync(string captureFile, string keyLog)
    {
        var result = await ProcessRunner.RunAsync(
            PeerBinaries.Require("tshark"),
            ["-r", captureFile, "-o", $"tls.keylog_file:{keyLog}", "-Y", "quic", "-T", "fields", "-e", "quic.frame_type"],
            TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        var types = result.StdOut
            .Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse)
            .ToHashSet();
        Assert.NotEmpty(types);
        return types;
    }
}
