using System.Diagnostics;

namespace Hxi.Server.Tests;

/// <summary>A second, independent client: curl trusting ca.pem must negotiate HTTP/2 by ALPN.</summary>
[Collection(ServerCollection.Name)]
public sealed class CurlTests(ServerFixture fixture)
{
    [CurlFact]
    public async Task Curl_NegotiatesHttp2WithTheCaFile()
    {
        var output = await RunCurlAsync("--http2", "--cacert", fixture.Server.CaCertificatePath, "-sS", new Uri(fixture.Server.HttpsUri, "/json").ToString());

        Assert.Contains("\"proto\": \"HTTP/2\"", output, StringComparison.Ordinal);
    }

    [CurlFact]
    public async Task Curl_SpeaksH2cByPriorKnowledge()
    {
        var output = await RunCurlAsync("--http2-prior-knowledge", "-sS", new Uri(fixture.Server.H2cUri, "/").ToString());

        Assert.Equal("hello from hxi serve over HTTP/2\n", output);
    }

    private static async Task<string> RunCurlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(CurlFactAttribute.Curl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var curl = Process.Start(start)!;
        var output = curl.StandardOutput.ReadToEndAsync();
        var error = curl.StandardError.ReadToEndAsync();
        await curl.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(curl.ExitCode == 0, $"curl exited {curl.ExitCode}: {await error}");
        return await output;
    }
}

/// <summary>A fact that is skipped, not failed, on a machine without curl.</summary>
public sealed class CurlFactAttribute : FactAttribute
{
    public const string Curl = "/usr/bin/curl";

    public CurlFactAttribute()
    {
        if (!File.Exists(Curl))
        {
            Skip = $"{Curl} is not installed";
        }
    }
}
