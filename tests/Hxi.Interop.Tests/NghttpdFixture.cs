namespace Hxi.Interop.Tests;

/// <summary>
/// Two nghttpd 1.52 instances for the whole run: HTTP/2 over TLS on <see cref="TlsPort"/> and h2c prior knowledge
/// on <see cref="ClearPort"/> (nghttpd speaks only h2: no HTTP/1.1, no h2c Upgrade). Both serve a docroot with
/// index.html and 1mb.bin.
/// </summary>
public sealed class NghttpdFixture : IDisposable
{
    public const int File1MbLength = 1024 * 1024;

    public const string IndexHtml = "<!doctype html><title>hxi peer kit</title><p>nghttpd</p>\n";

    private readonly PeerProcess? _tls;
    private readonly PeerProcess? _clear;
    private readonly string? _docroot;

    public NghttpdFixture()
    {
        if (PeerBinaries.Find("nghttpd") is null && !PeerBinaries.IsCi)
        {
            return;
        }
        var nghttpd = PeerBinaries.Require("nghttpd");

        _docroot = Directory.CreateTempSubdirectory("hxi-nghttpd-").FullName;
        File.WriteAllText(Path.Combine(_docroot, "index.html"), IndexHtml);
        var oneMegabyte = new byte[File1MbLength];
        new Random(1).NextBytes(oneMegabyte);
        File.WriteAllBytes(Path.Combine(_docroot, "1mb.bin"), oneMegabyte);

        TlsPort = FreePort.Next();
        ClearPort = FreePort.Next();
        try
        {
            _tls = PeerProcess.Start(
                "nghttpd (tls)",
                nghttpd,
                ["--address=127.0.0.1", "-d", _docroot, TlsPort.ToString(), TestCertificates.ServerKeyPath, TestCertificates.ServerCertificatePath],
                [TlsPort]);
            _clear = PeerProcess.Start(
                "nghttpd (h2c)",
                nghttpd,
                ["--address=127.0.0.1", "--no-tls", "-d", _docroot, ClearPort.ToString()],
                [ClearPort]);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int TlsPort { get; }

    public int ClearPort { get; }

    public string CaPath { get; } = TestCertificates.CaPath;

    /// <summary>nghttpd is bound to 127.0.0.1 only, so the URLs use the address, which the certificate also names.</summary>
    public string BaseHttps => $"https://127.0.0.1:{TlsPort}";

    public string BaseHttp => $"http://127.0.0.1:{ClearPort}";

    public string Log => $"{_tls?.ToString() ?? "(tls not started)"}\n{_clear?.ToString() ?? "(h2c not started)"}";

    public string Https(string path) => BaseHttps + path;

    public string Http(string path) => BaseHttp + path;

    public void Dispose()
    {
        _tls?.Dispose();
        _clear?.Dispose();
        if (_docroot is not null && Directory.Exists(_docroot))
        {
            Directory.Delete(_docroot, recursive: true);
        }
    }
}

/// <summary>Tests in this collection share one <see cref="NghttpdFixture"/>; add [Collection(NghttpdCollection.Name)] to a class.</summary>
[CollectionDefinition(Name)]
public sealed class NghttpdCollection : ICollectionFixture<NghttpdFixture>
{
    public const string Name = "nghttpd";
}
