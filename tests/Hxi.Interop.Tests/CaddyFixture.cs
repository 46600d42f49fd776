namespace Hxi.Interop.Tests;

/// <summary>
/// One Caddy 2.6 for the whole run (a collection fixture): HTTP/1.1, HTTP/2 and HTTP/3 on <see cref="HttpsPort"/>,
/// HTTP/1.1 and h2c (prior knowledge and Upgrade) on <see cref="HttpPort"/>, the same routes on both.
/// Routes: / text; /json {"proto","method"}; /headers echoes request headers; /echo echoes the body;
/// /status/NNN answers NNN (103 gives a 103 then an empty 200); /redirect 302 to /json;
/// /big 40 ~1 KB headers (HEADERS + CONTINUATION); /gzip compressible text with encode gzip;
/// /files/ small.txt, 10mb.bin, 100mb.bin; anything else 404.
/// </summary>
public sealed class CaddyFixture : IDisposable
{
    private readonly PeerProcess? _caddy;
    private readonly string? _workDirectory;

    public CaddyFixture()
    {
        // Outside CI a missing caddy means the tests are skipped (RequiresPeerFact), so there is nothing to start.
        if (PeerBinaries.Find("caddy") is null && !PeerBinaries.IsCi)
        {
            return;
        }
        var caddy = PeerBinaries.Require("caddy");

        _workDirectory = Directory.CreateTempSubdirectory("hxi-caddy-").FullName;
        var site = Directory.CreateDirectory(Path.Combine(_workDirectory, "site")).FullName;
        File.WriteAllText(Path.Combine(site, "headers.txt"), CaddyConfig.HeadersTemplate);
        File.WriteAllText(Path.Combine(site, "gzip.txt"), CaddyConfig.GzipText);

        // Generated (or found in the cache) before Caddy starts, so the first download never races the writer.
        File100MbSha256 = PeerFiles.File100MbSha256;
        File10MbSha256 = PeerFiles.File10MbSha256;

        HttpsPort = FreePort.Next();
        HttpPort = FreePort.Next();
        var caddyfile = Path.Combine(_workDirectory, "Caddyfile");
        File.WriteAllText(caddyfile, CaddyConfig.Build(
            HttpsPort,
            HttpPort,
            TestCertificates.ServerCertificatePath,
            TestCertificates.ServerKeyPath,
            site,
            PeerFiles.Directory,
            Path.Combine(_workDirectory, "data"),
            Loopback.HasIpv6));

        // Caddy autosaves its config under XDG_CONFIG_HOME; keep that inside the run's folder, not the user's home.
        var environment = new Dictionary<string, string>
        {
            ["XDG_CONFIG_HOME"] = Path.Combine(_workDirectory, "config"),
            ["XDG_DATA_HOME"] = Path.Combine(_workDirectory, "data"),
        };
        _caddy = PeerProcess.Start(
            "caddy",
            caddy,
            ["run", "--config", caddyfile, "--adapter", "caddyfile"],
            [HttpsPort, HttpPort],
            environment,
            _workDirectory);
    }

    public int HttpsPort { get; }

    public int HttpPort { get; }

    public string CaPath { get; } = TestCertificates.CaPath;

    public string BaseHttps => $"https://localhost:{HttpsPort}";

    /// <summary>Caddy binds ::1 as well when the machine has it, so localhost works whichever address a client tries first.</summary>
    public string BaseHttp => $"http://localhost:{HttpPort}";

    /// <summary>Lowercase hex SHA-256 of /files/100mb.bin.</summary>
    public string File100MbSha256 { get; } = "";

    /// <summary>Lowercase hex SHA-256 of /files/10mb.bin.</summary>
    public string File10MbSha256 { get; } = "";

    /// <summary>Caddy's own output so far, for assertion messages.</summary>
    public string Log => _caddy?.Log ?? "(caddy not started)";

    public string Https(string path) => BaseHttps + path;

    public string Http(string path) => BaseHttp + path;

    public void Dispose()
    {
        _caddy?.Dispose();
        if (_workDirectory is not null)
        {
            try
            {
                Directory.Delete(_workDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying Caddy: the temp folder is left for the OS to clean.
            }
        }
    }
}

/// <summary>Tests in this collection share one <see cref="CaddyFixture"/>; add [Collection(CaddyCollection.Name)] to a class.</summary>
[CollectionDefinition(Name)]
public sealed class CaddyCollection : ICollectionFixture<CaddyFixture>
{
    public const string Name = "Caddy";
}
