using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>SSLKEYLOGFILE: hxi writes the TLS 1.3 secrets Wireshark needs to decrypt its traffic.</summary>
public class KeyLogTests
{
    [Fact]
    public async Task SslKeyLogFile_ReceivesTheTls13TrafficSecrets()
    {
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions());
        var keyLog = Path.Combine(Path.GetTempPath(), $"hxi-keys-{Guid.NewGuid():N}.log");
        try
        {
            var result = await HxiRunner.RunAsync(
                ["--cacert", server.CaCertificatePath, new Uri(server.HttpsUri, "/json").ToString()],
                TimeSpan.FromSeconds(30),
                new Dictionary<string, string> { ["SSLKEYLOGFILE"] = keyLog });

            Assert.Equal(0, result.ExitCode);
            var labels = File.ReadAllLines(keyLog).Select(line => line.Split(' ')[0]).ToHashSet();
            Assert.Superset(
                new HashSet<string> { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0" },
                labels);
        }
        finally
        {
            File.Delete(keyLog);
        }
    }
}
