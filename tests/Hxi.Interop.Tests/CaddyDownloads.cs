using System.Security.Cryptography;

namespace Hxi.Interop.Tests;

/// <summary>The big-file checks shared by the HTTP/2 and HTTP/3 Caddy tests: whole files, checked by SHA-256.</summary>
public static class CaddyDownloads
{
    /// <summary>hxi with <paramref name="options"/> writes the 100 MB file to disk with -o; its length and hash must match.</summary>
    public static async Task ToAFileAsync(CaddyFixture caddy, string[] options, TimeSpan timeout)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hxi-100mb-{Guid.NewGuid():N}.bin");
        try
        {
            var result = await HxiRunner.RunAsync(["--cacert", caddy.CaPath, .. options, "-o", path, caddy.Https("/files/100mb.bin")], timeout);

            Assert.True(result.ExitCode == 0, $"expected exit 0\n{result}");
            Assert.Equal(PeerFiles.File100MbLength, new FileInfo(path).Length);
            await using var file = File.OpenRead(path);
            Assert.Equal(caddy.File100MbSha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(file)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>hxi with <paramref name="options"/> pipes the 10 MB file to stdout; what arrives is hashed as it streams.</summary>
    public static async Task PipedToStdoutAsync(CaddyFixture caddy, string[] options)
    {
        string? hash = null;
        long length = 0;
        var result = await HxiRunner.RunStreamingAsync(
            ["--cacert", caddy.CaPath, .. options, caddy.Https("/files/10mb.bin")],
            async stdout =>
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await stdout.ReadAsync(buffer)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    length += read;
                }

                hash = Convert.ToHexStringLower(sha.GetHashAndReset());
            },
            TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"expected exit 0\n{result}");
        Assert.Equal(PeerFiles.File10MbLength, length);
        Assert.Equal(caddy.File10MbSha256, hash);
    }
}
