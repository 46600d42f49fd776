using Hxi.Net.Client;

namespace Hxi.Net.Tests;

/// <summary>The --alt-svc cache file: what a response puts in, what a later run gets out, and what a bad file can't do.</summary>
public sealed class AltSvcCacheTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("hxi-altsvc-").FullName;

    private string CachePath => Path.Combine(_directory, "sub", "alt-svc");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Remembered_Saved_AndFoundByTheNextRun()
    {
        var cache = AltSvcCache.Load(CachePath, Now);
        Assert.Empty(cache.Entries);

        Assert.True(cache.Remember("localhost", 8443, "h2", AltSvcParser.Parse("h3=\":8443\"; ma=2592000,h3=\":8443\"; ma=2592000"), Now));
        cache.Save();

        // curl's line format, one line for Caddy's repeated alternative.
        Assert.Equal(
            ["h2 localhost 8443 h3 localhost 8443 \"20261225 09:00:00\" 0 0"],
            File.ReadAllLines(CachePath).Where(line => !line.StartsWith('#')));
        var next = AltSvcCache.Load(CachePath, Now.AddDays(1));
        Assert.Equal(8443, next.FindHttp3("LOCALHOST", 8443, Now.AddDays(1))?.Port);
        Assert.Null(next.FindHttp3("localhost", 443, Now.AddDays(1)));
    }

    [Fact]
    public void Expired_IsNeitherFoundNorLoaded()
    {
        var cache = AltSvcCache.Load(CachePath, Now);
        cache.Remember("localhost", 8443, "h2", AltSvcParser.Parse("h3=\":9443\"; ma=60"), Now);
        cache.Save();

        Assert.NotNull(cache.FindHttp3("localhost", 8443, Now.AddSeconds(59)));
        Assert.Null(cache.FindHttp3("localhost", 8443, Now.AddSeconds(60)));
        Assert.Empty(AltSvcCache.Load(CachePath, Now.AddMinutes(2)).Entries);
    }

    [Fact]
    public void ANewField_ReplacesTheOriginsAlternatives_AndClearRemovesThem()
    {
        var cache = AltSvcCache.Load(CachePath, Now);
        cache.Remember("a.test", 443, "h2", AltSvcParser.Parse("h3=\":1001\""), Now);
        cache.Remember("b.test", 443, "h2", AltSvcParser.Parse("h3=\":2001\""), Now);

        cache.Remember("a.test", 443, "h2", AltSvcParser.Parse("h3=\":1002\""), Now);
        Assert.Equal(1002, cache.FindHttp3("a.test", 443, Now)?.Port);
        Assert.Single(cache.Entries, e => e.SourceHost == "a.test");

        Assert.True(cache.Remember("a.test", 443, "h2", AltSvcParser.Parse("clear"), Now));
        Assert.Null(cache.FindHttp3("a.test", 443, Now));
        Assert.Equal(2001, cache.FindHttp3("b.test", 443, Now)?.Port);
    }

    [Fact]
    public void ResponseWithoutAltSvc_ChangesNothing()
    {
        var cache = AltSvcCache.Load(CachePath, Now);
        cache.Remember("a.test", 443, "h2", AltSvcParser.Parse("h3=\":1001\""), Now);

        Assert.False(cache.Remember("a.test", 443, "h2", AltSvcParser.Parse("h3=:broken"), Now));
        Assert.NotNull(cache.FindHttp3("a.test", 443, Now));
    }

    [Fact]
    public void AnotherHost_IsRemembered_ButNotUsed()
    {
        var cache = AltSvcCache.Load(CachePath, Now);
        cache.Remember("a.test", 443, "h2", AltSvcParser.Parse("h3=\"elsewhere.test:443\""), Now);

        Assert.Equal("elsewhere.test", cache.Entries.Single().Host);
        Assert.Null(cache.FindHttp3("a.test", 443, Now));
    }

    [Fact]
    public void OnlyH3_IsUsedForHttp3()
    {
        var cache = AltSvcCache.Load(CachePath, Now);
        cache.Remember("a.test", 443, "h2", AltSvcParser.Parse("h3-29=\":1029\", h3=\":1003\""), Now);

        Assert.Equal(1003, cache.FindHttp3("a.test", 443, Now)?.Port);
    }

    [Fact]
    public void DamagedFile_KeepsTheGoodLines_AndIsBounded()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(CachePath)!);
        var good = "h2 a.test 443 h3 a.test 443 \"20300101 00:00:00\" 0 0";
        File.WriteAllLines(CachePath,
        [
            "# comment",
            "",
            "garbage",
            "h2 a.test 443 h3 a.test 99999 \"20300101 00:00:00\" 0 0",
            "h2 a.test 443 h3 a.test 443 \"not a date\" 0 0",
            "h2 a.test 443 h3 a.test 443 \"20300101 00:00:00",
            "h2 a.test h3 a.test 443 \"20300101 00:00:00\" 0 0",
            new string('x', 5000),
            good,
            .. Enumerable.Range(1, 2 * AltSvcCache.MaxEntries).Select(i => $"h2 host{i}.test 443 h3 host{i}.test 443 \"20300101 00:00:00\" 0 0"),
        ]);

        var cache = AltSvcCache.Load(CachePath, Now);

        Assert.Equal(AltSvcCache.MaxEntries, cache.Entries.Count);
        Assert.Equal(good, AltSvcCache.FormatLine(cache.Entries[0]));
        Assert.Equal(443, cache.FindHttp3("a.test", 443, Now)?.Port);
    }

    [Fact]
    public void CurlWrittenLine_RoundTrips()
    {
        const string line = "h2 example.com 443 h3 example.com 443 \"20261225 21:12:25\" 1 0";

        Assert.True(AltSvcCache.TryParseLine(line, out var entry));
        Assert.True(entry.Persist);
        Assert.Equal(new DateTimeOffset(2026, 12, 25, 21, 12, 25, TimeSpan.Zero), entry.Expires);
        Assert.Equal(line, AltSvcCache.FormatLine(entry));
    }
}
